package io.github.djllovasz.resources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import io.github.djllovasz.SegmentationLosses;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.SegmentationBinaryCrossEntropyLoss;
import io.github.djllovasz.SegmentationCrossEntropyLoss;
import io.github.djllovasz.WeightedLoss;
import io.github.djllovasz.TverskyLoss;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.djllovasz.testutil.Grad;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loss closes its scope before the caller's backward pass; everything the autograd graph
 * kept must still be valid then, even after the JVM collects garbage and reuses native memory.
 */
class BackwardAfterScopeTest {

    @Test
    void gradientIsUnchangedWhenMemoryIsReusedBeforeBackward() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(9);
            NDArray logits = manager.randomNormal(new Shape(4, 21, 16, 16));
            // Three classes per image: PRESENT selects rows, through index arrays made on the host.
            NDArray labels = manager.randomInteger(0, 3, new Shape(4, 16, 16), DataType.INT64).add(5);
            for (boolean perImage : new boolean[] {true, false}) {
                assertGradientSurvivesMemoryReuse(
                        LovaszSoftmaxLoss.builder().optPerImage(perImage).build(), labels, logits);
            }
        }
    }

    @Test
    void jaccardAndCompositeGradientsAreUnchangedWhenMemoryIsReusedBeforeBackward() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(9);
            NDArray logits = manager.randomNormal(new Shape(4, 5, 16, 16));
            NDArray labels = manager.randomInteger(0, 5, new Shape(4, 16, 16), DataType.INT64);
            Loss[] losses = {
                SegmentationLosses.crossEntropyPlusLovasz(LovaszSoftmaxLoss.builder().build(), 0.5),
                TverskyLoss.jaccard().build(),
                TverskyLoss.tversky(1, 1).optAlpha(0.3).optBeta(0.7).optGamma(2).optNorm(2)
                        .optReductionWeights(0.5, 0.25, 0.25).optClassWeights(1, 2, 3, 4, 5).build(),
                SegmentationLosses.crossEntropyPlusJaccard(TverskyLoss.jaccard().optLabelSmoothing(0.1).build(), 3),
            };
            for (Loss loss : losses) {
                assertGradientSurvivesMemoryReuse(loss, labels, logits);
            }
        }
    }

    @Test
    void crossEntropyPartnersAndWeightedLossGradientsAreUnchangedWhenMemoryIsReusedBeforeBackward() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            NDArray logits = manager.randomNormal(new Shape(4, 5, 16, 16));
            NDArray labels = manager.randomInteger(0, 5, new Shape(4, 16, 16), DataType.INT64);
            NDArray soft = manager.randomUniform(0.1f, 1f, new Shape(4, 5, 16, 16));
            soft = soft.div(soft.sum(new int[] {1}, true));
            NDArray binaryLogits = manager.randomNormal(new Shape(4, 16, 16)).mul(3);
            Shape binary = new Shape(4, 16, 16);
            NDArray isVoid = manager.randomInteger(0, 4, binary, DataType.INT64).eq(0).toType(DataType.INT64, false);
            NDArray binaryLabels = manager.randomInteger(0, 2, binary, DataType.INT64)
                    .mul(isVoid.neg().add(1)).add(isVoid.mul(255)); // 0/1, void 255 on a quarter
            Case[] cases = {
                new Case(SegmentationBinaryCrossEntropyLoss.builder().build(), binaryLabels.clip(0, 1), binaryLogits),
                new Case(SegmentationBinaryCrossEntropyLoss.builder().optIgnoreIndex(255).build(), binaryLabels, binaryLogits),
                new Case(SegmentationCrossEntropyLoss.builder().optSoftLabels(true).build(), soft, logits),
                new Case(SegmentationCrossEntropyLoss.builder().optLabelSmoothing(0.1).build(), labels, logits),
                new Case(WeightedLoss.builder().setLoss(SegmentationCrossEntropyLoss.builder().build())
                        .setWeight(0.7).build(), labels, logits),
                new Case(WeightedLoss.builder().setLoss(SegmentationBinaryCrossEntropyLoss.builder()
                        .optIgnoreIndex(255).build()).setWeight(2.5).build(), binaryLabels, binaryLogits),
                new Case(SegmentationBinaryCrossEntropyLoss.builder().optIgnoreIndex(255).optGamma(0.5).optAlpha(0.25)
                        .build(), binaryLabels, binaryLogits),
                new Case(SegmentationCrossEntropyLoss.builder().optClassWeights(1, 2, 0, 1, 0.5).optGamma(2).build(),
                        labels, logits),
                new Case(SegmentationCrossEntropyLoss.builder().optLabelSmoothing(0.1).optGamma(0.5).build(), labels, logits),
            };
            for (Case c : cases) {
                assertGradientSurvivesMemoryReuse(c.loss, c.labels, c.predictions);
            }
        }
    }

    /** A loss with its labels and predictions. */
    private static final class Case {
        final Loss loss;
        final NDArray labels;
        final NDArray predictions;

        Case(Loss loss, NDArray labels, NDArray predictions) {
            this.loss = loss;
            this.labels = labels;
            this.predictions = predictions;
        }
    }

    /** Five rounds of evaluate, churn, backward: each gradient equals the undisturbed one exactly. */
    private static void assertGradientSurvivesMemoryReuse(Loss loss, NDArray labels, NDArray predictions) {
        Grad reference = Grad.of(predictions, x -> loss.evaluate(new NDList(labels), new NDList(x)));
        for (int round = 0; round < 5; round++) {
            NDArray x = predictions.duplicate();
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray value = loss.evaluate(new NDList(labels), new NDList(x));
                churnMemory();
                collector.backward(value);
            }
            assertArrayEquals(reference.gradient, Grad.toDoubles(x.getGradient()), 0.0, loss + " round " + round);
            x.close();
        }
    }

    /** Collects garbage (freeing unreachable Java-owned buffers) and refills native memory. */
    private static void churnMemory() {
        System.gc();
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(1 << 12);
            while (b.hasRemaining()) {
                b.put((byte) 0x7f);
            }
            buffers.add(b);
        }
        System.gc();
    }
}
