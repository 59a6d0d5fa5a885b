package io.github.djllovasz;

/** What the three Lovász losses share: their settings, read by the kernel. */
abstract class LovaszLoss extends EvaluateOnceLoss {

    final LovaszOptions options;

    LovaszLoss(String name, LovaszOptions options) {
        super(name);
        this.options = options;
    }

    /** @return whether the loss is computed per image and averaged over images */
    public boolean isPerImage() {
        return options.perImage;
    }

    /** @return the ignored label, or {@code null} */
    public Integer getIgnoreIndex() {
        return options.ignoreIndex();
    }

    /** @return what the loss expects of its inputs */
    public InputContract getInputContract() {
        return options.input;
    }
}
