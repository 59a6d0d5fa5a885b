package io.github.djllovasz.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.evaluator.Evaluator;
import io.github.djllovasz.ClassAxisBuilder;
import io.github.djllovasz.InputContract;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DJL {@link Evaluator} over {@link SegmentationCounts}: one set of counts per accumulator key,
 * every update counted once by {@link SegmentationCounts#count} and merged in, every figure read
 * from a {@link SegmentationReport} under this evaluator's {@link EmptyPolicy} and background
 * setting (per-image and per-class Dice and more: {@link #getReport}). {@link MeanIoU} and {@link
 * MeanDice} differ only in the figure {@link #getAccumulator(String)} returns ({@link #value}).
 *
 * <p>{@link #getCounts(String)} returns a copy of a key's counts, to be merged with the counts of
 * other processes or devices ({@link SegmentationCounts#merge}). Accumulators may be updated and
 * read from several threads.
 */
public abstract class SegmentationEvaluator extends Evaluator {

    private final int numClasses;
    private final InputContract input;
    private final boolean includeBackground;
    private final EmptyPolicy emptyPolicy;
    private final Map<String, SegmentationCounts> accumulators = new ConcurrentHashMap<>();

    /**
     * Creates the evaluator from its builder's settings.
     *
     * @param builder the settings
     * @throws IllegalArgumentException for {@code numClasses} &lt; 1
     */
    protected SegmentationEvaluator(BaseBuilder<?> builder) {
        super(builder.evaluatorName());
        this.numClasses = SegmentationCounts.requireModelClasses(builder.numClasses);
        this.input = builder.contract();
        this.includeBackground = builder.includeBackground;
        this.emptyPolicy = builder.emptyPolicy;
    }

    /**
     * The figure of a report that {@link #getAccumulator} and {@link #evaluate} return.
     *
     * @param report the report of the counts, under this evaluator's settings
     * @return the figure
     */
    protected abstract double value(SegmentationReport report);

    /**
     * Computes this evaluator's figure on one batch alone (the accumulators are not touched).
     *
     * @param labels the class ids in the first array (0/1 for a binary model), optionally a keep mask
     * @param predictions the scores {@code [B, C, d1, ...]} in the first array ({@code [B, 1, d1,
     *     ...]} or the labels' shape for a binary model)
     * @return the batch's figure, a float32 scalar on the predictions' manager (NaN if nothing counts)
     * @throws IllegalArgumentException for shapes or labels that do not fit
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        double value = value(report(count(labels, predictions)));
        return predictions.head().getManager().create((float) value);
    }

    /**
     * Adds an empty accumulator, or empties an existing one.
     *
     * @param key the accumulator's name
     */
    @Override
    public void addAccumulator(String key) {
        accumulators.put(key, new SegmentationCounts(matrixClasses()));
        totalInstances.put(key, 0L);
    }

    /**
     * Counts a batch into one accumulator.
     *
     * @param key the accumulator's name
     * @param labels the class ids in the first array, optionally a keep mask
     * @param predictions the scores in the first array
     */
    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        accumulator(key);
        add(count(labels, predictions), key);
    }

    /**
     * Counts a batch once and adds it to each accumulator.
     *
     * @param keys the accumulators' names
     * @param labels the class ids in the first array, optionally a keep mask
     * @param predictions the scores in the first array
     */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        for (String key : keys) {
            accumulator(key);
        }
        add(count(labels, predictions), keys);
    }

    /** Merges one batch's counts into accumulators that exist. */
    private void add(SegmentationCounts batch, String... keys) {
        long pixels = batch.getPixelCount();
        for (String key : keys) {
            accumulator(key).merge(batch);
            totalInstances.merge(key, pixels, Long::sum);
        }
    }

    /**
     * Empties an accumulator.
     *
     * @param key the accumulator's name
     */
    @Override
    public void resetAccumulator(String key) {
        accumulator(key);
        addAccumulator(key);
    }

    /**
     * Returns this evaluator's figure ({@link #value}) of everything accumulated under a key.
     *
     * @param key the accumulator's name
     * @return the figure, NaN if nothing was counted
     */
    @Override
    public float getAccumulator(String key) {
        return (float) value(getReport(key));
    }

    /**
     * Returns a copy of the counts accumulated under a key, e.g. to merge them with the counts of
     * other processes or devices.
     *
     * @param key the accumulator's name
     * @return an independent copy
     */
    public SegmentationCounts getCounts(String key) {
        return accumulator(key).copy();
    }

    /**
     * Returns the report of everything accumulated under a key, under this evaluator's empty
     * policy and background setting (for class names, build one from {@link #getCounts}).
     *
     * @param key the accumulator's name
     * @return the report, a snapshot
     */
    public SegmentationReport getReport(String key) {
        return report(accumulator(key));
    }

    /**
     * Returns the dataset mean IoU, mIoU<sup>D</sup>, accumulated under a key.
     *
     * @param key the accumulator's name
     * @return the mean of {@code IoU_c = TP / (TP + FP + FN)} over the classes counted (see
     *     {@link SegmentationReport#getMeanIoU()}), NaN if none
     */
    public double getMeanIoU(String key) {
        return getReport(key).getMeanIoU();
    }

    /**
     * Returns the dataset mean Dice accumulated under a key.
     *
     * @param key the accumulator's name
     * @return the mean of {@code Dice_c = 2TP / (2TP + FP + FN)} over the classes counted, NaN if none
     */
    public double getMeanDice(String key) {
        return getReport(key).getMeanDice();
    }

    /**
     * Returns the per-class IoU accumulated under a key.
     *
     * @param key the accumulator's name
     * @return {@code IoU_c} per class (0/0 per the empty policy: NaN by default); for a binary
     *     model {@code [IoU_background, IoU_foreground]}
     */
    public double[] getClassIoU(String key) {
        return getReport(key).getClassIoU();
    }

    /**
     * Returns the per-class Dice (F1) accumulated under a key.
     *
     * @param key the accumulator's name
     * @return {@code Dice_c = 2TP / (2TP + FP + FN)} per class (0/0 per the empty policy)
     */
    public double[] getClassDice(String key) {
        return getReport(key).getClassDice();
    }

    /**
     * Returns the per-class precision accumulated under a key.
     *
     * @param key the accumulator's name
     * @return {@code TP / (TP + FP)} per class (0/0, a class never predicted, per the empty policy)
     */
    public double[] getClassPrecision(String key) {
        return getReport(key).getClassPrecision();
    }

    /**
     * Returns the per-class recall accumulated under a key.
     *
     * @param key the accumulator's name
     * @return {@code TP / (TP + FN)} per class (0/0, a class not in the ground truth, per the empty
     *     policy)
     */
    public double[] getClassRecall(String key) {
        return getReport(key).getClassRecall();
    }

    /**
     * Returns the mean precision over the classes counted, accumulated under a key.
     *
     * @param key the accumulator's name
     * @return the mean of {@link #getClassPrecision}, NaN if no class has a value
     */
    public double getMeanPrecision(String key) {
        return getReport(key).getMeanPrecision();
    }

    /**
     * Returns the mean recall over the classes counted, accumulated under a key.
     *
     * @param key the accumulator's name
     * @return the mean of {@link #getClassRecall}, NaN if no class has a value
     */
    public double getMeanRecall(String key) {
        return getReport(key).getMeanRecall();
    }

    /**
     * Returns mIoU<sup>I</sup> accumulated under a key: per image the mean IoU over its classes
     * (by default those appearing in its counted ground truth or prediction), then the mean over
     * images.
     *
     * @param key the accumulator's name
     * @return mIoU^I, NaN if no image had a counted pixel
     */
    public double getPerImageMeanIoU(String key) {
        return getReport(key).getPerImageMean(SegmentationReport.Overlap.IOU);
    }

    /**
     * Returns mIoU<sup>C</sup> accumulated under a key: per class the mean IoU over the images
     * (by default those in which it appears), then the mean over classes.
     *
     * @param key the accumulator's name
     * @return mIoU^C, NaN if no image had a counted pixel
     */
    public double getPerClassMeanIoU(String key) {
        return getReport(key).getPerClassMean(SegmentationReport.Overlap.IOU);
    }

    /**
     * Returns the mean mIoU^I_b of the worst q % of the images accumulated under a key: the
     * ⌈q·N/100⌉ images (at least one) with the smallest mIoU^I_b, of the N images in mIoU^I.
     *
     * @param key the accumulator's name
     * @param percent q in (0, 100], e.g. 10
     * @return their mean mIoU^I_b, NaN if no image had a counted pixel
     * @throws IllegalArgumentException for q outside (0, 100]
     */
    public double getWorstImagesMeanIoU(String key, double percent) {
        return getReport(key).getWorstImagesMean(SegmentationReport.Overlap.IOU, percent);
    }

    /**
     * Returns mIoU^I_b of every image accumulated under a key that had a counted pixel.
     *
     * @param key the accumulator's name
     * @return one value per image, in the order counted (NaN for an image whose every class the
     *     empty policy skips, possible only without the background)
     */
    public double[] getImageMeanIoUs(String key) {
        return getReport(key).getImageMeans(SegmentationReport.Overlap.IOU);
    }

    /**
     * Returns the foreground IoU of a binary model accumulated under a key,
     *
     * <pre>
     *   IoU_fg = TP / (TP + FP + FN),   TP = n[1][1], FP = n[0][1], FN = n[1][0]
     * </pre>
     *
     * <p>the same as {@code getClassIoU(key)[1]}.
     *
     * @param key the accumulator's name
     * @return the foreground IoU; when the foreground occurs in neither the counted ground truth
     *     nor the prediction NaN (or 1 or 0, per the empty policy)
     * @throws IllegalStateException if this evaluator is not binary ({@code numClasses} ≥ 2)
     */
    public double getForegroundIoU(String key) {
        if (!isBinary()) {
            throw new IllegalStateException(
                    "getForegroundIoU needs a binary " + getClass().getSimpleName() + " (numClasses 1), but"
                            + " numClasses is " + numClasses + ": use getClassIoU(key)[c]");
        }
        return getClassIoU(key)[1];
    }

    /**
     * Returns the pixel accuracy accumulated under a key: the share of counted pixels predicted as
     * their ground-truth class, {@code Σ_c n[c][c] / Σ_{t,p} n[t][p]} (all classes, no policy).
     *
     * @param key the accumulator's name
     * @return the pixel accuracy in [0, 1], NaN if nothing was counted
     */
    public double getPixelAccuracy(String key) {
        return getReport(key).getPixelAccuracy();
    }

    /**
     * Returns which classes are present under a key: in the counted ground truth or prediction.
     *
     * @param key the accumulator's name
     * @return per class, {@code TP + FP + FN > 0} (two entries for a binary model)
     */
    public boolean[] getPresentClasses(String key) {
        long[][] matrix = getConfusionMatrix(key);
        boolean[] present = new boolean[matrix.length];
        for (int t = 0; t < matrix.length; t++) {
            for (int p = 0; p < matrix.length; p++) {
                if (matrix[t][p] > 0) {
                    present[t] = true;
                    present[p] = true;
                }
            }
        }
        return present;
    }

    /**
     * Returns a copy of the counts accumulated under a key.
     *
     * @param key the accumulator's name
     * @return {@code [truth][predicted]} pixel counts, C×C, or 2×2 (0 background, 1 foreground) for
     *     a binary model
     */
    public long[][] getConfusionMatrix(String key) {
        return accumulator(key).getConfusionMatrix();
    }

    /** @return the number of classes C as set, 1 for a binary model (which counts 2×2) */
    public int getNumClasses() {
        return numClasses;
    }

    /** @return whether this evaluator is binary ({@code numClasses} 1) */
    public boolean isBinary() {
        return numClasses == 1;
    }

    /** @return whether class 0 counts in the means over classes */
    public boolean isIncludeBackground() {
        return includeBackground;
    }

    /** @return what a ratio 0/0 counts as */
    public EmptyPolicy getEmptyPolicy() {
        return emptyPolicy;
    }

    /**
     * @return what the metric expects of its inputs: the same label and keep-mask rules as the
     *     losses; logits or probabilities matter only for a binary model's threshold
     */
    public InputContract getInputContract() {
        return input;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return getName() + "{numClasses=" + numClasses + ", ignoreIndex=" + input.getIgnoreIndex()
                + ", classAxis=" + input.getClassAxis() + ", fromLogits=" + input.isFromLogits()
                + ", includeBackground=" + includeBackground + ", emptyPolicy=" + emptyPolicy + "}";
    }

    /** The size of the confusion matrix: C, or 2 (background, foreground) for a binary model. */
    private int matrixClasses() {
        return isBinary() ? 2 : numClasses;
    }

    private SegmentationCounts count(NDList labels, NDList predictions) {
        return SegmentationCounts.count(numClasses, input, labels, predictions);
    }

    private SegmentationReport report(SegmentationCounts counts) {
        return SegmentationReport.builder()
                .setCounts(counts)
                .optEmptyPolicy(emptyPolicy)
                .optIncludeBackground(includeBackground)
                .build();
    }

    private SegmentationCounts accumulator(String key) {
        SegmentationCounts counts = accumulators.get(key);
        if (counts == null) {
            throw new IllegalArgumentException(
                    "no accumulator named '" + key + "': call addAccumulator first");
        }
        return counts;
    }

    /**
     * The settings of a segmentation evaluator: the number of classes, the class axis, logits or
     * probabilities, the ignore index, the empty policy and the background.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    public abstract static class BaseBuilder<B extends BaseBuilder<B>> extends ClassAxisBuilder<B> {
        private int numClasses;
        private boolean includeBackground = true;
        private EmptyPolicy emptyPolicy = EmptyPolicy.SKIP;

        /**
         * Creates the builder.
         *
         * @param defaultName the evaluator's default name
         */
        protected BaseBuilder(String defaultName) {
            super(defaultName);
        }

        /**
         * Sets the number of classes C (required, at least 1).
         *
         * <p>C ≥ 2: the predictions hold one score per class along the class axis and each pixel
         * is predicted as the arg-max. C = 1: a binary model with one score per pixel (class axis
         * of size 1, or no class axis when the labels have the predictions' shape), foreground
         * where the logit is {@code > 0} (or the probability {@code > 0.5} with {@code
         * optFromLogits(false)}: exactly 0.5 is background, and probabilities outside [0, 1] are
         * rejected), labels 0/1, counted as a 2×2 matrix (0 background, 1 foreground); see {@link
         * MeanIoU}. With C ≥ 2 logits or probabilities change nothing: the arg-max is the same.
         *
         * @param numClasses C, the size of the class axis of the predictions; 1 for binary
         * @return this builder
         */
        public B setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return self();
        }

        /**
         * Whether class 0 (the background; of a binary model, class 0 of its 2×2 counts) counts
         * in every mean over classes (default true; MONAI's {@code include_background}). The
         * per-class arrays report it either way.
         *
         * @param includeBackground whether class 0 counts in the means
         * @return this builder
         */
        public B optIncludeBackground(boolean includeBackground) {
            this.includeBackground = includeBackground;
            return self();
        }

        /**
         * Sets what a ratio 0/0 counts as in every figure (default {@link EmptyPolicy#SKIP}:
         * left out of the means; MONAI's {@code ignore_empty}, torchmetrics' {@code
         * zero_division}).
         *
         * @param emptyPolicy the policy
         * @return this builder
         */
        public B optEmptyPolicy(EmptyPolicy emptyPolicy) {
            this.emptyPolicy = Objects.requireNonNull(emptyPolicy, "emptyPolicy");
            return self();
        }

        private String evaluatorName() {
            return name();
        }

        private InputContract contract() {
            return inputContract();
        }
    }
}
