package io.github.djllovasz.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.djllovasz.ClassSelection;
import io.github.djllovasz.Lovasz;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.testutil.Grad;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Data-driven parity with the original implementation: one dynamic test per fixture case and
 * float type, over every {@code *.json} in {@code resources/parity/} and in the directory named by
 * the system property {@code lovasz.parity.dir}. A case the library cannot express fails.
 *
 * <p>Tolerances (from the fixtures' README): float64 {@code |Δ| ≤ 1e-12 + 1e-10·|ref|} for loss and
 * gradients; float32 loss {@code |Δ| ≤ 1e-5·max(1, |loss|)}, gradients {@code |Δ| ≤ 1e-6}, the
 * float32 gradients compared only where neighbouring sorted errors are at least 1e-5 apart (closer
 * ones may sort differently in float32). Tie cases compare the loss only.
 */
class ParityTest {

    private static final double FLOAT32_MIN_GAP = 1e-5;
    private static final ParityChecks.Counts COUNTS = new ParityChecks.Counts();

    @TestFactory
    List<DynamicNode> parity() throws IOException, URISyntaxException {
        return ParityChecks.tests("/parity", "lovasz.parity.dir", Fixture.FORMAT, c -> COUNTS, ParityTest::check);
    }

    @AfterAll
    static void summary() {
        COUNTS.print("parity", true);
    }

    private static void check(Fixture.Case c, DataType type) {
        JsonObject params = c.params();
        JsonObject inputs = c.inputs();
        boolean gradients =
                c.tieFree() && (type == DataType.FLOAT64 || c.minSortedGap() >= FLOAT32_MIN_GAP);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = Fixture.labels(manager, inputs.getAsJsonObject("labels"));
            Comparison compare = new Comparison(c, manager, type, gradients);
            switch (c.function()) {
                case "lovasz_hinge": {
                    requireParams(params, "per_image", "ignore");
                    LovaszHingeLoss.Builder b =
                            LovaszHingeLoss.builder().optPerImage(params.get("per_image").getAsBoolean());
                    Integer ignore = ignore(params);
                    if (ignore != null) {
                        b.optIgnoreIndex(ignore);
                    }
                    LovaszHingeLoss loss = b.build();
                    compare.at("logits", x -> loss.evaluate(labels, x));
                    break;
                }
                case "lovasz_hinge_flat":
                    requireParams(params);
                    compare.at("logits", x -> Lovasz.hingeFlat(labels, x));
                    break;
                case "lovasz_softmax": {
                    requireParams(params, "classes", "per_image", "ignore");
                    ClassSelection classes = classes(params.get("classes"));
                    boolean perImage = params.get("per_image").getAsBoolean();
                    Integer ignore = ignore(params);
                    if (inputs.has("logits")) {
                        LovaszSoftmaxLoss.Builder b =
                                LovaszSoftmaxLoss.builder().optClasses(classes).optPerImage(perImage);
                        if (ignore != null) {
                            b.optIgnoreIndex(ignore);
                        }
                        LovaszSoftmaxLoss loss = b.build();
                        // Sigmoid logits shaped like the labels get their size-1 class axis.
                        boolean sigmoid =
                                Fixture.shape(inputs.getAsJsonObject("logits")).equals(labels.getShape());
                        compare.at("logits", x -> loss.evaluate(labels, sigmoid ? x.expandDims(1) : x));
                    }
                    compare.at("probas", x -> Lovasz.softmax(labels, x, classes, perImage, ignore));
                    break;
                }
                case "lovasz_softmax_flat": {
                    requireParams(params, "classes");
                    ClassSelection classes = classes(params.get("classes"));
                    compare.at("logits", x -> Lovasz.softmaxFlat(labels, x.softmax(1), classes));
                    compare.at("probas", x -> Lovasz.softmaxFlat(labels, x, classes));
                    break;
                }
                case "kornia_lovasz_softmax": {
                    // kornia's multi-class weights are wrong; the faithful port must equal the
                    // original's value on the same inputs with the settings kornia corresponds to.
                    requireParams(params, "weight");
                    JsonObject original = c.json().getAsJsonObject("compare_original");
                    assertEquals("lovasz_softmax", original.get("function").getAsString());
                    JsonObject op = original.getAsJsonObject("params");
                    requireParams(op, "classes", "per_image", "ignore");
                    LovaszSoftmaxLoss.Builder b =
                            LovaszSoftmaxLoss.builder()
                                    .optClasses(classes(op.get("classes")))
                                    .optPerImage(op.get("per_image").getAsBoolean());
                    Integer ignore = ignore(op);
                    if (ignore != null) {
                        b.optIgnoreIndex(ignore);
                    }
                    LovaszSoftmaxLoss loss = b.build();
                    NDArray logits = Fixture.floats(manager, inputs.getAsJsonObject("logits"), type);
                    double ours = Grad.value(logits, x -> loss.evaluate(labels, x));
                    assertLoss(c, type, original.get("loss").getAsDouble(), ours);
                    break;
                }
                case "kornia_lovasz_hinge": {
                    requireParams(params);
                    LovaszHingeLoss loss = LovaszHingeLoss.builder().optPerImage(true).build();
                    compare.at("logits", x -> loss.evaluate(labels, x));
                    break;
                }
                default:
                    fail("cannot express function " + c.function() + " of case " + c.name());
            }
        }
    }

    /** One case in one float type, its arrays on one manager; gradients: whether they are compared. */
    private record Comparison(Fixture.Case c, NDManager manager, DataType type, boolean gradients) {

        /** Computes f at the named input and compares the loss and, if asked, grad_{input}. */
        void at(String input, Function<NDArray, NDArray> f) {
            compare(c, manager, type, input, f, c.expected(), gradients);
        }
    }

    private static void compare(
            Fixture.Case c,
            NDManager manager,
            DataType type,
            String input,
            Function<NDArray, NDArray> f,
            JsonObject expected,
            boolean gradients) {
        NDArray x = Fixture.floats(manager, c.inputs().getAsJsonObject(input), type);
        Grad result = Grad.of(x, f);
        assertLoss(c, type, expected.get("loss").getAsDouble(), result.loss);
        String key = "grad_" + input;
        if (gradients) {
            assertTrue(expected.has(key), c.name() + ": tie-free case without " + key);
            ParityChecks.assertGradient(
                    c.name(), type, key, Fixture.doubles(expected.getAsJsonObject(key)), result.gradient);
        }
    }

    private static void assertLoss(Fixture.Case c, DataType type, double want, double got) {
        ParityChecks.assertLoss(c.name(), type, want, got);
    }

    /** Fails on any parameter the library does not know how to express. */
    private static void requireParams(JsonObject params, String... known) {
        Set<String> allowed = Set.of(known);
        for (String key : params.keySet()) {
            if (!allowed.contains(key)) {
                fail("cannot express parameter " + key + " = " + params.get(key));
            }
        }
        for (String key : known) {
            if (!params.has(key)) {
                fail("parameter " + key + " missing from " + params + " (fixtures state every parameter)");
            }
        }
    }

    private static Integer ignore(JsonObject params) {
        JsonElement e = params.get("ignore");
        return e == null || e.isJsonNull() ? null : e.getAsInt();
    }

    private static ClassSelection classes(JsonElement e) {
        if (e.isJsonArray()) {
            JsonArray list = e.getAsJsonArray();
            int[] ids = new int[list.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = list.get(i).getAsInt();
            }
            return ClassSelection.of(ids);
        }
        String s = e.getAsString();
        switch (s) {
            case "present":
                return ClassSelection.PRESENT;
            case "all":
                return ClassSelection.ALL;
            default:
                fail("cannot express classes = " + s + " (expected present, all or a list)");
                return null;
        }
    }
}
