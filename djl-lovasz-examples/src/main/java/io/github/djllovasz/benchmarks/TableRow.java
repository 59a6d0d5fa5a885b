package io.github.djllovasz.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One row of the main table: the four variants at one shape, label kind, row layout and
 * allocator, with the ratios the issue asks for.
 *
 * @param kind {@code softmax} or {@code hinge}
 * @param shape the shape
 * @param labels the label kind
 * @param perImage the row layout, {@code null} when only cross-entropy was measured
 * @param allocator the allocator
 * @param ours median ms of the library, forward + backward
 * @param floor median ms of argSort + cumSum, forward only
 * @param loop median ms of the loop baseline, forward + backward
 * @param ce median ms of DJL's cross-entropy, forward + backward
 */
public record TableRow(
        String kind,
        BenchShape shape,
        LabelKind labels,
        Boolean perImage,
        Allocator allocator,
        double ours,
        double floor,
        double loop,
        double ce) {

    private static final String FORMAT =
            "%-7s  %-14s  %-9s  %-8s  %-7s  %9s  %9s  %9s  %8s  %10s  %9s  %7s";

    /** @return ours / floor (how far the loss is above its own sort) */
    public double oursOverFloor() {
        return ours / floor;
    }

    /** @return loop / ours (the speed-up over the hand-written loop) */
    public double loopOverOurs() {
        return loop / ours;
    }

    /** @return ours / cross-entropy (the cost relative to the usual loss) */
    public double oursOverCe() {
        return ours / ce;
    }

    /**
     * Builds the rows from measurements, in the order they were measured.
     *
     * @param all the measurements of kinds {@code softmax} and {@code hinge}
     * @return the rows
     */
    public static List<TableRow> of(Collection<Measurement> all) {
        Set<List<Object>> keys = new LinkedHashSet<>();
        for (Measurement m : all) {
            if (m.kind().equals("scaling")) {
                continue;
            }
            if (!m.variant().equals("ce")) {
                keys.add(key(m, m.perImage()));
            }
        }
        for (Measurement m : all) {
            if (m.variant().equals("ce")
                    && !m.kind().equals("scaling")
                    && keys.stream().noneMatch(k -> k.subList(0, 4).equals(key(m, null).subList(0, 4)))) {
                keys.add(key(m, null));
            }
        }
        List<TableRow> rows = new ArrayList<>();
        for (List<Object> k : keys) {
            String kind = (String) k.get(0);
            BenchShape shape = (BenchShape) k.get(1);
            LabelKind labels = (LabelKind) k.get(2);
            Allocator allocator = (Allocator) k.get(3);
            Boolean perImage = (Boolean) k.get(4);
            rows.add(new TableRow(
                    kind,
                    shape,
                    labels,
                    perImage,
                    allocator,
                    Measurement.median(all, kind, shape, labels, perImage, allocator, "ours"),
                    Measurement.median(all, kind, shape, labels, perImage, allocator, "floor"),
                    Measurement.median(all, kind, shape, labels, perImage, allocator, "loop"),
                    Measurement.median(all, kind, shape, labels, perImage, allocator, "ce")));
        }
        return rows;
    }

    private static List<Object> key(Measurement m, Boolean perImage) {
        List<Object> key = new ArrayList<>();
        key.add(m.kind());
        key.add(m.shape());
        key.add(m.labels());
        key.add(m.allocator());
        key.add(perImage);
        return key;
    }

    /** @return the table's header line */
    public static String header() {
        return String.format(
                java.util.Locale.ROOT,
                FORMAT,
                "kind",
                "BxCxHxW",
                "labels",
                "perImage",
                "alloc",
                "ours ms",
                "floor ms",
                "loop ms",
                "ce ms",
                "ours/floor",
                "loop/ours",
                "ours/ce");
    }

    /** @return this row, aligned under {@link #header()} */
    public String line() {
        return String.format(
                java.util.Locale.ROOT,
                FORMAT,
                kind,
                shape,
                labels.id(),
                perImage == null ? "-" : perImage.toString(),
                allocator.id(),
                Measurement.ms(ours),
                Measurement.ms(floor),
                Measurement.ms(loop),
                Measurement.ms(ce),
                Measurement.ratio(oursOverFloor()),
                Measurement.ratio(loopOverOurs()),
                Measurement.ratio(oursOverCe()));
    }

    /**
     * The script-readable line, e.g. {@code bench softmax B=4 C=21 H=128 W=128 perImage=false
     * labels=realistic: ours=70.1ms floor=55.0ms loop=175.2ms ce=1.4ms ours/floor=1.27
     * loop/ours=2.50}; {@code alloc=tuned} follows the labels for the tuned allocator.
     *
     * @return the line
     */
    public String benchLine() {
        StringBuilder s = new StringBuilder("bench ").append(kind).append(' ').append(shape.describe());
        s.append(" perImage=").append(perImage == null ? "n/a" : perImage.toString());
        s.append(" labels=").append(labels.id());
        if (allocator != Allocator.DEFAULT) {
            s.append(" alloc=").append(allocator.id());
        }
        s.append(": ours=").append(withUnit(ours));
        s.append(" floor=").append(withUnit(floor));
        s.append(" loop=").append(withUnit(loop));
        s.append(" ce=").append(withUnit(ce));
        s.append(" ours/floor=").append(Measurement.ratio(oursOverFloor()));
        s.append(" loop/ours=").append(Measurement.ratio(loopOverOurs()));
        return s.toString();
    }

    private static String withUnit(double ms) {
        return Double.isNaN(ms) ? "n/a" : Measurement.ms(ms) + "ms";
    }
}
