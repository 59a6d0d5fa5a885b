package io.github.djllovasz.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import io.github.djllovasz.InputContract;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.SegmentationBinaryCrossEntropyLoss;
import io.github.djllovasz.SegmentationCrossEntropyLoss;
import io.github.djllovasz.SegmentationLosses;
import io.github.djllovasz.TverskyLoss;
import io.github.djllovasz.metric.MeanIoU;
import io.github.djllovasz.testutil.TestArrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One table of bad labels, run against every loss and {@link MeanIoU} alike: each follows the same
 * {@link InputContract} and rejects each case with an {@code IllegalArgumentException} naming the
 * offending count, shape or value; each accepts the valid labels, a keep mask included.
 */
class InputContractTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();

    /** Image 2 × 2, B = 2; class ids in [0, 3). */
    private static final long[] IDS = {0, 1, 2, 1, 2, 2, 0, 1};
    private static final long[] KEEP = {1, 1, 0, 1, 1, 0, 1, 1};

    /** Runs a loss's evaluate or a metric's update on (labels, predictions). */
    private static BiConsumer<NDList, NDList> of(Loss loss) {
        return (labels, predictions) -> loss.evaluate(labels, predictions).close();
    }

    private static BiConsumer<NDList, NDList> of(Evaluator metric) {
        return (labels, predictions) -> {
            metric.addAccumulator("k");
            metric.updateAccumulator("k", labels, predictions);
        };
    }

    /** Every multiclass subject, built with or without an ignore index. */
    private static Map<String, BiConsumer<NDList, NDList>> multiclass(boolean ignore) {
        Map<String, BiConsumer<NDList, NDList>> all = new LinkedHashMap<>();
        LovaszSoftmaxLoss.Builder lovasz = LovaszSoftmaxLoss.builder();
        TverskyLoss.Builder jaccard = TverskyLoss.jaccard();
        TverskyLoss.Builder dice = TverskyLoss.dice();
        SegmentationCrossEntropyLoss.Builder ce = SegmentationCrossEntropyLoss.builder();
        MeanIoU.Builder miou = MeanIoU.builder().setNumClasses(3);
        if (ignore) {
            lovasz.optIgnoreIndex(255);
            jaccard.optIgnoreIndex(255);
            dice.optIgnoreIndex(255);
            ce.optIgnoreIndex(255);
            miou.optIgnoreIndex(255);
        }
        all.put("LovaszSoftmaxLoss", of(lovasz.build()));
        all.put("JaccardLoss", of(jaccard.build()));
        all.put("DiceLoss", of(dice.build()));
        all.put("SegmentationCrossEntropyLoss", of(ce.build()));
        all.put("CE + λ·Lovász", of(SegmentationLosses.crossEntropyPlusLovasz(lovasz.build(), 0.5)));
        all.put("CE + λ·Jaccard", of(SegmentationLosses.crossEntropyPlusJaccard(jaccard.build(), 3)));
        all.put("MeanIoU", of(miou.build()));
        return all;
    }

    /** Every binary subject, built with or without an ignore index. */
    private static Map<String, BiConsumer<NDList, NDList>> binary(boolean ignore) {
        Map<String, BiConsumer<NDList, NDList>> all = new LinkedHashMap<>();
        LovaszHingeLoss.Builder hinge = LovaszHingeLoss.builder();
        SegmentationBinaryCrossEntropyLoss.Builder bce = SegmentationBinaryCrossEntropyLoss.builder();
        MeanIoU.Builder miou = MeanIoU.builder().setNumClasses(1);
        if (ignore) {
            hinge.optIgnoreIndex(255);
            bce.optIgnoreIndex(255);
            miou.optIgnoreIndex(255);
        }
        all.put("LovaszHingeLoss", of(hinge.build()));
        all.put("SegmentationBinaryCrossEntropyLoss", of(bce.build()));
        all.put("MeanIoU binary", of(miou.build()));
        return all;
    }

    private NDArray ids(long... values) {
        return arrays.create(values, 2, 2, 2);
    }

    /** The bad cases: name → (labels, the fragment the message must hold). */
    private Map<String, Object[]> multiclassCases() {
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("a label ≥ C", new Object[] {new NDList(ids(0, 1, 3, 1, 2, 2, 0, 1)), "3"});
        cases.put("a negative label", new Object[] {new NDList(ids(0, 1, -2, 1, 2, 2, 0, 1)), "-2"});
        cases.put("non-integer float labels", new Object[] {
            new NDList(arrays.create(new double[] {0, 1, 1.5, 1, 2, 2, 0, 1}, 2, 2, 2)), "1.5"});
        cases.put("labels of another shape", new Object[] {new NDList(arrays.create(IDS, 2, 4)), "(2, 4)"});
        cases.put("three label arrays", new Object[] {new NDList(ids(IDS), ids(KEEP), ids(KEEP)), "3 arrays"});
        cases.put("a keep mask of another shape", new Object[] {
            new NDList(ids(IDS), arrays.create(new long[] {1, 1, 1, 1}, 2, 2)), "keep mask"});
        cases.put("a keep mask holding 2", new Object[] {new NDList(ids(IDS), ids(1, 1, 2, 1, 1, 0, 1, 1)), "2"});
        return cases;
    }

    @Test
    void everyLossAndTheMetricRejectTheSameBadLabels() {
        NDList predictions = new NDList(arrays.logits(2, 3, 2, 2));
        int checked = 0;
        for (Map.Entry<String, Object[]> c : multiclassCases().entrySet()) {
            for (Map.Entry<String, BiConsumer<NDList, NDList>> s : multiclass(false).entrySet()) {
                assertRejected(s.getKey() + ", " + c.getKey(), () -> s.getValue().accept((NDList) c.getValue()[0], predictions),
                        (String) c.getValue()[1]);
                checked++;
            }
        }
        NDList withMask = new NDList(ids(IDS), ids(KEEP));
        for (Map.Entry<String, BiConsumer<NDList, NDList>> s : multiclass(true).entrySet()) {
            assertRejected(s.getKey() + ", a keep mask with an ignore index",
                    () -> s.getValue().accept(withMask, predictions), "a keep mask and the ignore index 255");
            checked++;
        }
        assertEquals(7 * 8, checked);
    }

    @Test
    void everyBinaryLossAndTheBinaryMetricRejectTheSameBadLabels() {
        NDList logits = new NDList(arrays.logits(2, 2, 2));
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("a label other than 0, 1", new Object[] {new NDList(ids(0, 1, 2, 1, 0, 0, 0, 1)), "2"});
        cases.put("three label arrays", new Object[] {new NDList(ids(0, 1, 1, 1, 0, 0, 0, 1), ids(KEEP), ids(KEEP)), "3 arrays"});
        cases.put("a keep mask holding 2", new Object[] {new NDList(ids(0, 1, 1, 1, 0, 0, 0, 1), ids(1, 1, 2, 1, 1, 0, 1, 1)), "2"});
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            for (Map.Entry<String, BiConsumer<NDList, NDList>> s : binary(false).entrySet()) {
                assertRejected(s.getKey() + ", " + c.getKey(), () -> s.getValue().accept((NDList) c.getValue()[0], logits),
                        (String) c.getValue()[1]);
            }
        }
        NDList withMask = new NDList(ids(0, 1, 1, 1, 0, 0, 0, 1), ids(KEEP));
        for (Map.Entry<String, BiConsumer<NDList, NDList>> s : binary(true).entrySet()) {
            assertRejected(s.getKey() + ", a keep mask with an ignore index",
                    () -> s.getValue().accept(withMask, logits), "a keep mask and the ignore index 255");
        }
    }

    /** The valid labels pass everywhere: class ids alone, with a keep mask, with the ignore index. */
    @Test
    void everySubjectAcceptsTheValidLabels() {
        NDList predictions = new NDList(arrays.logits(2, 3, 2, 2));
        for (BiConsumer<NDList, NDList> s : multiclass(false).values()) {
            s.accept(new NDList(ids(IDS)), predictions);
            s.accept(new NDList(ids(IDS), ids(KEEP)), predictions);
        }
        for (BiConsumer<NDList, NDList> s : multiclass(true).values()) {
            s.accept(new NDList(ids(0, 255, 2, 1, 2, 255, 0, 1)), predictions);
        }
        NDList logits = new NDList(arrays.logits(2, 2, 2));
        for (BiConsumer<NDList, NDList> s : binary(false).values()) {
            s.accept(new NDList(ids(0, 1, 1, 1, 0, 0, 0, 1)), logits);
            s.accept(new NDList(ids(0, 1, 1, 1, 0, 0, 0, 1), ids(KEEP)), logits);
        }
    }

    /** A keep mask drops exactly what the ignore index drops, for the losses and the metric. */
    @Test
    void aKeepMaskEqualsTheIgnoreIndex() {
        NDArray logits = arrays.logits(2, 3, 2, 2);
        NDList masked = new NDList(ids(IDS), ids(KEEP));
        NDList ignored = new NDList(ids(0, 1, 255, 1, 2, 255, 0, 1));
        Function<Boolean, Loss[]> losses = ignore -> new Loss[] {
            ignore ? LovaszSoftmaxLoss.builder().optIgnoreIndex(255).build() : LovaszSoftmaxLoss.builder().build(),
            ignore ? SegmentationCrossEntropyLoss.builder().optIgnoreIndex(255).build()
                    : SegmentationCrossEntropyLoss.builder().build(),
            ignore ? TverskyLoss.jaccard().optIgnoreIndex(255).build() : TverskyLoss.jaccard().build(),
        };
        Loss[] withMask = losses.apply(false);
        Loss[] withIgnore = losses.apply(true);
        for (int i = 0; i < withMask.length; i++) {
            double a = withMask[i].evaluate(masked, new NDList(logits)).toType(DataType.FLOAT64, false).getDouble();
            double b = withIgnore[i].evaluate(ignored, new NDList(logits)).toType(DataType.FLOAT64, false).getDouble();
            assertEquals(b, a, 1e-6, withMask[i].getName());
        }
        MeanIoU m = MeanIoU.builder().setNumClasses(3).build();
        MeanIoU i = MeanIoU.builder().setNumClasses(3).optIgnoreIndex(255).build();
        of(m).accept(masked, new NDList(logits));
        of(i).accept(ignored, new NDList(logits));
        assertEquals(i.getAccumulator("k"), m.getAccumulator("k"), 0f);
    }

    private static void assertRejected(String what, org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, what);
        assertTrue(e.getMessage().contains(fragment), what + ": message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
