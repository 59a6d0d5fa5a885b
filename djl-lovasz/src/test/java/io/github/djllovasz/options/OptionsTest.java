package io.github.djllovasz.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.djllovasz.ClassSelection;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszMultilabelLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.testutil.Grad;
import io.github.djllovasz.testutil.SeededArrays;
import io.github.djllovasz.testutil.TestArrays;
import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Class weights, multilabel and N-D inputs, each checked against compositions of the base losses. */
class OptionsTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();
    /** Logits of N(0, 2²) and labels in [0, classes), drawn in order from one stream of seed 404. */
    private final SeededArrays random = arrays.seeded(404);

    private double loss(LovaszSoftmaxLoss loss, NDArray x, NDArray y) {
        return Grad.value(x, a -> loss.evaluate(y, a));
    }

    @Test
    void classWeightsGiveTheWeightedMeanOverTakingPartClasses() {
        NDArray x = random.logits(2, 4, 5, 5);
        // Class 3 never occurs: with PRESENT it takes no part, so its weight must not count.
        NDArray y = random.labels(3, 2, 5, 5);
        double[] w = {0.5, 2.0, 1.0, 4.0};
        double[] single = new double[4];
        for (int c = 0; c < 4; c++) {
            single[c] = loss(LovaszSoftmaxLoss.builder().optClasses(c).build(), x, y);
        }
        double present = (w[0] * single[0] + w[1] * single[1] + w[2] * single[2]) / (w[0] + w[1] + w[2]);
        assertEquals(present, loss(LovaszSoftmaxLoss.builder().optClassWeights(w).build(), x, y), 1e-12);
        double all = (w[0] * single[0] + w[1] * single[1] + w[2] * single[2] + w[3] * single[3]) / 7.5;
        assertEquals(
                all,
                loss(LovaszSoftmaxLoss.builder().optClasses(ClassSelection.ALL).optClassWeights(w).build(), x, y),
                1e-12);
        // Equal weights change nothing.
        assertEquals(
                loss(LovaszSoftmaxLoss.builder().build(), x, y),
                loss(LovaszSoftmaxLoss.builder().optClassWeights(3, 3, 3, 3).build(), x, y),
                1e-12);
    }

    @Test
    void classWeightsPerImage() {
        NDArray x = random.logits(2, 3, 4, 4);
        NDArray y = random.labels(3, 2, 4, 4);
        double[] w = {1, 3, 0.5};
        double sum = 0;
        for (int n = 0; n < 2; n++) {
            NDArray xi = x.get(n + ":" + (n + 1));
            NDArray yi = y.get(n + ":" + (n + 1));
            sum += loss(LovaszSoftmaxLoss.builder().optClassWeights(w).build(), xi, yi);
        }
        assertEquals(sum / 2, loss(LovaszSoftmaxLoss.builder().optPerImage(true).optClassWeights(w).build(), x, y), 1e-12);
    }

    @Test
    void classWeightsAreValidated() {
        LovaszSoftmaxLoss three = LovaszSoftmaxLoss.builder().optClassWeights(1, 1, 1).build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> three.evaluate(random.labels(4, 2, 3, 3), random.logits(2, 4, 3, 3)));
        assertTrue(e.getMessage().contains("3 entries") && e.getMessage().contains("C = 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LovaszSoftmaxLoss.builder().optClassWeights(1, -1));
        assertThrows(IllegalArgumentException.class, () -> LovaszSoftmaxLoss.builder().optClassWeights(0, 0));
        assertThrows(IllegalArgumentException.class, () -> LovaszSoftmaxLoss.builder().optClassWeights(1, Double.NaN));
    }

    @Test
    void multilabelHingeIsTheMeanOverChannels() {
        NDArray x = random.logits(2, 3, 4, 5);
        NDArray y = random.labels(2, 2, 3, 4, 5);
        for (boolean perImage : new boolean[] {false, true}) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                NDArray xc = x.get(":, " + c);
                NDArray yc = y.get(":, " + c);
                sum += Grad.value(xc, a -> LovaszHingeLoss.builder().optPerImage(perImage).build().evaluate(yc, a));
            }
            LovaszMultilabelLoss loss = LovaszMultilabelLoss.builder().optPerImage(perImage).build();
            assertEquals(sum / 3, Grad.value(x, a -> loss.evaluate(y, a)), 1e-12, "perImage=" + perImage);
        }
    }

    @Test
    void multilabelSigmoidIsTheMeanOverChannels() {
        NDArray x = random.logits(2, 3, 4, 5);
        NDArray y = random.labels(2, 2, 3, 4, 5);
        y.set(new ai.djl.ndarray.index.NDIndex(":, 2"), 0); // a channel without positives still counts
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            NDArray xc = x.get(":, " + c + ":" + (c + 1));
            NDArray yc = y.get(":, " + c);
            sum += loss(LovaszSoftmaxLoss.builder().optClasses(ClassSelection.ALL).build(), xc, yc);
        }
        LovaszMultilabelLoss loss = LovaszMultilabelLoss.builder().optSigmoid(true).build();
        assertEquals(sum / 3, Grad.value(x, a -> loss.evaluate(y, a)), 1e-12);
    }

    @Test
    void multilabelShapesMustMatch() {
        LovaszMultilabelLoss loss = LovaszMultilabelLoss.builder().build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> loss.evaluate(random.labels(2, 2, 4), random.logits(2, 3, 4)));
        assertTrue(e.getMessage().contains("(2, 3, 4)"), e.getMessage());
    }

    @Test
    void volumesAndSequencesEqualFlattenedSpatialAxes() {
        NDArray volume = random.logits(2, 3, 3, 4, 5);
        NDArray volumeLabels = random.labels(3, 2, 3, 4, 5);
        NDArray flat = volume.reshape(2, 3, 60);
        NDArray flatLabels = volumeLabels.reshape(2, 60);
        for (boolean perImage : new boolean[] {false, true}) {
            LovaszSoftmaxLoss loss = LovaszSoftmaxLoss.builder().optPerImage(perImage).build();
            double v = loss(loss, volume, volumeLabels);
            assertEquals(loss(loss, flat, flatLabels), v, 1e-12, "volume perImage=" + perImage);
            NDArray channelsLast = volume.transpose(0, 2, 3, 4, 1).duplicate();
            LovaszSoftmaxLoss last = LovaszSoftmaxLoss.builder().optPerImage(perImage).optClassAxis(-1).build();
            assertEquals(v, loss(last, channelsLast, volumeLabels), 1e-12, "channels-last volume");
        }
        NDArray hingeVolume = random.logits(2, 3, 4, 5);
        NDArray hingeLabels = random.labels(2, 2, 3, 4, 5);
        LovaszHingeLoss hinge = LovaszHingeLoss.builder().build();
        assertEquals(
                Grad.value(hingeVolume.reshape(2, 60), a -> hinge.evaluate(hingeLabels.reshape(2, 60), a)),
                Grad.value(hingeVolume, a -> hinge.evaluate(hingeLabels, a)),
                1e-12);
    }
}
