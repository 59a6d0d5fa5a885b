package io.github.djllovasz;

/** What the three Lovász losses share: their settings, read by the kernel. */
abstract class LovaszLoss extends EvaluateOnceLoss {

    final LovaszOptions options;

    LovaszLoss(LossBuilder.LovaszSettings<?> builder) {
        super(builder.name);
        this.options = builder.options();
    }

    /** @return whether the loss is computed per image and averaged over images */
    public boolean isPerImage() {
        return options.perImage;
    }

    /** @return the ignored label, or {@code null} */
    public Integer getIgnoreIndex() {
        return options.ignoreIndex;
    }
}
