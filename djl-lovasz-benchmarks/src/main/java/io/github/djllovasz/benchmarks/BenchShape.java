package io.github.djllovasz.benchmarks;

import java.util.Locale;

/** A benchmark shape {@code [B, C, H, W]}, written {@code BxCxHxW} in parameters and flags; C = 1 is the hinge. */
public record BenchShape(int batch, int classes, int height, int width) {

    public BenchShape {
        if (batch < 1 || classes < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "every size must be >= 1: " + batch + "x" + classes + "x" + height + "x" + width);
        }
    }

    /** @return the shape written {@code BxCxHxW}, e.g. {@code 4x21x128x128} */
    public static BenchShape parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 4) {
            throw new IllegalArgumentException("shape must be BxCxHxW, got '" + text + "'");
        }
        try {
            return new BenchShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]), Integer.parseInt(parts[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shape must be BxCxHxW, got '" + text + "'", e);
        }
    }

    /** @return B·H·W */
    public long pixels() {
        return (long) batch * height * width;
    }

    @Override
    public String toString() {
        return batch + "x" + classes + "x" + height + "x" + width;
    }
}
