package io.github.djllovasz.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.djllovasz.InputContract;
import io.github.djllovasz.testutil.TestArrays;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SegmentationCounts}: any split of a data set, merged in any order or tree (with empty
 * counts and JSON or Java round trips on the way), gives bit-for-bit the figures of the whole;
 * and the checks of {@code merge}, {@code fromJson} and Java deserialization.
 */
class SegmentationCountsTest {

    @RegisterExtension static final TestArrays arrays = TestArrays.perClass();

    static final int C = 4;
    static final int IMAGES = 12;
    static final int H = 6;
    static final int W = 5;
    static final int IGNORE = 255;
    static final InputContract CONTRACT = InputContract.defaults().withIgnoreIndex(IGNORE);

    /** A seeded data set: per image a few classes, noisy predictions, ignored pixels. */
    static final class DataSet {
        final int[][] truth = new int[IMAGES][H * W];
        final int[][] pred = new int[IMAGES][H * W];

        DataSet(long seed) {
            Random random = new Random(seed);
            for (int b = 0; b < IMAGES; b++) {
                int[] classes = {random.nextInt(C), random.nextInt(C), random.nextInt(C)};
                for (int i = 0; i < H * W; i++) {
                    truth[b][i] = classes[random.nextInt(1 + b % 3)];
                    pred[b][i] = random.nextDouble() < 0.7 ? truth[b][i] : classes[random.nextInt(3)];
                    if (random.nextDouble() < 0.1 || b == 5) {
                        truth[b][i] = IGNORE; // image 5 is ignored entirely: never stored
                    }
                }
            }
        }

        /** Counts the images {@code ids} as one batch, in that order. */
        SegmentationCounts count(int... ids) {
            long[] labels = new long[ids.length * H * W];
            float[] logits = new float[ids.length * C * H * W];
            for (int k = 0; k < ids.length; k++) {
                for (int i = 0; i < H * W; i++) {
                    labels[k * H * W + i] = truth[ids[k]][i];
                    for (int c = 0; c < C; c++) {
                        logits[(k * C + c) * H * W + i] = pred[ids[k]][i] == c ? 2f : -0.1f * c;
                    }
                }
            }
            try (ai.djl.ndarray.NDManager local = arrays.manager().newSubManager()) {
                NDArray y = local.create(labels, new Shape(ids.length, H, W));
                NDArray x = local.create(logits, new Shape(ids.length, C, H, W));
                return SegmentationCounts.count(C, CONTRACT, new NDList(y), new NDList(x));
            }
        }
    }

    /** Every figure, for every policy and background setting, as (name, value) pairs. */
    static List<Object[]> figures(SegmentationCounts counts) {
        List<Object[]> figures = new ArrayList<>();
        figures.add(new Object[] {"matrix", Arrays.deepToString(counts.getConfusionMatrix())});
        figures.add(new Object[] {"images", counts.getImageCount()});
        for (EmptyPolicy policy : EmptyPolicy.values()) {
            for (boolean background : new boolean[] {true, false}) {
                SegmentationReport r = SegmentationReport.builder().setCounts(counts)
                        .optEmptyPolicy(policy).optIncludeBackground(background).build();
                String at = policy + "/" + background + " ";
                double[] imageIous = r.getImageMeans(SegmentationReport.Overlap.IOU);
                double[] imageDices = r.getImageMeans(SegmentationReport.Overlap.DICE);
                Arrays.sort(imageIous); // the multiset: the order follows the merge order
                Arrays.sort(imageDices);
                Object[][] all = {
                    {"mIoU", r.getMeanIoU()}, {"mDice", r.getMeanDice()},
                    {"precision", r.getMeanPrecision()}, {"recall", r.getMeanRecall()},
                    {"pixel accuracy", r.getPixelAccuracy()},
                    {"IoU_c", r.getClassIoU()}, {"Dice_c", r.getClassDice()},
                    {"precision_c", r.getClassPrecision()}, {"recall_c", r.getClassRecall()},
                    {"image IoUs", imageIous}, {"image Dices", imageDices},
                    {"csv", r.toCsv()}, {"table", r.toString()},
                };
                for (Object[] figure : all) {
                    figures.add(new Object[] {at + figure[0], figure[1]});
                }
                for (SegmentationReport.Overlap o : SegmentationReport.Overlap.values()) {
                    figures.add(new Object[] {at + o + " per image", r.getPerImageMean(o)});
                    figures.add(new Object[] {at + o + " per class", r.getPerClassMean(o)});
                    figures.add(new Object[] {at + o + " class image means", r.getClassImageMeans(o)});
                    figures.add(new Object[] {at + o + " worst 10 %", r.getWorstImagesMean(o, 10)});
                    figures.add(new Object[] {at + o + " worst 50 %", r.getWorstImagesMean(o, 50)});
                }
            }
        }
        return figures;
    }

    /** Asserts every figure equal, doubles with no tolerance (NaN equals NaN). */
    static void assertSameFigures(SegmentationCounts expected, SegmentationCounts actual, String what) {
        List<Object[]> want = figures(expected);
        List<Object[]> got = figures(actual);
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            String name = what + ": " + want.get(i)[0];
            Object w = want.get(i)[1];
            Object g = got.get(i)[1];
            if (w instanceof Double) {
                assertEquals((double) w, (double) g, name);
            } else if (w instanceof double[]) {
                assertArrayEquals((double[]) w, (double[]) g, name);
            } else {
                assertEquals(w, g, name);
            }
        }
    }

    static SegmentationCounts javaRoundTrip(SegmentationCounts counts) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(counts);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (SegmentationCounts) in.readObject();
        }
    }

    @Test
    void anySplitMergedInAnyOrderGivesTheFiguresOfTheWholeBitForBit() throws Exception {
        DataSet data = new DataSet(20L);
        int[] all = new int[IMAGES];
        Arrays.setAll(all, i -> i);
        SegmentationCounts whole = data.count(all);
        assertEquals(IMAGES - 1, whole.getImageCount(), "the fully ignored image is not stored");
        Random random = new Random(7L);
        for (int trial = 0; trial < 12; trial++) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < IMAGES; i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            // split into 2..6 chunks of random sizes (a chunk may be empty)
            int chunks = 2 + random.nextInt(5);
            List<SegmentationCounts> parts = new ArrayList<>();
            int from = 0;
            for (int k = 0; k < chunks; k++) {
                int to = k == chunks - 1 ? IMAGES : from + random.nextInt(IMAGES - from + 1);
                int[] ids = order.subList(from, to).stream().mapToInt(Integer::intValue).toArray();
                parts.add(ids.length == 0 ? new SegmentationCounts(C) : data.count(ids));
                from = to;
            }
            parts.add(new SegmentationCounts(C)); // an empty state anywhere in the tree
            Collections.shuffle(parts, random);
            // merge random pairs until one is left, sometimes through JSON or Java serialization
            while (parts.size() > 1) {
                SegmentationCounts a = parts.remove(random.nextInt(parts.size()));
                SegmentationCounts b = parts.remove(random.nextInt(parts.size()));
                switch (random.nextInt(3)) {
                    case 0:
                        a = SegmentationCounts.fromJson(a.toJson());
                        break;
                    case 1:
                        b = javaRoundTrip(b);
                        break;
                    default:
                        break;
                }
                parts.add(a.merge(b));
            }
            assertSameFigures(whole, parts.get(0), "trial " + trial + " (" + chunks + " chunks)");
        }
    }

    /**
     * The aggregate shape of Spark's {@code treeAggregate(zero, seqOp, combOp)}, run by Java's own
     * parallel streams: {@code collect(zero supplier, seqOp, combOp)} over the batches, on several
     * threads, gives the figures of the whole. (The batches are counted first: the engine's arrays
     * stay on this thread.)
     */
    @Test
    void aParallelAggregateGivesTheFiguresOfTheWhole() {
        DataSet data = new DataSet(11L);
        int[] all = new int[IMAGES];
        Arrays.setAll(all, i -> i);
        SegmentationCounts whole = data.count(all);
        List<SegmentationCounts> batches = new ArrayList<>();
        for (int b = 0; b < IMAGES; b += 2) {
            batches.add(data.count(b, b + 1));
        }
        for (int trial = 0; trial < 5; trial++) {
            SegmentationCounts total = batches.parallelStream().collect(
                    () -> new SegmentationCounts(C), SegmentationCounts::merge, SegmentationCounts::merge);
            assertSameFigures(whole, total, "parallel trial " + trial);
        }
    }

    @Test
    void mergeIsAssociativeAndCommutativeInEveryFigure() {
        DataSet data = new DataSet(3L);
        SegmentationCounts a = data.count(0, 1, 2, 3);
        SegmentationCounts b = data.count(4, 5, 6);
        SegmentationCounts c = data.count(7, 8, 9, 10, 11);
        String left = a.copy().merge(b).merge(c).toJson();
        String right = a.copy().merge(b.copy().merge(c)).toJson();
        assertEquals(left, right, "(a ⊕ b) ⊕ c = a ⊕ (b ⊕ c), images in the same order");
        SegmentationCounts ab = a.copy().merge(b);
        SegmentationCounts ba = b.copy().merge(a);
        assertNotEquals(ab.toJson(), ba.toJson(), "the images are in another order");
        assertSameFigures(ab, ba, "a ⊕ b vs b ⊕ a");
        // merge returns this and leaves the other alone; a.merge(a) doubles a
        SegmentationCounts target = a.copy();
        String before = b.toJson();
        assertSame(target, target.merge(b));
        assertEquals(before, b.toJson());
        SegmentationCounts twice = a.copy().merge(a);
        assertEquals(2 * a.getPixelCount(), twice.getPixelCount());
        assertEquals(2 * a.getImageCount(), twice.getImageCount());
    }

    @Test
    void rawGettersCopyAndAddUp() {
        DataSet data = new DataSet(11L);
        SegmentationCounts counts = data.count(0, 1, 2);
        long[][] matrix = counts.getConfusionMatrix();
        long[][] inter = counts.getImageIntersections();
        long[][] unions = counts.getImageUnions();
        // independently of the library: count the 3 images pixel by pixel
        long[][] expected = new long[C][C];
        long pixels = 0;
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < H * W; i++) {
                if (data.truth[b][i] != IGNORE) {
                    expected[data.truth[b][i]][data.pred[b][i]]++;
                    pixels++;
                }
            }
        }
        assertArrayEquals(expected, matrix);
        assertEquals(pixels, counts.getPixelCount());
        assertEquals(3, inter.length);
        for (int c = 0; c < C; c++) {
            assertEquals(expected[c][c], inter[0][c] + inter[1][c] + inter[2][c]);
        }
        matrix[0][0] = -5;
        inter[0][0] = -5;
        assertArrayEquals(expected, counts.getConfusionMatrix(), "getters return copies");
        SegmentationCounts copy = counts.copy();
        copy.merge(counts);
        assertEquals(pixels, counts.getPixelCount(), "copies are independent");
        assertEquals("SegmentationCounts{numClasses=4, images=3, pixels=" + pixels + "}", counts.toString());
    }

    @Test
    void jsonAndJavaRoundTripsKeepEveryCount() throws Exception {
        SegmentationCounts counts = new DataSet(5L).count(0, 1, 2, 3, 4, 5, 6);
        String json = counts.toJson();
        assertTrue(json.startsWith("{\"format\":\"djl-lovasz/segmentation-counts\",\"version\":1,\"numClasses\":4,"
                + "\"matrix\":[["), json);
        assertEquals(json, SegmentationCounts.fromJson(json).toJson());
        assertEquals(json, javaRoundTrip(counts).toJson());
        assertEquals(new SegmentationCounts(3).toJson(), javaRoundTrip(new SegmentationCounts(3)).toJson());
        assertEquals("{\"format\":\"djl-lovasz/segmentation-counts\",\"version\":1,\"numClasses\":2,"
                + "\"matrix\":[[0,0],[0,0]],\"intersections\":[],\"unions\":[]}", new SegmentationCounts(2).toJson());
    }

    /** A valid state of 2 classes and one image, with one field replaced. */
    static String json(String field, String value) {
        String[][] fields = {
            {"format", "\"djl-lovasz/segmentation-counts\""}, {"version", "1"}, {"numClasses", "2"},
            {"matrix", "[[3,1],[2,4]]"}, {"intersections", "[[3,4]]"}, {"unions", "[[6,7]]"},
        };
        StringBuilder json = new StringBuilder("{");
        for (String[] f : fields) {
            String v = f[0].equals(field) ? value : f[1];
            if (v != null) {
                json.append(json.length() > 1 ? "," : "").append('"').append(f[0]).append("\":").append(v);
            }
        }
        return json.append('}').toString();
    }

    @Test
    void fromJsonNamesTheBadField() {
        // the valid base: n = [[3,1],[2,4]], TP + FP + FN = 3 + 2 + 1 = 6 and 4 + 1 + 2 = 7
        assertEquals(10L, SegmentationCounts.fromJson(json("", null)).getPixelCount());
        String[][] cases = {
            {"format", "\"other\"", "format is \"other\", expected \"djl-lovasz/segmentation-counts\""},
            {"format", null, "field format is missing"},
            {"version", "2", "version is 2, but this library reads version 1"},
            {"version", "1.5", "version must be an integer, got 1.5"},
            {"numClasses", "1", "must be in [2, 46340]"},
            {"numClasses", "\"two\"", "numClasses must be an integer, got \"two\""},
            {"matrix", "[[3,1]]", "matrix has 1 rows, expected numClasses = 2"},
            {"matrix", "[[3,1],[2]]", "matrix[1] must be an array of numClasses = 2 counts, got [2]"},
            {"matrix", "[[3,1],[-2,4]]", "matrix[1][0] is negative: -2"},
            {"matrix", "[[3,1],[2,4.5]]", "matrix[1][1] must be an integer, got 4.5"},
            {"matrix", "[[3,1],[2,5]]", "the images do not add up to the matrix for class 1"},
            {"intersections", "[[3,4],[0,0]]", "intersections has 2 rows, expected as many as unions: 1"},
            {"intersections", "[[3,8]]", "intersections[0][1] = 8 exceeds unions[0][1] = 7"},
            {"unions", "[[6,7],[0,0]]", "intersections has 1 rows, expected as many as unions: 2"},
            {"unions", "[[-6,7]]", "unions[0][0] is negative: -6"},
            {"unions", "{}", "unions must be an array of rows, got {}"},
        };
        for (String[] c : cases) {
            String text = json(c[0], c[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SegmentationCounts.fromJson(text), text);
            assertTrue(e.getMessage().contains(c[2]), () -> "'" + c[2] + "' not in: " + e.getMessage());
        }
        MeanIoUTest.assertMessage("unions[0] are all 0", () -> SegmentationCounts.fromJson(
                "{\"format\":\"djl-lovasz/segmentation-counts\",\"version\":1,\"numClasses\":2,"
                        + "\"matrix\":[[0,0],[0,0]],\"intersections\":[[0,0]],\"unions\":[[0,0]]}"));
        MeanIoUTest.assertMessage("not valid JSON", () -> SegmentationCounts.fromJson("{\"format\":"));
        MeanIoUTest.assertMessage("must be an object, got [1,2]", () -> SegmentationCounts.fromJson("[1,2]"));
    }

    @Test
    void javaDeserializationChecksLikeFromJson() throws Exception {
        // Serialize, then flip one matrix count in the bytes: the counts no longer add up.
        SegmentationCounts counts = SegmentationCounts.fromJson(json("", null));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(counts);
        }
        byte[] data = bytes.toByteArray();
        // the matrix is written as the long[] {3, 1, 2, 4}, big-endian: find its 2, 4 (in no other
        // array: the intersections are {3, 4}, the unions {6, 7}) and make the 4 a 5
        int at = indexOf(data, new byte[] {0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 4});
        assertTrue(at > 0, "the matrix's 2, 4 are in the stream");
        data[at + 15] = 5;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
            InvalidObjectException e = assertThrows(InvalidObjectException.class, in::readObject);
            assertTrue(e.getMessage().contains("do not add up to the matrix for class 1"), e.getMessage());
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        for (int i = 0; i + pattern.length <= data.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(data, i, i + pattern.length), pattern)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void mergeAndConstructorCheckTheClassCount() {
        MeanIoUTest.assertMessage("cannot merge counts of 4 classes into counts of 3 classes",
                () -> new SegmentationCounts(3).merge(new SegmentationCounts(4)));
        MeanIoUTest.assertMessage("a binary model, numClasses 1 when counting, is 2×2",
                () -> new SegmentationCounts(1));
        MeanIoUTest.assertMessage("numClasses must be at least 1", () -> SegmentationCounts.count(0,
                new NDList(MeanIoUTest.labels(arrays.manager(), MeanIoUTest.TRUTH_A)),
                new NDList(MeanIoUTest.logits(arrays.manager(), 3, MeanIoUTest.PRED_A))));
    }

    @Test
    void countWithoutAContractIsTheDefaultsAndBinaryCountsTwoClasses() {
        NDList labels = new NDList(MeanIoUTest.labels(arrays.manager(), MeanIoUTest.TRUTH_A));
        SegmentationCounts counts = SegmentationCounts.count(3, labels,
                new NDList(MeanIoUTest.logits(arrays.manager(), 3, MeanIoUTest.PRED_A)));
        assertArrayEquals(MeanIoUTest.CM_A, counts.getConfusionMatrix());
        // binary: logits > 0 at pixels 0 and 2 of truth 1 1 0 0 → [[1, 1], [1, 1]]
        SegmentationCounts binary = SegmentationCounts.count(1,
                new NDList(arrays.create(new long[] {1, 1, 0, 0}, 1, 4)),
                new NDList(arrays.create(new double[] {2, -1, 3, -2}, 1, 4)));
        assertEquals(2, binary.getNumClasses());
        assertArrayEquals(new long[][] {{1, 1}, {1, 1}}, binary.getConfusionMatrix());
        assertThrows(IllegalArgumentException.class, () -> new SegmentationCounts(3).merge(binary));
    }

    @Test
    void concurrentMergesLoseNothing() throws Exception {
        SegmentationCounts part = new DataSet(9L).count(0, 1);
        SegmentationCounts total = new SegmentationCounts(C);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                // both directions at once: total ← part and a copy of total ← total
                done.add(pool.submit(() -> total.merge(part)));
                done.add(pool.submit(() -> total.copy().merge(total)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(200 * part.getPixelCount(), total.getPixelCount());
        assertEquals(200 * part.getImageCount(), total.getImageCount());
        SegmentationCounts.fromJson(total.toJson()); // still consistent
    }
}
