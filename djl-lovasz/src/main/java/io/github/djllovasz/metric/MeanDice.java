package io.github.djllovasz.metric;

/**
 * Mean Dice (F1) of a semantic segmentation, accumulated over batches: a DJL {@code Evaluator}
 * named "mDice", the same evaluator as {@link MeanIoU} (same counting, options and getters) with
 * the mean Dice as the value of {@link #getAccumulator} and {@link #evaluate}:
 *
 * <pre>
 *   Dice_c = 2·TP_c / (2·TP_c + FP_c + FN_c)     (pooled over every accumulated pixel)
 *   mDice  = mean of Dice_c over the classes counted
 * </pre>
 *
 * <p>With the default {@link EmptyPolicy#SKIP} a class absent from both the counted ground truth
 * and the prediction is left out; with {@code optIncludeBackground(false)} class 0 is. Since
 * {@code Dice = 2·IoU / (1 + IoU)} per class, the mean Dice ranks models like the mIoU per class
 * but not always in the mean.
 *
 * <pre>{@code
 * MeanDice dice = MeanDice.builder().setNumClasses(21).optIgnoreIndex(255)
 *         .optIncludeBackground(false).build();
 * config.addEvaluator(dice);
 * }</pre>
 */
public class MeanDice extends SegmentationEvaluator {

    MeanDice(Builder builder) {
        super(builder);
    }

    /** @return a builder; {@link Builder#setNumClasses} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the mean Dice of a report.
     *
     * @param report the report
     * @return {@link SegmentationReport#getMeanDice()}
     */
    @Override
    protected double value(SegmentationReport report) {
        return report.getMeanDice();
    }

    /** Builds a {@link MeanDice}. */
    public static final class Builder extends BaseBuilder<Builder> {

        Builder() {
            super("mDice");
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /** @return the evaluator */
        public MeanDice build() {
            return new MeanDice(this);
        }
    }
}
