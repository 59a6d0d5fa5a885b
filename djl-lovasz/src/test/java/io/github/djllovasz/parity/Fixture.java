package io.github.djllovasz.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads files of the {@code lovasz-parity/1} format (see resources/parity/README.md) and of the
 * {@code jdt-parity/1} format (resources/parity-jdt/README.md).
 */
final class Fixture {

    static final String FORMAT = "lovasz-parity/1";

    private Fixture() {}

    /** One case of one file. */
    record Case(String file, JsonObject json) {
        String name() {
            return json.get("name").getAsString();
        }

        String function() {
            return json.get("function").getAsString();
        }

        JsonObject params() {
            return json.getAsJsonObject("params");
        }

        JsonObject inputs() {
            return json.getAsJsonObject("inputs");
        }

        JsonObject expected() {
            return json.getAsJsonObject("expected");
        }

        boolean tieFree() {
            return json.get("tie_free").getAsBoolean();
        }

        /** Smallest gap between neighbouring sorted errors, or +Inf when not given. */
        double minSortedGap() {
            JsonElement gap = json.get("min_sorted_gap");
            return gap == null || gap.isJsonNull() ? Double.POSITIVE_INFINITY : gap.getAsDouble();
        }
    }

    static List<Case> read(Path file) throws IOException {
        return read(file, FORMAT);
    }

    /** Reads the cases of a file of the given format ("lovasz-parity/1", "jdt-parity/1"). */
    static List<Case> read(Path file, String expectedFormat) throws IOException {
        JsonObject root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader).getAsJsonObject();
        }
        String format = root.has("format") ? root.get("format").getAsString() : "(none)";
        if (!expectedFormat.equals(format)) {
            throw new IllegalStateException(file + ": format " + format + ", expected " + expectedFormat);
        }
        List<Case> cases = new ArrayList<>();
        for (JsonElement c : root.getAsJsonArray("cases")) {
            cases.add(new Case(file.getFileName().toString(), c.getAsJsonObject()));
        }
        return cases;
    }

    static Shape shape(JsonObject array) {
        JsonArray dims = array.getAsJsonArray("shape");
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).getAsLong();
        }
        return new Shape(shape);
    }

    static double[] doubles(JsonObject array) {
        JsonArray data = array.getAsJsonArray("data");
        double[] out = new double[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i).getAsDouble();
        }
        return out;
    }

    /** A float array in the given type (float64 values, rounded for float32). */
    static NDArray floats(NDManager manager, JsonObject array, DataType type) {
        NDArray wide = manager.create(doubles(array), shape(array));
        return type == DataType.FLOAT64 ? wide : wide.toType(type, false);
    }

    /** An int64 label array. */
    static NDArray labels(NDManager manager, JsonObject array) {
        JsonArray data = array.getAsJsonArray("data");
        long[] out = new long[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i).getAsLong();
        }
        return manager.create(out, shape(array));
    }
}
