package io.github.djllovasz.examples.fashion;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes the IDX format of (Fashion-)MNIST: unsigned-byte images {@code [N, rows,
 * cols]} (magic 2051) and unsigned-byte labels {@code [N]} (magic 2049), optionally gzipped.
 */
public final class IdxFiles {

    /** The magic number of an unsigned-byte, three-dimensional IDX file. */
    public static final int IMAGES_MAGIC = 0x00000803;

    /** The magic number of an unsigned-byte, one-dimensional IDX file. */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {}

    /**
     * Reads an image file.
     *
     * @param in the stream (gzipped or not; detected from its first bytes); not closed
     * @return the images
     * @throws IOException if the stream fails or is not an IDX image file
     */
    public static Images readImages(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(ungzip(in));
        int magic = data.readInt();
        if (magic != IMAGES_MAGIC) {
            throw new IOException(String.format("not an IDX image file: magic 0x%08x", magic));
        }
        int count = data.readInt();
        int rows = data.readInt();
        int cols = data.readInt();
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IOException("bad IDX image header: " + count + " x " + rows + " x " + cols);
        }
        byte[] pixels = new byte[Math.multiplyExact(count, rows * cols)];
        data.readFully(pixels);
        return new Images(count, rows, cols, pixels);
    }

    /**
     * Reads a label file.
     *
     * @param in the stream (gzipped or not); not closed
     * @return the labels, one byte each
     * @throws IOException if the stream fails or is not an IDX label file
     */
    public static byte[] readLabels(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(ungzip(in));
        int magic = data.readInt();
        if (magic != LABELS_MAGIC) {
            throw new IOException(String.format("not an IDX label file: magic 0x%08x", magic));
        }
        int count = data.readInt();
        if (count < 0) {
            throw new IOException("bad IDX label count " + count);
        }
        byte[] labels = new byte[count];
        data.readFully(labels);
        return labels;
    }

    /**
     * Writes images as a gzipped IDX file.
     *
     * @param images the images
     * @param out the stream; closed
     * @throws IOException if writing fails
     */
    public static void writeImagesGz(Images images, OutputStream out) throws IOException {
        try (DataOutputStream data = gzipData(out)) {
            data.writeInt(IMAGES_MAGIC);
            data.writeInt(images.count());
            data.writeInt(images.rows());
            data.writeInt(images.cols());
            data.write(images.pixels());
        }
    }

    /**
     * Writes labels as a gzipped IDX file.
     *
     * @param labels the labels
     * @param out the stream; closed
     * @throws IOException if writing fails
     */
    public static void writeLabelsGz(byte[] labels, OutputStream out) throws IOException {
        try (DataOutputStream data = gzipData(out)) {
            data.writeInt(LABELS_MAGIC);
            data.writeInt(labels.length);
            data.write(labels);
        }
    }

    private static DataOutputStream gzipData(OutputStream out) throws IOException {
        return new DataOutputStream(
                new BufferedOutputStream(new GZIPOutputStream(out, 1 << 16) {
                    {
                        def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
                    }
                }));
    }

    private static InputStream ungzip(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return gzip ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16)) : buffered;
    }

    /**
     * Grey-scale images, row-major, one unsigned byte per pixel.
     *
     * @param count the number of images
     * @param rows the rows of each image
     * @param cols the columns of each image
     * @param pixels {@code count * rows * cols} bytes
     */
    public record Images(int count, int rows, int cols, byte[] pixels) {

        /**
         * Returns one pixel as 0..255.
         *
         * @param image the image index
         * @param row the row
         * @param col the column
         * @return the intensity
         */
        public int pixel(int image, int row, int col) {
            return pixels[(image * rows + row) * cols + col] & 0xff;
        }

        /**
         * Copies the selected images.
         *
         * @param indices the images to keep, in order
         * @return the subset
         */
        public Images select(int[] indices) {
            int size = rows * cols;
            byte[] copy = new byte[indices.length * size];
            for (int i = 0; i < indices.length; i++) {
                System.arraycopy(pixels, indices[i] * size, copy, i * size, size);
            }
            return new Images(indices.length, rows, cols, copy);
        }
    }
}
