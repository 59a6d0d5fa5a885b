package io.github.djllovasz.benchmarks;

/** The two kinds of label maps every shape is measured with. */
public enum LabelKind {
    /** Every pixel an independent uniform class id in {@code [0, C)}; no ignored pixel. */
    UNIFORM,
    /**
     * Piecewise-constant Voronoi cells holding about {@link LabelMaps#CLASSES_PER_IMAGE} classes
     * per image, with the {@link LabelMaps#IGNORE_FRACTION} of pixels nearest the cell boundaries
     * set to {@link LabelMaps#IGNORE_INDEX}.
     */
    REALISTIC;

    /** @return the name used in parameters, tables and {@code bench} lines */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return the ignore index the losses get with these labels, or {@code null} for none */
    public Integer ignoreIndex() {
        return this == REALISTIC ? LabelMaps.IGNORE_INDEX : null;
    }

    /**
     * Parses {@code uniform} or {@code realistic}.
     *
     * @param text the name
     * @return the kind
     */
    public static LabelKind parse(String text) {
        return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
