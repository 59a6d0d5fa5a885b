package io.github.djllovasz.metric;

/**
 * Mean intersection over union of a semantic segmentation, accumulated over batches: a DJL
 * {@link ai.djl.training.evaluator.Evaluator} for {@code DefaultTrainingConfig.addEvaluator}.
 *
 * <p>Each pixel is predicted as {@code argmax_c x_i(c)} over the class axis of the predictions;
 * pixels whose label is the ignore index are not counted. The counts of every update are added to
 * the C×C confusion matrix of a {@link SegmentationCounts} per accumulator key (exact {@code long}
 * counts on the host), and
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
 * {@code optFromLogits(false)}. The counts go into a 2×2 confusion matrix over the classes
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
 *
 * <p><b>Options</b> (the defaults give every figure above): {@link
 * SegmentationEvaluator.BaseBuilder#optEmptyPolicy optEmptyPolicy} says what a ratio 0/0 (a class
 * absent from truth and prediction) counts as, {@link EmptyPolicy#SKIP} (left out of the mean, as
 * above), {@code ONE} or {@code ZERO}; {@link SegmentationEvaluator.BaseBuilder#optIncludeBackground
 * optIncludeBackground(false)} leaves class 0 out of every mean (a binary model's mIoU is then its
 * foreground IoU). Beyond IoU it reports Dice, precision and recall ({@link #getClassDice}, {@link
 * #getMeanDice}, ...) and a per-class {@link SegmentationReport} ({@link #getReport}); {@link
 * #getCounts} returns the counts to merge across processes. {@link MeanDice} is the same evaluator
 * with the mean Dice as its value.
 */
public class MeanIoU extends SegmentationEvaluator {

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
        super(builder);
    }

    /** @return a builder; {@link Builder#setNumClasses} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the mean IoU of a report: {@link #getAccumulator} and {@link #evaluate} are the
     * mIoU over the classes counted, NaN if nothing was counted; for a binary model over
     * background and foreground (see {@link #getForegroundIoU} for the foreground alone).
     *
     * @param report the report
     * @return {@link SegmentationReport#getMeanIoU()}
     */
    @Override
    protected double value(SegmentationReport report) {
        return report.getMeanIoU();
    }

    /** Builds a {@link MeanIoU}. */
    public static final class Builder extends BaseBuilder<Builder> {

        Builder() {
            super("mIoU");
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /** @return the evaluator */
        public MeanIoU build() {
            return new MeanIoU(this);
        }
    }
}
