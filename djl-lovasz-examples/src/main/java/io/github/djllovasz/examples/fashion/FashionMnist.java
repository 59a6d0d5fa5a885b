package io.github.djllovasz.examples.fashion;

import io.github.djllovasz.examples.fashion.IdxFiles.Images;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017; Zalando Research, MIT licence): 28 × 28 grey-scale
 * photographs of clothing in ten classes, as train and test splits.
 *
 * <p>Three sources: the small subset embedded in this module's resources (the default, see {@code
 * NOTICE} next to it), a directory holding the four IDX files (gzipped or not), or the Debian
 * package {@code dataset-fashion-mnist}, found through {@code dpkg -L}.
 *
 * @param train the training images
 * @param trainLabels their classes 0..9
 * @param test the test images
 * @param testLabels their classes 0..9
 * @param description where the data came from, for the output
 */
public record FashionMnist(
        Images train, byte[] trainLabels, Images test, byte[] testLabels, String description) {

    /** The class names, indexed by label. */
    public static final List<String> CLASS_NAMES =
            List.of(
                    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                    "Sneaker", "Bag", "Ankle boot");

    /** The classpath folder of the embedded subset. */
    public static final String EMBEDDED_FOLDER = "/io/github/djllovasz/examples/fashion/";

    /** The Debian package that holds the full data set. */
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";

    private static final String[] FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
    };

    /** Checks the shapes. */
    public FashionMnist {
        if (train.count() != trainLabels.length || test.count() != testLabels.length) {
            throw new IllegalArgumentException(
                    "image and label counts differ: " + train.count() + " / " + trainLabels.length
                            + ", " + test.count() + " / " + testLabels.length);
        }
    }

    /**
     * Loads the subset embedded in the examples' resources.
     *
     * @return the data
     * @throws IOException if a resource is missing or corrupt
     */
    public static FashionMnist embedded() throws IOException {
        return read(file -> {
            InputStream in = FashionMnist.class.getResourceAsStream(EMBEDDED_FOLDER + file + ".gz");
            if (in == null) {
                throw new IOException("missing resource " + EMBEDDED_FOLDER + file + ".gz");
            }
            return in;
        }, "embedded subset (classpath " + EMBEDDED_FOLDER + ")");
    }

    /**
     * Loads the four IDX files from a directory ({@code train-images-idx3-ubyte[.gz]} and so on).
     *
     * @param dir the directory
     * @return the data
     * @throws IOException if a file is missing or corrupt
     */
    public static FashionMnist fromDirectory(Path dir) throws IOException {
        return read(file -> Files.newInputStream(findFile(dir, file)
                .orElseThrow(() -> new IOException("no " + file + "[.gz] in " + dir))),
                "full set from " + dir.toAbsolutePath());
    }

    /**
     * Finds the directory of the Debian package's IDX files: asks {@code dpkg -L} for the files
     * the package installed, and takes the folder of its training images.
     *
     * @return the folder, or empty if the package is not installed (or dpkg is absent)
     */
    public static Optional<Path> findDebianDirectory() {
        try {
            Process dpkg = new ProcessBuilder("dpkg", "-L", DEBIAN_PACKAGE)
                    .redirectErrorStream(true)
                    .start();
            String listing;
            try (InputStream in = dpkg.getInputStream()) {
                listing = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            if (!dpkg.waitFor(20, TimeUnit.SECONDS) || dpkg.exitValue() != 0) {
                return Optional.empty();
            }
            for (String line : listing.split("\n")) {
                Path path = Path.of(line.trim());
                String name = path.getFileName() == null ? "" : path.getFileName().toString();
                if (name.startsWith(FILES[0]) && Files.isRegularFile(path)) {
                    return Optional.of(path.getParent());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Loads the data named by a {@code --data} value.
     *
     * @param spec {@code embedded} (or null), {@code debian}, or a directory
     * @return the data
     * @throws IOException if loading fails or the Debian package is not installed
     */
    public static FashionMnist load(String spec) throws IOException {
        if (spec == null || spec.equals("embedded")) {
            return embedded();
        }
        if (spec.equals("debian")) {
            Path dir = findDebianDirectory()
                    .orElseThrow(() -> new IOException(
                            "the Debian package " + DEBIAN_PACKAGE + " is not installed"
                                    + " (apt-get install -y " + DEBIAN_PACKAGE + ")"));
            return fromDirectory(dir);
        }
        return fromDirectory(Path.of(spec));
    }

    private static Optional<Path> findFile(Path dir, String base) {
        for (String name : new String[] {base, base + ".gz"}) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** Opens one of the four IDX files by its name without {@code .gz}. */
    private interface Opener {
        InputStream open(String file) throws IOException;
    }

    private static FashionMnist read(Opener opener, String description) throws IOException {
        Object[] parts = new Object[4];
        for (int i = 0; i < 4; i++) {
            try (InputStream in = opener.open(FILES[i])) {
                parts[i] = i % 2 == 0 ? IdxFiles.readImages(in) : IdxFiles.readLabels(in);
            }
        }
        Images train = (Images) parts[0];
        Images test = (Images) parts[2];
        byte[] trainLabels = (byte[]) parts[1];
        byte[] testLabels = (byte[]) parts[3];
        for (byte[] labels : new byte[][] {trainLabels, testLabels}) {
            for (byte label : labels) {
                if (label < 0 || label >= CLASS_NAMES.size()) {
                    throw new IOException("label " + label + " is not 0..9");
                }
            }
        }
        return new FashionMnist(
                train, trainLabels, test, testLabels,
                description + ": " + train.count() + " train / " + test.count() + " test images");
    }

    /**
     * Picks the first {@code perClass} images of each class, in file order.
     *
     * @param labels the labels
     * @param perClass how many per class
     * @return the indices, sorted
     */
    public static int[] balancedPrefix(byte[] labels, int perClass) {
        int[] taken = new int[CLASS_NAMES.size()];
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (taken[labels[i]] < perClass) {
                taken[labels[i]]++;
                keep.add(i);
            }
        }
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }
}
