package io.github.djllovasz.benchmarks;

import io.github.djllovasz.SettingsBuilder;
import java.util.Locale;

/** The two kinds of label maps every shape is measured with ({@link LabelMaps}). */
public enum LabelKind {
    /** Every pixel an independent uniform class id in {@code [0, C)}; no ignored pixel. */
    UNIFORM,
    /** Voronoi cells of a few classes per image, the pixels nearest the cell boundaries ignored. */
    REALISTIC;

    /** @return the ignore index the losses get with these labels, or {@code null} for none */
    public Integer ignoreIndex() {
        return this == REALISTIC ? LabelMaps.IGNORE_INDEX : null;
    }

    /** @return the builder, given {@link #ignoreIndex()} if there is one */
    public <B extends SettingsBuilder<B>> B ignoring(B builder) {
        return this == REALISTIC ? builder.optIgnoreIndex(LabelMaps.IGNORE_INDEX) : builder;
    }

    /** @return the kind named {@code uniform} or {@code realistic} */
    public static LabelKind parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
