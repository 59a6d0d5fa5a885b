package io.github.djllovasz.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.djllovasz.ClassSelection;
import io.github.djllovasz.GeneralizedDiceLoss;
import io.github.djllovasz.TverskyLoss;
import io.github.djllovasz.testutil.Grad;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Parity of the losses of issue 20 with MONAI's: one dynamic test per case and float type, over
 * every {@code monai-parity/1} file in {@code resources/parity-monai/} and in the directory named by
 * the system property {@code monai.parity.dir}; loss and {@code d loss / d logits} within the
 * tolerances of {@link ParityChecks}. Each case is mapped onto this library's builders by its MONAI
 * arguments ({@link #loss}); one summary line per loss, {@code parity-<name>[engine version type]:
 * N cases, N passed}:
 *
 * <ul>
 *   <li>{@code generalized-dice}: MONAI {@code GeneralizedDiceLoss} against {@link
 *       GeneralizedDiceLoss};
 *   <li>{@code dice}: {@code DiceLoss(softmax=True)} against {@code TverskyLoss.dice()}, which
 *       equals it with smoothing {@code s = smooth_nr / 2} when {@code smooth_nr = smooth_dr};
 *   <li>{@code multilabel-dice}: {@code DiceLoss(sigmoid=True)} against {@code TverskyLoss.dice()
 *       .optMultilabel(true)};
 *   <li>{@code focal-ce}: {@code FocalLoss(use_softmax=True)} against {@code
 *       SegmentationCrossEntropyLoss} with class weights and γ, whose mean is over the pixels where
 *       MONAI's is over pixels and classes: MONAI's value is ours / C;
 *   <li>{@code focal-bce}: {@code FocalLoss(use_softmax=False)}, the sigmoid focal loss of
 *       torchvision, against {@code SegmentationBinaryCrossEntropyLoss} with γ and α.
 * </ul>
 */
class MonaiParityTest {

    private static final String FORMAT = "monai-parity/1";
    private static final Map<String, ParityChecks.Counts> COUNTS = new TreeMap<>();

    @TestFactory
    List<DynamicNode> parity() throws IOException, URISyntaxException {
        return ParityChecks.tests(
                "/parity-monai", "monai.parity.dir", FORMAT, c -> counts(lineName(c)), MonaiParityTest::check);
    }

    @AfterAll
    static void summary() {
        synchronized (COUNTS) {
            COUNTS.forEach((name, counts) -> counts.print("parity-" + name, false));
        }
    }

    private static ParityChecks.Counts counts(String name) {
        synchronized (COUNTS) {
            return COUNTS.computeIfAbsent(name, n -> new ParityChecks.Counts());
        }
    }

    /** The loss a case checks, as named in its summary line. */
    private static String lineName(Fixture.Case c) {
        boolean multilabel = isMultilabel(c);
        switch (c.function()) {
            case "GeneralizedDiceLoss":
                return "generalized-dice";
            case "DiceLoss":
                return multilabel ? "multilabel-dice" : "dice";
            case "FocalLoss":
                return multilabel ? "focal-bce" : "focal-ce";
            default:
                throw new AssertionError(c.name() + ": unknown function " + c.function());
        }
    }

    private static boolean isMultilabel(Fixture.Case c) {
        String kind = c.json().get("label_kind").getAsString();
        switch (kind) {
            case "multilabel":
                return true;
            case "class_ids":
                return false;
            default:
                throw new AssertionError(c.name() + ": label_kind " + kind);
        }
    }

    private static void check(Fixture.Case c, DataType type) {
        JsonObject inputs = c.inputs();
        long numClasses = Fixture.shape(inputs.getAsJsonObject("logits")).get(1);
        Loss loss = loss(c);
        // MONAI's FocalLoss(use_softmax=True) averages over classes too: its value is ours / C.
        double scale = lineName(c).equals("focal-ce") ? 1.0 / numClasses : 1.0;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = isMultilabel(c)
                    ? Fixture.floats(manager, inputs.getAsJsonObject("label"), type)
                    : Fixture.labels(manager, inputs.getAsJsonObject("label"));
            NDArray logits = Fixture.floats(manager, inputs.getAsJsonObject("logits"), type);
            Grad g = Grad.of(logits, x -> loss.evaluate(new NDList(labels), new NDList(x)));
            double[] gradient = g.gradient.clone();
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] *= scale;
            }
            JsonObject expected = c.expected();
            ParityChecks.assertLoss(c.name(), type, expected.get("loss").getAsDouble(), g.loss * scale);
            ParityChecks.assertGradient(
                    c.name(), type, "grad_logits", Fixture.doubles(expected.getAsJsonObject("grad_logits")), gradient);
        }
    }

    /**
     * This library's loss for a case's MONAI arguments; every argument the case names is used
     * (an unknown one fails the case), the others are MONAI's defaults.
     */
    static Loss loss(Fixture.Case c) {
        JsonObject p = c.params();
        boolean multilabel = isMultilabel(c);
        switch (c.function()) {
            case "GeneralizedDiceLoss": {
                requireParams(c, "softmax", "to_onehot_y", "w_type", "batch", "include_background");
                requireTrue(c, "softmax", "to_onehot_y");
                return GeneralizedDiceLoss.builder()
                        .optWeighting(GeneralizedDiceLoss.Weighting.valueOf(
                                p.get("w_type").getAsString().toUpperCase(Locale.ROOT)))
                        .optPerImage(!p.get("batch").getAsBoolean())
                        .optIncludeBackground(p.get("include_background").getAsBoolean())
                        .build();
            }
            case "DiceLoss": {
                if (multilabel) {
                    requireParams(c, "sigmoid", "batch", "include_background");
                    requireTrue(c, "sigmoid");
                } else {
                    requireParams(c, "softmax", "to_onehot_y", "batch", "include_background");
                    requireTrue(c, "softmax", "to_onehot_y");
                }
                // 1 − (2·I + s_nr)/(A + Y + s_dr) with s_nr = s_dr = 1e-5 is 1 − (tp + s)/(tp + fp/2 + fn/2 + s), s = 5e-6.
                return TverskyLoss.dice()
                        .optSmooth(5e-6)
                        .optClasses(ClassSelection.ALL)
                        .optMultilabel(multilabel)
                        .optPerImage(!p.get("batch").getAsBoolean())
                        .optIncludeBackground(p.get("include_background").getAsBoolean())
                        .build();
            }
            case "FocalLoss":
                return MonaiFocal.loss(c, multilabel);
            default:
                throw new AssertionError(c.name() + ": unknown function " + c.function());
        }
    }

    static void requireParams(Fixture.Case c, String... names) {
        assertEquals(java.util.Set.of(names), c.params().keySet(), c.name() + ": the MONAI arguments mapped here");
    }

    static void requireTrue(Fixture.Case c, String... names) {
        for (String name : names) {
            JsonElement e = c.params().get(name);
            if (!e.getAsBoolean()) {
                fail(c.name() + ": " + name + " = false has no counterpart here");
            }
        }
    }
}
