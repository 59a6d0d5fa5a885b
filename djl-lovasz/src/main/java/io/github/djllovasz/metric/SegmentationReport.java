package io.github.djllovasz.metric;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleFunction;
import java.util.function.IntToDoubleFunction;

/**
 * Every figure of a {@link SegmentationCounts}, under one empty-case policy and one choice about
 * the background, with a readable table ({@link #toString()}) and CSV ({@link #toCsv()}). A report
 * holds a snapshot: later changes to the counts do not reach it.
 *
 * <p>Per class c, from the confusion matrix n (rows truth, columns prediction):
 *
 * <pre>
 *   TP_c = n[c][c],  FP_c = Σ_t n[t][c] − TP_c,  FN_c = Σ_p n[c][p] − TP_c,  support_c = TP_c + FN_c
 *   IoU_c       = TP / (TP + FP + FN)                   mIoU (mIoU^D) = mean of IoU_c
 *   Dice_c (F1) = 2TP / (2TP + FP + FN)                 mean Dice     = mean of Dice_c
 *   precision_c = TP / (TP + FP)                        recall_c = TP / (TP + FN)
 *   pixel accuracy = Σ_c TP_c / Σ_{t,p} n[t][p]         (NaN when nothing was counted; no policy, all classes)
 * </pre>
 *
 * <p>Per image b and class c, from {@code I = |T ∩ P|} and {@code U = |T ∪ P|} (Wang and
 * Blaschko, NeurIPS 2023):
 *
 * <pre>
 *   IoU_{b,c} = I / U,   Dice_{b,c} = 2I / (I + U)
 *   mIoU^I_b  = mean over classes of IoU_{b,c};     mIoU^I = mean over images of mIoU^I_b
 *   IoU^C_c   = mean over images of IoU_{b,c};      mIoU^C = mean over classes of IoU^C_c
 *   worst q % = mean of the ⌈q·N/100⌉ smallest mIoU^I_b (at least one), N the images with a value
 * </pre>
 *
 * <p>and the same with Dice: mDice^I, Dice^C, mDice^C and the worst q % of mDice^I_b. The
 * per-image figures take the {@link Overlap}: {@code getPerImageMean(Overlap.IOU)} is mIoU^I,
 * {@code getPerClassMean(Overlap.DICE)} mDice^C.
 *
 * <p><b>Empty ratios.</b> A ratio {@code 0/0} (a class absent from truth and prediction of an
 * image or of the whole data set; precision with {@code TP + FP = 0}; recall with {@code TP + FN =
 * 0}) follows the {@link EmptyPolicy}: {@code SKIP} (the default) reports NaN and leaves it out of
 * every mean, {@code ONE} and {@code ZERO} count it as 1 or 0. A mean over nothing (no class or
 * image with a value) is NaN; with {@code SKIP} an image whose every class is skipped is left out
 * of mIoU^I and the worst q %. <b>Background.</b> With {@code optIncludeBackground(false)} class 0
 * is left out of every mean over classes (the dataset means, mIoU^I_b, mDice^I_b, mIoU^C); the
 * per-class arrays still report it. For a binary model that makes the means the foreground's
 * figures.
 *
 * <p><b>Exactness.</b> Every figure depends only on the counts and the multiset of images: sums
 * over images are taken in sorted order, so merging the same images in any order gives bit-for-bit
 * the same figures. Only {@link #getImageMeans} follows the order the images were added in.
 *
 * <pre>{@code
 * SegmentationReport report = SegmentationReport.builder()
 *         .setCounts(counts)
 *         .optEmptyPolicy(EmptyPolicy.SKIP)          // the default
 *         .optIncludeBackground(false)
 *         .optClassNames(List.of("background", "road", "car"))
 *         .build();
 * System.out.println(report);                        // the table
 * report.writeCsv(Path.of("report.csv"));
 * }</pre>
 */
public final class SegmentationReport {

    /** The columns of {@link #toCsv()}. */
    private static final String[] CSV_HEADER = {
        "class_id", "class", "tp", "fp", "fn", "support",
        "iou", "dice", "precision", "recall", "image_iou", "image_dice"
    };

    /** The columns of {@link #toString()}. */
    private static final String[] TABLE_HEADER = {
        "id", "class", "TP", "FP", "FN", "support",
        "IoU", "Dice", "precision", "recall", "image IoU", "image Dice"
    };

    /** The overlap of a class in an image: IoU or Dice, both functions of (intersection, union). */
    public enum Overlap {
        /** {@code IoU = I / U = |T ∩ P| / |T ∪ P|}. */
        IOU,
        /** {@code Dice = 2I / (I + U) = 2|T ∩ P| / (|T| + |P|)}. */
        DICE;

        /** {@code I/U} or {@code 2I/(I+U)}: both 0/0 exactly when U = 0. */
        double of(long intersection, long union, EmptyPolicy policy) {
            return this == IOU
                    ? policy.ratio(intersection, union)
                    : policy.ratio(2 * intersection, intersection + union);
        }
    }

    private final int numClasses;
    private final List<String> classNames;
    private final EmptyPolicy policy;
    private final boolean includeBackground;
    private final long[] truePositives;
    private final long[] falsePositives;
    private final long[] falseNegatives;
    private final long pixels;
    private final long[][] intersections;
    private final long[][] unions;

    private SegmentationReport(Builder builder) {
        SegmentationCounts counts = Objects.requireNonNull(builder.counts, "setCounts is required").copy();
        this.numClasses = counts.getNumClasses();
        this.policy = builder.policy;
        this.includeBackground = builder.includeBackground;
        if (builder.classNames == null) {
            List<String> names = new ArrayList<>();
            for (int c = 0; c < numClasses; c++) {
                names.add("class " + c);
            }
            this.classNames = Collections.unmodifiableList(names);
        } else if (builder.classNames.size() != numClasses) {
            throw new IllegalArgumentException(
                    builder.classNames.size() + " class names " + builder.classNames + " for counts of "
                            + numClasses + " classes");
        } else {
            this.classNames = builder.classNames;
        }
        long[][] matrix = counts.getConfusionMatrix();
        truePositives = new long[numClasses];
        falsePositives = new long[numClasses];
        falseNegatives = new long[numClasses];
        long total = 0;
        for (int t = 0; t < numClasses; t++) {
            for (int p = 0; p < numClasses; p++) {
                long n = matrix[t][p];
                total += n;
                if (t == p) {
                    truePositives[t] += n;
                } else {
                    falseNegatives[t] += n;
                    falsePositives[p] += n;
                }
            }
        }
        this.pixels = total;
        this.intersections = counts.getImageIntersections();
        this.unions = counts.getImageUnions();
    }

    /** @return a builder; {@link Builder#setCounts} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return C, the number of classes (2 for a binary model) */
    public int getNumClasses() {
        return numClasses;
    }

    /** @return the class names, one per class ("class 0", "class 1", ... unless set) */
    public List<String> getClassNames() {
        return classNames;
    }

    /** @return what a ratio 0/0 counts as */
    public EmptyPolicy getEmptyPolicy() {
        return policy;
    }

    /** @return whether class 0 counts in the means over classes */
    public boolean isIncludeBackground() {
        return includeBackground;
    }

    /** @return the number of images with a counted pixel */
    public int getImageCount() {
        return unions.length;
    }

    /** @return the number of counted pixels */
    public long getPixelCount() {
        return pixels;
    }

    /** @return {@code TP_c = n[c][c]} per class */
    public long[] getTruePositives() {
        return truePositives.clone();
    }

    /** @return {@code FP_c}: pixels predicted as c whose ground truth is another class */
    public long[] getFalsePositives() {
        return falsePositives.clone();
    }

    /** @return {@code FN_c}: pixels of ground truth c predicted as another class */
    public long[] getFalseNegatives() {
        return falseNegatives.clone();
    }

    /** @return the support {@code TP_c + FN_c}: the counted ground-truth pixels of class c */
    public long[] getSupport() {
        long[] support = new long[numClasses];
        for (int c = 0; c < numClasses; c++) {
            support[c] = truePositives[c] + falseNegatives[c];
        }
        return support;
    }

    /** @return {@code IoU_c = TP / (TP + FP + FN)} per class (0/0 per the policy) */
    public double[] getClassIoU() {
        return perClass(c -> Overlap.IOU.of(truePositives[c], union(c), policy));
    }

    /** @return the mean of {@link #getClassIoU()}, mIoU^D (NaN when no class has a value) */
    public double getMeanIoU() {
        return meanOverClasses(getClassIoU());
    }

    /** @return {@code Dice_c = 2TP / (2TP + FP + FN)} per class, the F1 score (0/0 per the policy) */
    public double[] getClassDice() {
        return perClass(c -> Overlap.DICE.of(truePositives[c], union(c), policy));
    }

    /** @return the mean of {@link #getClassDice()} (NaN when no class has a value) */
    public double getMeanDice() {
        return meanOverClasses(getClassDice());
    }

    /** @return {@code precision_c = TP / (TP + FP)} per class (0/0, never predicted, per the policy) */
    public double[] getClassPrecision() {
        return perClass(c -> policy.ratio(truePositives[c], truePositives[c] + falsePositives[c]));
    }

    /** @return the mean of {@link #getClassPrecision()} (NaN when no class has a value) */
    public double getMeanPrecision() {
        return meanOverClasses(getClassPrecision());
    }

    /** @return {@code recall_c = TP / (TP + FN)} per class (0/0, not in the ground truth, per the policy) */
    public double[] getClassRecall() {
        return perClass(c -> policy.ratio(truePositives[c], truePositives[c] + falseNegatives[c]));
    }

    /** @return the mean of {@link #getClassRecall()} (NaN when no class has a value) */
    public double getMeanRecall() {
        return meanOverClasses(getClassRecall());
    }

    /**
     * Returns the pixel accuracy, {@code Σ_c TP_c / Σ_{t,p} n[t][p]}: pooled over all classes
     * (the background included), so a large background dominates it; no policy applies.
     *
     * @return the pixel accuracy in [0, 1], NaN when nothing was counted
     */
    public double getPixelAccuracy() {
        long correct = 0;
        for (long tp : truePositives) {
            correct += tp;
        }
        return pixels > 0 ? (double) correct / pixels : Double.NaN;
    }

    /**
     * Returns mIoU^I_b (or mDice^I_b) of every image: per image the mean over the counted classes
     * of {@code IoU_{b,c} = I/U} (or {@code Dice_{b,c} = 2I/(I+U)}).
     *
     * @param overlap IoU or Dice
     * @return one value per image, in the order the images were added (NaN for an image whose
     *     every class is skipped)
     */
    public double[] getImageMeans(Overlap overlap) {
        double[] means = new double[unions.length];
        double[] classes = new double[numClasses];
        for (int b = 0; b < unions.length; b++) {
            for (int c = 0; c < numClasses; c++) {
                classes[c] = overlap.of(intersections[b][c], unions[b][c], policy);
            }
            means[b] = meanOverClasses(classes);
        }
        return means;
    }

    /**
     * Returns mIoU^I (or mDice^I): the mean over images of {@link #getImageMeans}.
     *
     * @param overlap IoU or Dice
     * @return the mean, NaN without an image with a value
     */
    public double getPerImageMean(Overlap overlap) {
        return sortedMean(getImageMeans(overlap), Integer.MAX_VALUE);
    }

    /**
     * Returns IoU^C_c (or Dice^C_c) per class: the mean over images of {@code IoU_{b,c}} (or
     * {@code Dice_{b,c}}), the components of mIoU^C.
     *
     * @param overlap IoU or Dice
     * @return one value per class, NaN for a class no image has a value of
     */
    public double[] getClassImageMeans(Overlap overlap) {
        double[] column = new double[unions.length];
        return perClass(c -> {
            for (int b = 0; b < unions.length; b++) {
                column[b] = overlap.of(intersections[b][c], unions[b][c], policy);
            }
            return sortedMean(column, Integer.MAX_VALUE);
        });
    }

    /**
     * Returns mIoU^C (or mDice^C): the mean over the counted classes of {@link
     * #getClassImageMeans}.
     *
     * @param overlap IoU or Dice
     * @return the mean, NaN without a class with a value
     */
    public double getPerClassMean(Overlap overlap) {
        return meanOverClasses(getClassImageMeans(overlap));
    }

    /**
     * Returns the mean mIoU^I_b (or mDice^I_b) of the worst q % of the images.
     *
     * @param overlap IoU or Dice
     * @param percent q in (0, 100], e.g. 10
     * @return the mean of the ⌈q·N/100⌉ smallest values (at least one), N the images with a value;
     *     NaN when N = 0
     * @throws IllegalArgumentException for q outside (0, 100]
     */
    public double getWorstImagesMean(Overlap overlap, double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("the worst-images share must lie in (0, 100] %, got " + percent);
        }
        double[] means = getImageMeans(overlap);
        long present = Arrays.stream(means).filter(v -> !Double.isNaN(v)).count();
        int n = (int) Math.max(1, Math.ceil(percent * present / 100 - 1e-9));
        return sortedMean(means, n);
    }

    private long union(int c) {
        return truePositives[c] + falsePositives[c] + falseNegatives[c];
    }

    private double[] perClass(IntToDoubleFunction value) {
        double[] values = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            values[c] = value.applyAsDouble(c);
        }
        return values;
    }

    /** The mean over the counted classes (all, or all but 0) of the values that are not NaN. */
    private double meanOverClasses(double[] values) {
        return sortedMean(includeBackground ? values : Arrays.copyOfRange(values, 1, values.length), Integer.MAX_VALUE);
    }

    /**
     * The mean of the {@code limit} smallest values that are not NaN (all of them when fewer),
     * summed in ascending order: the same for every order of the same values.
     *
     * @return the mean, NaN when no value is left
     */
    private static double sortedMean(double[] values, int limit) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int n = Math.min(limit, sorted.length);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += sorted[i];
        }
        return n > 0 ? sum / n : Double.NaN;
    }

    /**
     * Returns the per-class table as CSV (RFC 4180, {@code \n} line ends): a header row
     *
     * <pre>
     * class_id,class,tp,fp,fn,support,iou,dice,precision,recall,image_iou,image_dice
     * </pre>
     *
     * <p>then one row per class, then a row {@code ,mean,,,,,mIoU,mean Dice,mean precision,mean
     * recall,mIoU^C,mDice^C} with the means (over the classes the background setting counts).
     * {@code image_iou} and {@code image_dice} are IoU^C_c and Dice^C_c. Numbers are written by
     * {@link Double#toString(double)} (exact round trip); <b>NaN is an empty cell</b> (which pandas
     * and spreadsheets read as missing). Class names with a comma, quote or line end are quoted.
     *
     * @return the CSV text
     */
    public String toCsv() {
        StringBuilder csv = new StringBuilder(String.join(",", CSV_HEADER)).append('\n');
        for (String[] row : rows(SegmentationReport::csvNumber, false)) {
            for (int i = 0; i < row.length; i++) {
                csv.append(i == 0 ? "" : ",").append(i == 1 ? csvQuoted(row[i]) : row[i]);
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    /**
     * Writes {@link #toCsv()} to a file in UTF-8, replacing it.
     *
     * @param file the file
     * @throws IOException when the file cannot be written
     */
    public void writeCsv(Path file) throws IOException {
        Files.write(file, toCsv().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns the report as an aligned table: a line with the settings, one row per class (TP,
     * FP, FN, support, IoU, Dice, precision, recall, IoU^C_c, Dice^C_c), a row of the means, and
     * the pixel accuracy, mIoU^I, mDice^I and the worst 10 % of both. Figures have four decimals;
     * <b>NaN prints as {@code NaN}</b>.
     *
     * @return the table
     */
    @Override
    public String toString() {
        List<String[]> rows = new ArrayList<>();
        rows.add(TABLE_HEADER);
        rows.addAll(rows(SegmentationReport::tableNumber, true));
        int[] widths = new int[TABLE_HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT,
                "SegmentationReport: %d classes, %d images, %d pixels; empty ratios %s; background %s%n",
                numClasses, getImageCount(), pixels, policy,
                includeBackground ? "included in the means" : "(class 0) left out of the means"));
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                String cell = i == 1 ? String.format(Locale.ROOT, "%-" + widths[i] + "s", row[i])
                        : String.format(Locale.ROOT, "%" + widths[i] + "s", row[i]);
                table.append(i == 0 ? "" : "  ").append(cell);
            }
            table.append(System.lineSeparator());
        }
        table.append(String.format(Locale.ROOT,
                "pixel accuracy %s, mIoU^I %s, mDice^I %s, worst 10 %% mIoU^I %s, worst 10 %% mDice^I %s",
                tableNumber(getPixelAccuracy()), tableNumber(getPerImageMean(Overlap.IOU)),
                tableNumber(getPerImageMean(Overlap.DICE)), tableNumber(getWorstImagesMean(Overlap.IOU, 10)),
                tableNumber(getWorstImagesMean(Overlap.DICE, 10))));
        return table.toString();
    }

    /** The class rows and the mean row, numbers formatted by {@code number}. */
    private List<String[]> rows(DoubleFunction<String> number, boolean table) {
        double[][] columns = {
            getClassIoU(), getClassDice(), getClassPrecision(), getClassRecall(),
            getClassImageMeans(Overlap.IOU), getClassImageMeans(Overlap.DICE)
        };
        long[] support = getSupport();
        List<String[]> rows = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            String[] row = {
                String.valueOf(c), classNames.get(c), String.valueOf(truePositives[c]),
                String.valueOf(falsePositives[c]), String.valueOf(falseNegatives[c]), String.valueOf(support[c]),
                "", "", "", "", "", ""
            };
            for (int k = 0; k < columns.length; k++) {
                row[6 + k] = number.apply(columns[k][c]);
            }
            rows.add(row);
        }
        String[] mean = {"", table && !includeBackground ? "mean (1..C-1)" : "mean", "", "", "", "", "", "", "", "", "", ""};
        for (int k = 0; k < columns.length; k++) {
            mean[6 + k] = number.apply(meanOverClasses(columns[k]));
        }
        rows.add(mean);
        return rows;
    }

    private static String csvNumber(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    private static String tableNumber(double value) {
        return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String csvQuoted(String text) {
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0
                || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
        return quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    /** Builds a {@link SegmentationReport}. */
    public static final class Builder {
        private SegmentationCounts counts;
        private EmptyPolicy policy = EmptyPolicy.SKIP;
        private boolean includeBackground = true;
        private List<String> classNames;

        Builder() {}

        /**
         * Sets the counts to report on (required); the report takes a copy.
         *
         * @param counts the counts
         * @return this builder
         */
        public Builder setCounts(SegmentationCounts counts) {
            this.counts = Objects.requireNonNull(counts, "counts");
            return this;
        }

        /**
         * Sets what a ratio 0/0 counts as (default {@link EmptyPolicy#SKIP}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder optEmptyPolicy(EmptyPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Whether class 0 counts in the means over classes (default true, MONAI's {@code
         * include_background}); the per-class arrays report it either way.
         *
         * @param includeBackground whether to count class 0 in the means
         * @return this builder
         */
        public Builder optIncludeBackground(boolean includeBackground) {
            this.includeBackground = includeBackground;
            return this;
        }

        /**
         * Names the classes in the table and the CSV (default "class 0", "class 1", ...).
         *
         * @param classNames one name per class of the counts (2 for a binary model)
         * @return this builder
         */
        public Builder optClassNames(List<String> classNames) {
            this.classNames = Collections.unmodifiableList(new ArrayList<>(classNames));
            for (String name : this.classNames) {
                Objects.requireNonNull(name, "class name");
            }
            return this;
        }

        /**
         * Builds the report from a copy of the counts.
         *
         * @return the report
         * @throws NullPointerException when no counts were set
         * @throws IllegalArgumentException when the number of class names is not the counts'
         */
        public SegmentationReport build() {
            return new SegmentationReport(this);
        }
    }
}
