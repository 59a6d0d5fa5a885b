package io.github.djllovasz.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.github.djllovasz.InputContract;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * The counts behind every segmentation figure, as plain host data that can be merged, saved and
 * sent between machines: a C×C confusion matrix and, per counted image, the intersection and the
 * union of ground truth and prediction per class.
 *
 * <pre>
 *   n[t][p]       counted pixels of ground-truth class t predicted as class p (rows truth, columns prediction)
 *   I[b][c]       pixels of image b that are class c in both ground truth and prediction = |T_{b,c} ∩ P_{b,c}|
 *   U[b][c]       pixels of image b that are class c in ground truth or prediction       = |T_{b,c} ∪ P_{b,c}|
 *   Σ_b I[b][c] = n[c][c] = TP_c,     Σ_b U[b][c] = TP_c + FP_c + FN_c
 * </pre>
 *
 * <p>C is the number of classes of a multiclass model, and 2 (0 background, 1 foreground) for a
 * binary model with one score per pixel: {@code count(1, ...)} counts into a 2×2 matrix. An image
 * is one entry of the batch axis; an image with no counted pixel (all ignored or masked) is not
 * stored. Memory: {@code 8·C²} bytes for the matrix and {@code 16·C} bytes per image (two longs a
 * class; the arrays grow by doubling, so up to twice that while adding). Every figure (mIoU, Dice,
 * precision, recall, per image, per class, worst q %) is read from a {@link SegmentationReport}.
 *
 * <p><b>Merging.</b> {@link #merge} adds the other matrix and appends the other's images. It is
 * associative and, in every figure, commutative: a report computes each floating figure from the
 * integer counts, or from the multiset of per-image values in sorted order, never from running
 * sums, so any split of a data set merged in any order or tree gives bit-for-bit the same figures.
 * Only the order of the per-image arrays ({@link SegmentationReport#getImageMeans}) follows
 * the merge order. This is the shape of DL4J's mergeable evaluations and of Spark's {@code
 * treeAggregate(zero, seqOp, combOp)}: an example of the call shape, for a Spark {@code
 * JavaRDD<Batch>} of your own (this library has no Spark dependency; {@code Batch} with {@code
 * labels()} and {@code predictions()} stands for whatever holds your NDLists):
 *
 * <pre>{@code
 * SegmentationCounts total = batches.treeAggregate(
 *         new SegmentationCounts(21),
 *         (acc, b) -> acc.merge(SegmentationCounts.count(21, contract, b.labels(), b.predictions())),
 *         SegmentationCounts::merge);
 * SegmentationReport report = SegmentationReport.builder().setCounts(total).build();
 * }</pre>
 *
 * <p>Instances move between processes as JSON ({@link #toJson()}, {@link #fromJson(String)}) or
 * by Java serialization (a compact form of the same arrays, checked as {@code fromJson} checks).
 * Every method is synchronized: instances are safe to share between threads, and {@code
 * a.merge(b)} locks {@code b} only to copy it, so merging in both directions at once cannot
 * deadlock.
 */
public final class SegmentationCounts implements Serializable {

    /** The {@code format} field of {@link #toJson()}. */
    public static final String FORMAT = "djl-lovasz/segmentation-counts";

    /** The {@code version} field of {@link #toJson()}: the version this library writes and reads. */
    public static final int VERSION = 1;

    private static final long serialVersionUID = 1L;

    /** The largest C whose C·C counts fit an array. */
    private static final int MAX_CLASSES = 46340;

    /** C, the size of the matrix. */
    private final int numClasses;
    /** Row-major {@code [t·C + p]}. */
    private final long[] matrix;
    /** {@code I[b][c]} at {@code [b·C + c]} for the first {@link #images} images; spare room after. */
    private long[] intersections;
    /** {@code U[b][c]} at {@code [b·C + c]} for the first {@link #images} images; spare room after. */
    private long[] unions;
    /** The number of images stored. */
    private int images;

    /**
     * Creates empty counts: the zero of {@link #merge}.
     *
     * @param numClasses C, the size of the confusion matrix: at least 2 (2 for a binary model)
     * @throws IllegalArgumentException for C &lt; 2
     */
    public SegmentationCounts(int numClasses) {
        this(requireMatrixClasses(numClasses), new long[numClasses * numClasses], new long[0], new long[0]);
    }

    /** Trusted arrays, held as given. */
    private SegmentationCounts(int numClasses, long[] matrix, long[] intersections, long[] unions) {
        this.numClasses = numClasses;
        this.matrix = matrix;
        this.intersections = intersections;
        this.unions = unions;
        this.images = unions.length / numClasses;
    }

    /**
     * Counts one batch, without a trainer: the counting of {@link MeanIoU} and {@link MeanDice}.
     *
     * <p>C ≥ 2: each pixel is predicted as the arg-max over the class axis. {@code numClasses} 1:
     * a binary model with one score per pixel ({@code [B, 1, d1, ...]}, or the labels' shape),
     * foreground where the logit is {@code > 0} (the probability {@code > 0.5} when the contract
     * says probabilities), counted into 2×2. Pixels whose label is the contract's ignore index, or
     * whose keep mask (a second label array, 1 keep and 0 drop) is 0, count nowhere.
     *
     * @param numClasses C ≥ 2, or 1 for a binary model
     * @param input the class axis, ignore index and logits or probabilities
     * @param labels class ids (0/1 for a binary model), optionally a keep mask as a second array
     * @param predictions the scores in the first array
     * @return the batch's counts, C×C (2×2 for a binary model), on the host; one image per entry
     *     of the batch axis, those without a counted pixel left out
     * @throws IllegalArgumentException for shapes, labels or probabilities that do not fit, naming them
     */
    public static SegmentationCounts count(
            int numClasses, InputContract input, NDList labels, NDList predictions) {
        requireModelClasses(numClasses);
        Objects.requireNonNull(input, "input");
        NDArray scores = predictions.head();
        if (labels.size() == 1) {
            return count(numClasses, labels.head(), scores, input);
        }
        try (NDManager scope = labels.head().getManager().newSubManager()) {
            scope.tempAttachAll(labels.toArray(new NDArray[0]));
            return count(numClasses, input.maskedClassIds(labels), scores, input.maskedAsIgnored());
        }
    }

    /**
     * Counts one batch with {@link InputContract#defaults()}: class axis 1, logits, no ignore
     * index; see {@link #count(int, InputContract, NDList, NDList)}.
     *
     * @param numClasses C ≥ 2, or 1 for a binary model
     * @param labels class ids, optionally a keep mask as a second array
     * @param predictions the scores in the first array
     * @return the batch's counts
     * @throws IllegalArgumentException for shapes or labels that do not fit
     */
    public static SegmentationCounts count(int numClasses, NDList labels, NDList predictions) {
        return count(numClasses, InputContract.defaults(), labels, predictions);
    }

    private static SegmentationCounts count(
            int numClasses, NDArray truth, NDArray scores, InputContract contract) {
        return numClasses == 1
                ? ConfusionCounter.countBinary(scores, truth, contract)
                : ConfusionCounter.count(scores, truth, numClasses, contract);
    }

    /**
     * The counts of one batch as the counter made them; images with no counted pixel are dropped.
     *
     * @param numClasses C
     * @param matrix {@code [t·C + p]}
     * @param intersections {@code [b·C + c]} for every image of the batch
     * @param unions {@code [b·C + c]} for every image of the batch
     * @return the counts
     */
    static SegmentationCounts ofBatch(int numClasses, long[] matrix, long[] intersections, long[] unions) {
        int kept = 0;
        for (int b = 0; b < unions.length / numClasses; b++) {
            if (counted(unions, b * numClasses, numClasses)) {
                System.arraycopy(intersections, b * numClasses, intersections, kept * numClasses, numClasses);
                System.arraycopy(unions, b * numClasses, unions, kept * numClasses, numClasses);
                kept++;
            }
        }
        int length = kept * numClasses;
        return new SegmentationCounts(
                numClasses, matrix, Arrays.copyOf(intersections, length), Arrays.copyOf(unions, length));
    }

    /** Whether the image at {@code from} has a counted pixel: some class with a union. */
    private static boolean counted(long[] unions, int from, int numClasses) {
        for (int c = 0; c < numClasses; c++) {
            if (unions[from + c] > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds other counts to these: the matrices are added and the other's images appended after
     * these. The other counts are copied first and left unchanged; {@code a.merge(a)} doubles
     * {@code a}.
     *
     * @param other counts of the same number of classes
     * @return these counts, so that it serves as a reduce or {@code treeAggregate} combiner
     * @throws IllegalArgumentException when the numbers of classes differ, naming both
     */
    public SegmentationCounts merge(SegmentationCounts other) {
        Objects.requireNonNull(other, "other");
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException(
                    "cannot merge counts of " + other.numClasses + " classes into counts of "
                            + numClasses + " classes");
        }
        SegmentationCounts snapshot = other.copy();
        synchronized (this) {
            for (int i = 0; i < matrix.length; i++) {
                matrix[i] += snapshot.matrix[i];
            }
            int length = (images + snapshot.images) * numClasses;
            if (length > unions.length) {
                int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(length, 2L * unions.length));
                intersections = Arrays.copyOf(intersections, capacity);
                unions = Arrays.copyOf(unions, capacity);
            }
            int from = images * numClasses;
            int added = snapshot.images * numClasses;
            System.arraycopy(snapshot.intersections, 0, intersections, from, added);
            System.arraycopy(snapshot.unions, 0, unions, from, added);
            images += snapshot.images;
        }
        return this;
    }

    /**
     * Returns an independent copy.
     *
     * @return counts equal to these, sharing no array with them
     */
    public synchronized SegmentationCounts copy() {
        int length = images * numClasses;
        return new SegmentationCounts(
                numClasses, matrix.clone(), Arrays.copyOf(intersections, length), Arrays.copyOf(unions, length));
    }

    /** @return C, the size of the confusion matrix (2 for a binary model) */
    public int getNumClasses() {
        return numClasses;
    }

    /** @return the number of images stored: those with a counted pixel */
    public synchronized int getImageCount() {
        return images;
    }

    /** @return the number of counted pixels, {@code Σ_{t,p} n[t][p]} */
    public synchronized long getPixelCount() {
        long total = 0;
        for (long n : matrix) {
            total += n;
        }
        return total;
    }

    /** @return a copy of the confusion matrix, {@code [truth][predicted]}, C×C */
    public synchronized long[][] getConfusionMatrix() {
        return rows(matrix, numClasses);
    }

    /** @return a copy of the intersections {@code I[b][c]}, one row per stored image, in the order added */
    public synchronized long[][] getImageIntersections() {
        return rows(intersections, images);
    }

    /** @return a copy of the unions {@code U[b][c]}, one row per stored image, in the order added */
    public synchronized long[][] getImageUnions() {
        return rows(unions, images);
    }

    /** The first {@code count} rows of C values of a row-major array. */
    private long[][] rows(long[] values, int count) {
        long[][] rows = new long[count][];
        for (int r = 0; r < count; r++) {
            rows[r] = Arrays.copyOfRange(values, r * numClasses, (r + 1) * numClasses);
        }
        return rows;
    }

    /**
     * Writes these counts as one line of JSON:
     *
     * <pre>
     * {"format":"djl-lovasz/segmentation-counts","version":1,"numClasses":C,
     *  "matrix":[[n00,n01,...],...],"intersections":[[I00,...],...],"unions":[[U00,...],...]}
     * </pre>
     *
     * <p>{@code matrix} has C rows of C counts; {@code intersections} and {@code unions} one row
     * of C counts per image.
     *
     * @return the JSON text, read back by {@link #fromJson(String)}
     */
    public String toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("format", FORMAT);
        json.addProperty("version", VERSION);
        json.addProperty("numClasses", numClasses);
        synchronized (this) {
            json.add("matrix", jsonRows(matrix, numClasses));
            json.add("intersections", jsonRows(intersections, images));
            json.add("unions", jsonRows(unions, images));
        }
        return new Gson().toJson(json);
    }

    private JsonArray jsonRows(long[] values, int count) {
        JsonArray rows = new JsonArray();
        for (int r = 0; r < count; r++) {
            JsonArray row = new JsonArray();
            for (int c = 0; c < numClasses; c++) {
                row.add(values[r * numClasses + c]);
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * Reads counts written by {@link #toJson()}, checking them: the format tag and version,
     * {@code numClasses ≥ 2}, the sizes of every row, counts that are non-negative integers,
     * {@code I ≤ U} in every image and class, no image without a union, and per-image counts that
     * add up to the matrix ({@code Σ_b I[b][c] = n[c][c]}, {@code Σ_b U[b][c] = TP_c + FP_c +
     * FN_c}).
     *
     * @param json the JSON text
     * @return the counts
     * @throws IllegalArgumentException naming the field that is missing or wrong, e.g. {@code
     *     unions[3][1]}
     */
    public static SegmentationCounts fromJson(String json) {
        Objects.requireNonNull(json, "json");
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
        if (!parsed.isJsonObject()) {
            throw new IllegalArgumentException("SegmentationCounts JSON must be an object, got " + abbreviate(parsed));
        }
        JsonObject root = parsed.getAsJsonObject();
        JsonElement format = field(root, "format");
        if (!format.isJsonPrimitive() || !FORMAT.equals(format.getAsString())) {
            throw new IllegalArgumentException("format is " + abbreviate(format) + ", expected \"" + FORMAT + "\"");
        }
        long version = integer(field(root, "version"), "version");
        if (version != VERSION) {
            throw new IllegalArgumentException(
                    "version is " + version + ", but this library reads version " + VERSION);
        }
        int c = requireMatrixClasses(integer(field(root, "numClasses"), "numClasses"));
        long[] matrix = flatRows(field(root, "matrix"), "matrix", c, c);
        long[] unions = flatRows(field(root, "unions"), "unions", -1, c);
        long[] intersections = flatRows(field(root, "intersections"), "intersections", unions.length / c, c);
        return validated(c, matrix, intersections, unions);
    }

    private static JsonElement field(JsonObject root, String name) {
        JsonElement value = root.get(name);
        if (value == null || value.isJsonNull()) {
            throw new IllegalArgumentException("field " + name + " is missing");
        }
        return value;
    }

    /** A JSON value as a long, or an exception naming the field. */
    private static long integer(JsonElement value, String name) {
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            try {
                return new BigDecimal(value.getAsString()).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException(name + " must be an integer, got " + abbreviate(value));
    }

    /**
     * Reads rows of {@code columns} integers into a row-major array.
     *
     * @param expectedRows the number of rows expected, or -1 for any number
     */
    private static long[] flatRows(JsonElement value, String name, int expectedRows, int columns) {
        if (!value.isJsonArray()) {
            throw new IllegalArgumentException(name + " must be an array of rows, got " + abbreviate(value));
        }
        JsonArray array = value.getAsJsonArray();
        int rows = array.size();
        if (expectedRows >= 0 && rows != expectedRows) {
            throw new IllegalArgumentException(
                    name + " has " + rows + " rows, expected "
                            + (name.equals("matrix") ? "numClasses = " : "as many as unions: ") + expectedRows);
        }
        long[] flat = new long[rows * columns];
        for (int r = 0; r < rows; r++) {
            String rowName = name + "[" + r + "]";
            JsonElement row = array.get(r);
            if (!row.isJsonArray() || row.getAsJsonArray().size() != columns) {
                throw new IllegalArgumentException(
                        rowName + " must be an array of numClasses = " + columns + " counts, got " + abbreviate(row));
            }
            for (int c = 0; c < columns; c++) {
                flat[r * columns + c] = integer(row.getAsJsonArray().get(c), rowName + "[" + c + "]");
            }
        }
        return flat;
    }

    private static String abbreviate(JsonElement value) {
        String text = value instanceof JsonPrimitive && value.getAsJsonPrimitive().isString()
                ? "\"" + value.getAsString() + "\"" : value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    /**
     * Checks counts read from outside and wraps them: non-negative counts, {@code I ≤ U}, no image
     * without a union, and per-image counts that add up to the matrix.
     *
     * @param numClasses C ≥ 2
     * @param matrix C·C counts
     * @param intersections images·C counts
     * @param unions images·C counts
     * @return the counts, holding the arrays
     * @throws IllegalArgumentException naming the first count that is wrong
     */
    static SegmentationCounts validated(int numClasses, long[] matrix, long[] intersections, long[] unions) {
        requireMatrixClasses(numClasses);
        int c = numClasses;
        if (matrix.length != c * c || intersections.length != unions.length || unions.length % c != 0) {
            throw new IllegalArgumentException(
                    "sizes do not fit numClasses = " + c + ": matrix " + matrix.length + " (expected " + c * c
                            + "), intersections " + intersections.length + " and unions " + unions.length
                            + " (expected equal multiples of " + c + ")");
        }
        requireNonNegative(matrix, "matrix", c);
        requireNonNegative(intersections, "intersections", c);
        requireNonNegative(unions, "unions", c);
        long[] intersectionSums = new long[c];
        long[] unionSums = new long[c];
        for (int b = 0; b < unions.length / c; b++) {
            if (!counted(unions, b * c, c)) {
                throw new IllegalArgumentException(
                        "unions[" + b + "] are all 0: an image without a counted pixel is never stored");
            }
            for (int k = 0; k < c; k++) {
                long i = intersections[b * c + k];
                long u = unions[b * c + k];
                if (i > u) {
                    throw new IllegalArgumentException(
                            "intersections[" + b + "][" + k + "] = " + i + " exceeds unions[" + b + "][" + k
                                    + "] = " + u);
                }
                intersectionSums[k] += i;
                unionSums[k] += u;
            }
        }
        long[] matrixUnions = new long[c];
        for (int t = 0; t < c; t++) {
            for (int p = 0; p < c; p++) {
                matrixUnions[t] += matrix[t * c + p];
                matrixUnions[p] += p == t ? 0 : matrix[t * c + p];
            }
        }
        for (int k = 0; k < c; k++) {
            if (intersectionSums[k] != matrix[k * c + k] || unionSums[k] != matrixUnions[k]) {
                throw new IllegalArgumentException(
                        "the images do not add up to the matrix for class " + k + ": intersections sum to "
                                + intersectionSums[k] + " and unions to " + unionSums[k] + ", but matrix["
                                + k + "][" + k + "] = " + matrix[k * c + k] + " and TP + FP + FN = "
                                + matrixUnions[k]);
            }
        }
        return new SegmentationCounts(c, matrix, intersections, unions);
    }

    /** Throws naming {@code name[row][column]} of the first negative value of rows of C values. */
    private static void requireNonNegative(long[] values, String name, int c) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) {
                throw new IllegalArgumentException(
                        name + "[" + i / c + "][" + i % c + "] is negative: " + values[i]);
            }
        }
    }

    /**
     * Checks the size of a confusion matrix.
     *
     * @param numClasses C
     * @return C
     * @throws IllegalArgumentException for C &lt; 2 (or too large to hold C·C counts)
     */
    static int requireMatrixClasses(long numClasses) {
        if (numClasses < 2 || numClasses > MAX_CLASSES) {
            throw new IllegalArgumentException(
                    "numClasses of a confusion matrix must be in [2, " + MAX_CLASSES + "] (a binary model, numClasses 1"
                            + " when counting, is 2×2: background and foreground), got " + numClasses);
        }
        return (int) numClasses;
    }

    /**
     * Checks the number of classes of a model.
     *
     * @param numClasses C ≥ 2, or 1 for a binary model
     * @return C
     * @throws IllegalArgumentException for C &lt; 1
     */
    static int requireModelClasses(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException(
                    "numClasses must be at least 1 (1: a binary model with one foreground score per"
                            + " pixel, C ≥ 2: one score per class), got " + numClasses);
        }
        return numClasses;
    }

    /** {@inheritDoc} */
    @Override
    public synchronized String toString() {
        return "SegmentationCounts{numClasses=" + numClasses + ", images=" + images + ", pixels="
                + getPixelCount() + "}";
    }

    /**
     * Java serialization writes the {@link SerializedForm} instead: the arrays without spare room.
     *
     * @return the serialized form
     */
    private Object writeReplace() {
        SegmentationCounts copy = copy();
        return new SerializedForm(numClasses, copy.matrix, copy.intersections, copy.unions);
    }

    /**
     * Refuses a stream that holds this class directly: only the {@link SerializedForm} is read.
     *
     * @param in the stream
     * @throws InvalidObjectException always
     */
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("SegmentationCounts is read through its serialized form");
    }

    /** The arrays, checked by {@link #validated} when read back. */
    private static final class SerializedForm implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int numClasses;
        private final long[] matrix;
        private final long[] intersections;
        private final long[] unions;

        SerializedForm(int numClasses, long[] matrix, long[] intersections, long[] unions) {
            this.numClasses = numClasses;
            this.matrix = matrix;
            this.intersections = intersections;
            this.unions = unions;
        }

        private Object readResolve() throws InvalidObjectException {
            try {
                return validated(numClasses, matrix, intersections, unions);
            } catch (IllegalArgumentException | NullPointerException e) {
                InvalidObjectException invalid = new InvalidObjectException("invalid SegmentationCounts: " + e.getMessage());
                invalid.initCause(e);
                throw invalid;
            }
        }
    }
}
