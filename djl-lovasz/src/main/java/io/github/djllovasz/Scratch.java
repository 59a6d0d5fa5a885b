package io.github.djllovasz;

import ai.djl.ndarray.NDArray;

/**
 * A chain of elementwise updates to an array that no gradient flows through (counts, weights,
 * sort keys), done in place where the engine allows it and out of place elsewhere.
 *
 * <p>In-place updates spare a large buffer per step; on PyTorch they are legal on arrays outside
 * the autograd graph. MXNet refuses any in-place update inside a recording section, so there each
 * step allocates. The results are identical.
 */
final class Scratch {

    private NDArray value;
    private final boolean inPlace;

    private Scratch(NDArray value) {
        this.value = value;
        this.inPlace = "PyTorch".equals(value.getManager().getEngine().getEngineName());
    }

    /**
     * Starts a chain on an array the caller owns and that needs no gradient.
     *
     * @param value the array (it may be overwritten)
     * @return the chain
     */
    static Scratch of(NDArray value) {
        return new Scratch(value);
    }

    Scratch add(NDArray other) {
        value = inPlace ? value.addi(other) : value.add(other);
        return this;
    }

    Scratch add(Number other) {
        value = inPlace ? value.addi(other) : value.add(other);
        return this;
    }

    Scratch sub(NDArray other) {
        value = inPlace ? value.subi(other) : value.sub(other);
        return this;
    }

    Scratch sub(Number other) {
        value = inPlace ? value.subi(other) : value.sub(other);
        return this;
    }

    Scratch mul(NDArray other) {
        value = inPlace ? value.muli(other) : value.mul(other);
        return this;
    }

    Scratch mul(Number other) {
        value = inPlace ? value.muli(other) : value.mul(other);
        return this;
    }

    Scratch neg() {
        value = inPlace ? value.negi() : value.neg();
        return this;
    }

    /** @return the current value */
    NDArray get() {
        return value;
    }
}
