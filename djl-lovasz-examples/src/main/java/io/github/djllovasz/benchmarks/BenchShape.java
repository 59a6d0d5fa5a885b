package io.github.djllovasz.benchmarks;

import ai.djl.ndarray.types.Shape;

/**
 * A benchmark input shape {@code [B, C, H, W]}, written {@code BxCxHxW} in parameters and flags.
 *
 * @param batch B
 * @param classes C (1 for the hinge)
 * @param height H
 * @param width W
 */
public record BenchShape(int batch, int classes, int height, int width) {

    /** Validates the sizes. */
    public BenchShape {
        if (batch < 1 || classes < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "every size must be >= 1: " + batch + "x" + classes + "x" + height + "x" + width);
        }
    }

    /**
     * Parses {@code BxCxHxW}, e.g. {@code 4x21x128x128}.
     *
     * @param text the shape
     * @return the shape
     * @throws IllegalArgumentException if it is not four positive integers joined by {@code x}
     */
    public static BenchShape parse(String text) {
        String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        if (parts.length != 4) {
            throw new IllegalArgumentException("shape must be BxCxHxW, got '" + text + "'");
        }
        try {
            return new BenchShape(
                    Integer.parseInt(parts[0]),
                    Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]),
                    Integer.parseInt(parts[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shape must be BxCxHxW, got '" + text + "'", e);
        }
    }

    /** @return pixels per image, H·W */
    public long imagePixels() {
        return (long) height * width;
    }

    /** @return pixels of the batch, B·H·W */
    public long pixels() {
        return batch * imagePixels();
    }

    /** @return elements of the prediction tensor, B·C·H·W */
    public long elements() {
        return classes * pixels();
    }

    /** @return the prediction shape {@code [B, C, H, W]} */
    public Shape predictionShape() {
        return new Shape(batch, classes, height, width);
    }

    /** @return the label shape {@code [B, H, W]} */
    public Shape labelShape() {
        return new Shape(batch, height, width);
    }

    /** @return {@code B=.. C=.. H=.. W=..}, the form of the {@code bench} lines */
    public String describe() {
        return "B=" + batch + " C=" + classes + " H=" + height + " W=" + width;
    }

    @Override
    public String toString() {
        return batch + "x" + classes + "x" + height + "x" + width;
    }
}
