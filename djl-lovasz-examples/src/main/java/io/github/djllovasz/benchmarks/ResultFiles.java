package io.github.djllovasz.benchmarks;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the results folder: CSV and JSON of the table, the raw trials and the scaling run. */
public final class ResultFiles {

    private ResultFiles() {}

    /**
     * Writes {@code NAME.csv} (the table) and {@code NAME.json} (run information, the table and
     * every trial).
     *
     * @param dir the results folder
     * @param name the file base name, e.g. {@code benchmarks}
     * @param meta information on the run
     * @param rows the table
     * @param measurements every trial
     * @throws IOException if a file cannot be written
     */
    public static void writeTable(
            Path dir, String name, Map<String, Object> meta, List<TableRow> rows, List<Measurement> measurements)
            throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder(
                "kind,B,C,H,W,labels,perImage,alloc,ours_ms,floor_ms,loop_ms,ce_ms,"
                        + "ours_over_floor,loop_over_ours,ours_over_ce\n");
        List<Map<String, Object>> jsonRows = new ArrayList<>();
        for (TableRow r : rows) {
            Map<String, Object> m = shapeFields(r.kind(), r.shape(), r.labels(), r.perImage(), r.allocator());
            m.put("ours_ms", number(r.ours()));
            m.put("floor_ms", number(r.floor()));
            m.put("loop_ms", number(r.loop()));
            m.put("ce_ms", number(r.ce()));
            m.put("ours_over_floor", number(r.oursOverFloor()));
            m.put("loop_over_ours", number(r.loopOverOurs()));
            m.put("ours_over_ce", number(r.oursOverCe()));
            jsonRows.add(m);
            csv.append(csvLine(m.values()));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("meta", meta);
        json.put("rows", jsonRows);
        json.put("trials", trials(measurements));
        Files.writeString(dir.resolve(name + ".csv"), csv, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(name + ".json"), toJson(json), StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code scaling.csv} and {@code scaling.json}.
     *
     * @param dir the results folder
     * @param meta information on the run, with the fitted slopes
     * @param measurements the scaling trials
     * @throws IOException if a file cannot be written
     */
    public static void writeScaling(Path dir, Map<String, Object> meta, List<Measurement> measurements)
            throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("log2P,P,B,C,H,W,labels,alloc,variant,median_ms,samples\n");
        for (Measurement m : measurements) {
            long p = m.shape().pixels();
            csv.append(csvLine(List.of(
                    Long.numberOfTrailingZeros(p),
                    p,
                    m.shape().batch(),
                    m.shape().classes(),
                    m.shape().height(),
                    m.shape().width(),
                    m.labels().id(),
                    m.allocator().id(),
                    m.variant(),
                    number(m.medianMs()),
                    m.samples())));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("meta", meta);
        json.put("trials", trials(measurements));
        Files.writeString(dir.resolve("scaling.csv"), csv, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("scaling.json"), toJson(json), StandardCharsets.UTF_8);
    }

    /**
     * Serialises maps, lists, strings and numbers as indented JSON (NaN as {@code null}).
     *
     * @param value the value
     * @return the JSON text
     */
    public static String toJson(Object value) {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(value) + "\n";
    }

    private static List<Map<String, Object>> trials(List<Measurement> measurements) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Measurement t : measurements) {
            Map<String, Object> m = shapeFields(t.kind(), t.shape(), t.labels(), t.perImage(), t.allocator());
            m.put("variant", t.variant());
            m.put("median_ms", number(t.medianMs()));
            m.put("min_ms", number(t.minMs()));
            m.put("max_ms", number(t.maxMs()));
            m.put("samples", t.samples());
            m.put("mode", t.mode());
            list.add(m);
        }
        return list;
    }

    private static Map<String, Object> shapeFields(
            String kind, BenchShape shape, LabelKind labels, Boolean perImage, Allocator allocator) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("B", shape.batch());
        m.put("C", shape.classes());
        m.put("H", shape.height());
        m.put("W", shape.width());
        m.put("labels", labels.id());
        m.put("perImage", perImage);
        m.put("alloc", allocator.id());
        return m;
    }

    private static Double number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        return Double.valueOf(String.format(Locale.ROOT, "%.6g", value));
    }

    private static String csvLine(Iterable<?> values) {
        StringBuilder line = new StringBuilder();
        for (Object v : values) {
            if (line.length() > 0) {
                line.append(',');
            }
            line.append(v == null ? "" : v.toString());
        }
        return line.append('\n').toString();
    }
}
