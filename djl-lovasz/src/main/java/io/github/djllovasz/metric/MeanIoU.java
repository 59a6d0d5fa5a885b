package io.github.djllovasz.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djllovasz.ClassAxisBuilder;
import io.github.djllovasz.InputContract;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.evaluator.Evaluator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mean intersection over union of a semantic segmentation, accumulated over batches: a DJL
 * {@link Evaluator} for {@code DefaultTrainingConfig.addEvaluator}.
 *
 * <p>Each pixel is predicted as {@code argmax_c x_i(c)} over the class axis of the predictions;
 * pixels whose label is the ignore index are not counted. The counts of every update are added to
 * a C×C {@link ConfusionMatrix} per accumulator key (exact {@code long} counts on the host), and
 *
 * <pre>
 *   IoU_c = TP_c / (TP_c + FP_c + FN_c)
 *   mIoU  = mean of IoU_c over the present classes, those with TP_c + FP_c + FN_c > 0
 * </pre>
 *
 * <p>A class is present if it occurs in the counted ground truth or in the prediction of a
 * counted pixel; a class in neither is left out of the mean (a class only predicted counts with
 * IoU 0). With no counted pixel the value is NaN. IoU is pooled over all accumulated pixels, not
 * averaged over batches or images.
 *
 * <p>{@link #getPixelAccuracy(String)} reports the pixel accuracy of the same counts, {@code
 * trace / total = Σ_c n[c][c] / Σ_{t,p} n[t][p]} (NaN with no counted pixel).
 *
 * <p><b>Finer measures</b> (Wang and Blaschko, NeurIPS 2023). The mIoU above is the dataset mIoU,
 * mIoU<sup>D</sup>: one pool of pixels, so large images and frequent classes dominate it. Per image
 * b and class c that appears in the image (in its counted ground truth or its prediction, {@code
 * |T ∪ P| > 0}), {@code IoU_{b,c} = |T_{b,c} ∩ P_{b,c}| / |T_{b,c} ∪ P_{b,c}|}, and
 *
 * <pre>
 *   mIoU^I_b = mean of IoU_{b,c} over the classes appearing in image b
 *   mIoU^I   = mean of mIoU^I_b over the images in which some class appears        {@link #getPerImageMeanIoU}
 *   mIoU^C   = mean over the classes that appear in some image of the mean of IoU_{b,c}
 *              over the images b in which c appears                                {@link #getPerClassMeanIoU}
 *   worst q % = mean of the ⌈q·N/100⌉ smallest mIoU^I_b (N images, at least one)    {@link #getWorstImagesMeanIoU}
 * </pre>
 *
 * <p>mIoU<sup>I</sup> weighs every image equally, mIoU<sup>C</sup> every class equally without
 * letting one large image dominate a class, and the worst q % shows the images a model fails on.
 * Each is NaN when no image has a counted pixel. A binary model counts background and foreground
 * as its two classes here too. An "image" is one entry of the batch axis of an update.
 *
 * <p><b>Binary models</b> ({@code setNumClasses(1)}, e.g. trained with the Lovász hinge or
 * Lovász-sigmoid): the predictions hold one score per pixel, either with a class axis of size 1
 * ({@code [B, 1, H, W]} with labels {@code [B, H, W]}) or with no class axis at all, when the labels
 * have the predictions' shape ({@code [B, H, W]} logits and {@code [B, H, W]} labels; {@code [B,
 * 1, H, W]} labels with {@code [B, 1, H, W]} predictions also fit). A pixel is predicted
 *
 * <pre>
 *   foreground (1)  if x_i > 0     (logits, the default)
 *   foreground (1)  if x_i > 0.5   (probabilities, {@link Builder#optFromLogits optFromLogits(false)})
 *   background (0)  otherwise      (so a logit of exactly 0 or a probability of exactly 0.5 is background)
 * </pre>
 *
 * <p>Labels are 0 (background), 1 (foreground) or the ignore index; any other label is an {@link
 * IllegalArgumentException} naming it, and so are probabilities outside [0, 1] (or NaN) with
 * {@code optFromLogits(false)}. The counts go into a 2×2 {@link ConfusionMatrix} over the classes
 * {0 background, 1 foreground}, and everything above holds with C = 2: {@link #getClassIoU}
 * returns {@code [IoU_background, IoU_foreground]}, {@link #getConfusionMatrix} is 2×2, and {@link
 * #getAccumulator} (and {@link #evaluate}) is the mean IoU over the present ones of the two
 * classes, {@code (IoU_0 + IoU_1) / 2} when both are present. {@link #getForegroundIoU(String)}
 * returns {@code IoU_1 = TP / (TP + FP + FN)} of the foreground alone (NaN when foreground occurs
 * in neither the counted truth nor the prediction). {@link #getNumClasses()} stays 1. Shapes that
 * fit neither form are an {@link IllegalArgumentException} naming both shapes.
 *
 * <p>With C ≥ 2 {@code optFromLogits} changes nothing: the arg-max of probabilities (a softmax
 * of the logits) is the arg-max of the logits.
 *
 * <pre>{@code
 * MeanIoU miou = MeanIoU.builder().setNumClasses(21).optIgnoreIndex(255).build();
 * DefaultTrainingConfig config = new DefaultTrainingConfig(loss).addEvaluator(miou);
 *
 * // A binary model with [B, H, W] logits (Lovász hinge): foreground IoU and the 2-class mIoU.
 * MeanIoU binary = MeanIoU.builder().setNumClasses(1).optIgnoreIndex(255).build();
 * // after an epoch: binary.getForegroundIoU(key), binary.getAccumulator(key)
 * }</pre>
 *
 * <p>Labels may carry a keep mask as their second array (as {@link io.github.djllovasz.TverskyLoss}
 * takes it, of the class-id shape, 1 keep and 0 drop): dropped pixels count nowhere, like ignored
 * ones.
 */
public class MeanIoU extends Evaluator {

    private final int numClasses;
    private final InputContract input;
    private final Map<String, ConfusionMatrix> accumulators = new ConcurrentHashMap<>();
    private final Map<String, ImageIoU> images = new ConcurrentHashMap<>();

    /**
     * Creates an evaluator named "mIoU" with class axis 1, logits and no ignore index.
     *
     * @param numClasses the number of classes C ≥ 2, or 1 for a binary model (see the class
     *     documentation)
     */
    public MeanIoU(int numClasses) {
        this(builder().setNumClasses(numClasses));
    }

    MeanIoU(Builder builder) {
        super(builder.evaluatorName());
        if (builder.numClasses < 1) {
            throw new IllegalArgumentException(
                    "numClasses must be at least 1 (1: a binary model with one foreground score per"
                            + " pixel, C ≥ 2: one score per class), got " + builder.numClasses);
        }
        this.numClasses = builder.numClasses;
        this.input = builder.contract();
    }

    /** @return a builder; {@link Builder#setNumClasses} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Computes the mean IoU of one batch alone (the accumulators are not touched).
     *
     * @param labels the class ids in the first array (0/1 for a binary model)
     * @param predictions the scores {@code [B, C, d1, ...]} in the first array ({@code [B, 1, d1,
     *     ...]} or the labels' shape for a binary model)
     * @return the batch's mIoU, a float32 scalar on the predictions' manager (NaN if nothing counts;
     *     for a binary model the mean over the present ones of background and foreground)
     * @throws IllegalArgumentException for shapes or labels that do not fit
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray scores = predictions.head();
        double value = ConfusionMatrix.of(matrixClasses(), count(labels, predictions).matrix).meanIoU();
        return scores.getManager().create((float) value);
    }

    /**
     * Adds an empty accumulator, or empties an existing one.
     *
     * @param key the accumulator's name
     */
    @Override
    public void addAccumulator(String key) {
        accumulators.put(key, new ConfusionMatrix(matrixClasses()));
        images.put(key, new ImageIoU(matrixClasses()));
        totalInstances.put(key, 0L);
    }

    /**
     * Counts a batch into one accumulator.
     *
     * @param key the accumulator's name
     * @param labels the class ids in the first array
     * @param predictions the scores in the first array
     */
    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        accumulator(key);
        add(key, count(labels, predictions));
    }

    /**
     * Counts a batch once and adds it to each accumulator.
     *
     * @param keys the accumulators' names
     * @param labels the class ids in the first array
     * @param predictions the scores in the first array
     */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        for (String key : keys) {
            accumulator(key);
        }
        BatchCounts counts = count(labels, predictions);
        for (String key : keys) {
            add(key, counts);
        }
    }

    /** Adds one batch's counts to an accumulator. */
    private void add(String key, BatchCounts counts) {
        long pixels = 0;
        for (long n : counts.matrix) {
            pixels += n;
        }
        accumulator(key).add(counts.matrix);
        images.get(key).add(counts);
        totalInstances.merge(key, pixels, Long::sum);
    }

    /**
     * Sets an accumulator's counts to zero.
     *
     * @param key the accumulator's name
     */
    @Override
    public void resetAccumulator(String key) {
        accumulator(key).reset();
        images.get(key).reset();
        totalInstances.put(key, 0L);
    }

    /**
     * Returns the mean IoU of everything accumulated under a key.
     *
     * @param key the accumulator's name
     * @return the mIoU over present classes, NaN if nothing was counted; for a binary model over
     *     the present ones of background and foreground (see {@link #getForegroundIoU} for the
     *     foreground alone)
     */
    @Override
    public float getAccumulator(String key) {
        return (float) accumulator(key).meanIoU();
    }

    /**
     * Returns mIoU<sup>I</sup> accumulated under a key: per image the mean IoU over the classes
     * that appear in its counted ground truth or prediction, then the mean over images (see the
     * class documentation).
     *
     * @param key the accumulator's name
     * @return mIoU^I, NaN if no image had a counted pixel
     */
    public double getPerImageMeanIoU(String key) {
        accumulator(key);
        return images.get(key).meanOverImages();
    }

    /**
     * Returns mIoU<sup>C</sup> accumulated under a key: per class the mean IoU over the images in
     * which it appears (ground truth or prediction), then the mean over those classes.
     *
     * @param key the accumulator's name
     * @return mIoU^C, NaN if no image had a counted pixel
     */
    public double getPerClassMeanIoU(String key) {
        accumulator(key);
        return images.get(key).meanOverClasses();
    }

    /**
     * Returns the mean per-image mIoU<sup>I</sup> of the worst q % of the images accumulated under
     * a key: the ⌈q·N/100⌉ images (at least one) with the smallest mIoU^I_b, of the N images in
     * mIoU^I.
     *
     * @param key the accumulator's name
     * @param percent q in (0, 100], e.g. 10
     * @return their mean mIoU^I_b, NaN if no image had a counted pixel
     * @throws IllegalArgumentException for q outside (0, 100]
     */
    public double getWorstImagesMeanIoU(String key, double percent) {
        accumulator(key);
        return images.get(key).worstImages(percent);
    }

    /**
     * Returns mIoU^I_b of every image accumulated under a key that had a counted pixel.
     *
     * @param key the accumulator's name
     * @return one value per image, in the order counted
     */
    public double[] getImageMeanIoUs(String key) {
        accumulator(key);
        return images.get(key).perImage();
    }

    /**
     * Returns the per-class IoU accumulated under a key.
     *
     * @param key the accumulator's name
     * @return {@code IoU_c} per class, NaN for classes not present; for a binary model {@code
     *     [IoU_background, IoU_foreground]}
     */
    public double[] getClassIoU(String key) {
        return accumulator(key).classIoU();
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
     * @return the foreground IoU, NaN when the foreground occurs in neither the counted ground
     *     truth nor the prediction
     * @throws IllegalStateException if this evaluator is not binary ({@code numClasses} ≥ 2)
     */
    public double getForegroundIoU(String key) {
        if (!isBinary()) {
            throw new IllegalStateException(
                    "getForegroundIoU needs a binary MeanIoU (numClasses 1), but numClasses is "
                            + numClasses + ": use getClassIoU(key)[c]");
        }
        return accumulator(key).classIoU()[1];
    }

    /**
     * Returns the pixel accuracy accumulated under a key (see {@link
     * ConfusionMatrix#pixelAccuracy()}): the share of counted pixels predicted as their
     * ground-truth class, {@code Σ_c n[c][c] / Σ_{t,p} n[t][p]}.
     *
     * @param key the accumulator's name
     * @return the pixel accuracy in [0, 1], NaN if nothing was counted
     */
    public double getPixelAccuracy(String key) {
        return accumulator(key).pixelAccuracy();
    }

    /**
     * Returns which classes are present (counted in the mean) under a key.
     *
     * @param key the accumulator's name
     * @return per class, {@code TP + FP + FN > 0} (two entries for a binary model)
     */
    public boolean[] getPresentClasses(String key) {
        return accumulator(key).presentClasses();
    }

    /**
     * Returns a copy of the counts accumulated under a key.
     *
     * @param key the accumulator's name
     * @return {@code [truth][predicted]} pixel counts, C×C, or 2×2 (0 background, 1 foreground) for
     *     a binary model
     */
    public long[][] getConfusionMatrix(String key) {
        return accumulator(key).toArray();
    }

    /** @return the number of classes C as set, 1 for a binary model (which counts 2×2) */
    public int getNumClasses() {
        return numClasses;
    }

    /** @return whether this evaluator is binary ({@code numClasses} 1) */
    public boolean isBinary() {
        return numClasses == 1;
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
                + ", classAxis=" + input.getClassAxis() + ", fromLogits=" + input.isFromLogits() + "}";
    }

    /** The size of the confusion matrix: C, or 2 (background, foreground) for a binary model. */
    private int matrixClasses() {
        return isBinary() ? 2 : numClasses;
    }

    /**
     * Counts one batch. The labels follow the losses' {@link InputContract}: class ids (0/1 for a
     * binary model), and optionally a keep mask whose 0 pixels count nowhere, like ignored ones.
     */
    private BatchCounts count(NDList labels, NDList predictions) {
        NDArray scores = predictions.head();
        if (labels.size() == 1) {
            return count(labels.head(), scores, input);
        }
        try (NDManager scope = labels.head().getManager().newSubManager()) {
            scope.tempAttachAll(labels.toArray(new NDArray[0]));
            return count(input.maskedClassIds(labels), scores, input.maskedAsIgnored());
        }
    }

    private BatchCounts count(NDArray truth, NDArray scores, InputContract contract) {
        return isBinary()
                ? ConfusionCounter.countBinary(scores, truth, contract)
                : ConfusionCounter.count(scores, truth, numClasses, contract);
    }

    private ConfusionMatrix accumulator(String key) {
        ConfusionMatrix matrix = accumulators.get(key);
        if (matrix == null) {
            throw new IllegalArgumentException(
                    "no accumulator named '" + key + "': call addAccumulator first");
        }
        return matrix;
    }

    /** Builds a {@link MeanIoU}. */
    public static final class Builder extends ClassAxisBuilder<Builder> {
        private int numClasses;

        Builder() {
            super("mIoU");
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
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
        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        private String evaluatorName() {
            return name();
        }

        private InputContract contract() {
            return inputContract();
        }

        /** @return the evaluator */
        public MeanIoU build() {
            return new MeanIoU(this);
        }
    }
}
