package io.github.djllovasz.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.djllovasz.ClassSelection;
import io.github.djllovasz.TverskyLoss;
import io.github.djllovasz.testutil.Grad;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Parity of {@link TverskyLoss} with the authors' {@code JDTLoss}: one dynamic test per case and
 * float type, over every {@code jdt-parity/1} file in {@code resources/parity-jdt/} and in the
 * directory named by the system property {@code jdt.parity.dir}; loss and {@code d loss / d
 * logits} within the tolerances of {@link ParityChecks}.
 *
 * <p>A case marked {@code quirk} pins behaviour the library rejects on purpose. Which quirks are
 * rejected follows from the library's documented rules, decided here from the case's inputs: C =
 * 1 (a softmax over one channel is constant), a kept hard label outside {@code [0, C)} that is not
 * the ignore index (the reference clamps it), and a keep mask together with an ignore index (the
 * reference then ignores the ignore index). Such a case passes only if the loss throws an {@code
 * IllegalArgumentException} whose message names the reason; any other quirk case must reproduce
 * the reference. So a case counted as passed was either reproduced or rejected as the rules
 * predict, never skipped; the second summary line says how many of each.
 */
class JdtParityTest {

    private static final String FORMAT = "jdt-parity/1";
    private static final Set<String> PARAMS =
            Set.of("mIoUD", "mIoUI", "mIoUC", "alpha", "beta", "gamma", "smooth", "threshold", "norm",
                    "log_loss", "ignore_index", "class_weights", "active_classes_mode_hard",
                    "active_classes_mode_soft");
    private static final ParityChecks.Counts COUNTS = new ParityChecks.Counts();
    private static final AtomicInteger REJECTED = new AtomicInteger();
    private static final AtomicInteger REPRODUCED_QUIRKS = new AtomicInteger();

    @TestFactory
    List<DynamicNode> parity() throws IOException, URISyntaxException {
        return ParityChecks.tests("/parity-jdt", "jdt.parity.dir", FORMAT, c -> COUNTS, JdtParityTest::check);
    }

    @AfterAll
    static void summary() {
        COUNTS.print("parity-jdt", false);
        Engine engine = Engine.getInstance();
        System.out.printf(
                "parity-jdt quirks[%s %s]: %d rejected as documented, %d reproduced (over both types)%n",
                engine.getEngineName().toLowerCase(), engine.getVersion(), REJECTED.get(),
                REPRODUCED_QUIRKS.get());
    }

    private static void check(Fixture.Case c, DataType type) {
        assertEquals("JDTLoss", c.function(), c.name() + ": function");
        JsonObject p = c.params();
        assertEquals(PARAMS, p.keySet(), c.name() + ": the 14 parameters, no more, no fewer");
        JsonObject inputs = c.inputs();
        boolean soft = switch (c.json().get("label_kind").getAsString()) {
            case "soft" -> true;
            case "hard" -> false;
            default -> throw new AssertionError(c.name() + ": label_kind " + c.json().get("label_kind"));
        };
        Integer ignore = p.get("ignore_index").isJsonNull() ? null : p.get("ignore_index").getAsInt();
        TverskyLoss.Builder b = TverskyLoss.tversky(1, 1)
                .optAlpha(p.get("alpha").getAsDouble())
                .optBeta(p.get("beta").getAsDouble())
                // The reference raises l to γ only when γ > 1: its γ ≤ 1 is γ = 1 here, where
                // γ < 1 is rejected rather than silently ignored.
                .optGamma(Math.max(1, p.get("gamma").getAsDouble()))
                .optSmooth(p.get("smooth").getAsDouble())
                .optThreshold(p.get("threshold").getAsDouble())
                .optNorm(p.get("norm").getAsDouble())
                .optLogLoss(p.get("log_loss").getAsBoolean())
                .optReductionWeights(
                        p.get("mIoUD").getAsDouble(), p.get("mIoUI").getAsDouble(), p.get("mIoUC").getAsDouble())
                .optClasses(mode(p.get("active_classes_mode_hard")))
                .optSoftClasses(mode(p.get("active_classes_mode_soft")))
                .optSoftLabels(soft);
        if (ignore != null && !soft) { // the reference never applies ignore_index to soft labels
            b.optIgnoreIndex(ignore);
        }
        if (!p.get("class_weights").isJsonNull()) {
            JsonArray w = p.getAsJsonArray("class_weights");
            double[] weights = new double[w.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = w.get(i).getAsDouble();
            }
            b.optClassWeights(weights);
        }
        TverskyLoss loss = b.build();

        JsonElement keepJson = inputs.get("keep_mask");
        boolean hasKeep = keepJson != null && !keepJson.isJsonNull();
        String rejection = soft ? null : hardRejection(c, ignore, hasKeep);
        long numClasses = Fixture.shape(inputs.getAsJsonObject("logits")).get(1);
        if (numClasses == 1) {
            rejection = "C = 1";
        }
        if (rejection != null) {
            assertTrue(c.json().has("quirk") && c.json().get("quirk").getAsBoolean(),
                    c.name() + ": only quirk cases may be rejected, this one would be: " + rejection);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = soft
                    ? Fixture.floats(manager, inputs.getAsJsonObject("label"), type)
                    : Fixture.labels(manager, inputs.getAsJsonObject("label"));
            NDList labelList = hasKeep
                    ? new NDList(labels, Fixture.labels(manager, keepJson.getAsJsonObject()))
                    : new NDList(labels);
            NDArray logits = Fixture.floats(manager, inputs.getAsJsonObject("logits"), type);
            if (rejection != null) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Grad.of(logits, x -> loss.evaluate(labelList, new NDList(x))),
                        c.name() + ": rejected (" + rejection + ")");
                assertTrue(e.getMessage().contains(rejection),
                        c.name() + ": message '" + e.getMessage() + "' names '" + rejection + "'");
                REJECTED.incrementAndGet();
                return;
            }
            Grad g = Grad.of(logits, x -> loss.evaluate(labelList, new NDList(x)));
            JsonObject expected = c.expected();
            ParityChecks.assertLoss(c.name(), type, expected.get("loss").getAsDouble(), g.loss);
            ParityChecks.assertGradient(
                    c.name(), type, "grad_logits", Fixture.doubles(expected.getAsJsonObject("grad_logits")), g.gradient);
            if (c.json().has("quirk") && c.json().get("quirk").getAsBoolean()) {
                REPRODUCED_QUIRKS.incrementAndGet();
            }
        }
    }

    /**
     * Why the library rejects a hard-label case, in words its message contains, or {@code null}:
     * a keep mask with an ignore index, or a kept label outside [0, C) that is not ignored.
     */
    private static String hardRejection(Fixture.Case c, Integer ignore, boolean hasKeep) {
        JsonObject inputs = c.inputs();
        if (hasKeep && ignore != null) {
            return "keep mask and the ignore index";
        }
        long numClasses = Fixture.shape(inputs.getAsJsonObject("logits")).get(1);
        double[] ids = Fixture.doubles(inputs.getAsJsonObject("label"));
        double[] keep = hasKeep ? Fixture.doubles(inputs.getAsJsonObject("keep_mask")) : null;
        for (int i = 0; i < ids.length; i++) {
            boolean kept = keep == null || keep[i] != 0;
            boolean ignored = ignore != null && ids[i] == ignore;
            if (kept && !ignored && (ids[i] < 0 || ids[i] >= numClasses)) {
                return "label " + (long) ids[i];
            }
        }
        return null;
    }

    private static ClassSelection mode(JsonElement e) {
        switch (e.getAsString()) {
            case "PRESENT":
                return ClassSelection.PRESENT;
            case "ALL":
                return ClassSelection.ALL;
            default:
                fail("cannot express active classes mode " + e);
                return null;
        }
    }
}
