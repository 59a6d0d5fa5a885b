package io.github.djllovasz.examples.fashion;

import io.github.djllovasz.examples.fashion.IdxFiles.Images;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Regenerates the embedded Fashion-MNIST subset from the full IDX files: the first {@code
 * trainPerClass} training and {@code testPerClass} test images of each class, gzipped IDX.
 *
 * <pre>
 * mvn -q -pl djl-lovasz-examples -am -DskipTests package exec:java \
 *   -Dexec.mainClass=io.github.djllovasz.examples.fashion.EmbeddedSubsetTool \
 *   -Dexec.args="debian djl-lovasz-examples/src/main/resources/io/github/djllovasz/examples/fashion 400 100"
 * </pre>
 */
public final class EmbeddedSubsetTool {

    private EmbeddedSubsetTool() {}

    /**
     * Writes the subset.
     *
     * @param args {@code SOURCE OUT_DIR [TRAIN_PER_CLASS [TEST_PER_CLASS]]}; SOURCE is {@code
     *     debian} or a directory of IDX files
     * @throws IOException if reading or writing fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.out.println(
                    "usage: EmbeddedSubsetTool debian|IDX_DIR OUT_DIR [TRAIN_PER_CLASS [TEST_PER_CLASS]]");
            return;
        }
        FashionMnist full = FashionMnist.load(args[0]);
        Path out = Path.of(args[1]);
        int trainPerClass = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        int testPerClass = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Files.createDirectories(out);
        write(full.train(), full.trainLabels(), trainPerClass, out, "train");
        write(full.test(), full.testLabels(), testPerClass, out, "t10k");
        System.out.println("subset of " + full.description() + " written to " + out);
    }

    private static void write(Images images, byte[] labels, int perClass, Path out, String prefix)
            throws IOException {
        int[] keep = FashionMnist.balancedPrefix(labels, perClass);
        byte[] keptLabels = new byte[keep.length];
        for (int i = 0; i < keep.length; i++) {
            keptLabels[i] = labels[keep[i]];
        }
        IdxFiles.writeImagesGz(
                images.select(keep),
                Files.newOutputStream(out.resolve(prefix + "-images-idx3-ubyte.gz")));
        IdxFiles.writeLabelsGz(
                keptLabels, Files.newOutputStream(out.resolve(prefix + "-labels-idx1-ubyte.gz")));
    }
}
