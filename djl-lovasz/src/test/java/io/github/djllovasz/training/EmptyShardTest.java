package io.github.djllovasz.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszMultilabelLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.SegmentationLosses;
import io.github.djllovasz.SegmentationBinaryCrossEntropyLoss;
import io.github.djllovasz.SegmentationCrossEntropyLoss;
import io.github.djllovasz.TverskyLoss;
import io.github.djllovasz.testutil.Grad;
import io.github.djllovasz.testutil.TestArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * B = 0, the shard DJL gives the last device when a batch has too few images (B = 9 on 4
 * devices: 3, 3, 3, 0): every loss of the library gives 0 with a zero (empty) gradient, in the
 * predictions' type, and backward works.
 */
class EmptyShardTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();

    private void assertZero(Loss loss, Shape predictions, Shape labels) {
        assertZero(loss, predictions, labels, DataType.INT64);
    }

    private void assertZero(Loss loss, Shape predictions, Shape labels, DataType labelType) {
        NDArray x = arrays.manager().zeros(predictions, DataType.FLOAT64);
        NDArray y = arrays.manager().zeros(labels, labelType);
        Grad g = Grad.of(x, a -> {
            NDArray value = loss.evaluate(new NDList(y), new NDList(a));
            assertEquals(DataType.FLOAT64, value.getDataType(), loss.getName());
            assertEquals(new Shape(), value.getShape(), loss.getName());
            return value;
        });
        assertEquals(0.0, g.loss, loss.getName());
        assertEquals(0, g.gradient.length, loss.getName());
    }

    @Test
    void everyLossGivesZeroWithAZeroGradient() {
        Shape multiclass = new Shape(0, 3, 4, 4);
        Shape ids = new Shape(0, 4, 4);
        assertZero(LovaszSoftmaxLoss.builder().build(), multiclass, ids);
        assertZero(LovaszSoftmaxLoss.builder().optPerImage(true).optIgnoreIndex(255).build(), multiclass, ids);
        assertZero(LovaszSoftmaxLoss.builder().optClassAxis(-1).build(), new Shape(0, 4, 4, 3), ids);
        assertZero(LovaszSoftmaxLoss.builder().build(), new Shape(0, 1, 4, 4), ids);
        assertZero(LovaszHingeLoss.builder().build(), ids, ids);
        assertZero(LovaszHingeLoss.builder().optPerImage(false).build(), new Shape(0, 1, 4, 4), ids);
        assertZero(LovaszMultilabelLoss.builder().build(), multiclass, multiclass);
        assertZero(LovaszMultilabelLoss.builder().optPerImage(true).optSigmoid(true).build(), multiclass, multiclass);
        assertZero(SegmentationCrossEntropyLoss.builder().optIgnoreIndex(255).build(), multiclass, ids);
        assertZero(SegmentationBinaryCrossEntropyLoss.builder().optIgnoreIndex(255).build(), ids, ids);
        SegmentationCrossEntropyLoss focal =
                SegmentationCrossEntropyLoss.builder().optIgnoreIndex(255).optClassWeights(1, 2, 3).optGamma(2).build();
        assertZero(focal, multiclass, ids);
        assertZero(SegmentationBinaryCrossEntropyLoss.builder().optGamma(2).optAlpha(0.25).build(), multiclass, multiclass);
        assertZero(SegmentationLosses.crossEntropyPlusLovasz(focal, LovaszSoftmaxLoss.builder().optIgnoreIndex(255).build(), 1),
                multiclass, ids);
        LovaszSoftmaxLoss lovasz = LovaszSoftmaxLoss.builder().build();
        assertZero(SegmentationLosses.crossEntropyPlusLovasz(lovasz, 0.5), multiclass, ids);
        assertZero(SegmentationLosses.crossEntropyThenLovasz(lovasz, 2), multiclass, ids);
        assertZero(SegmentationLosses.jaccard(), multiclass, ids);
        assertZero(TverskyLoss.dice().optReductionWeights(1, 1, 1).optIgnoreIndex(255).build(), multiclass, ids);
        assertZero(TverskyLoss.jaccard().optSoftLabels(true).build(), multiclass, multiclass, DataType.FLOAT32);
        assertZero(SegmentationCrossEntropyLoss.builder().optSoftLabels(true).build(), multiclass, multiclass, DataType.FLOAT32);
        assertZero(SegmentationLosses.crossEntropyPlusJaccard(TverskyLoss.jaccard().optLabelSmoothing(0.1).build(), 3), multiclass, ids);
    }
}
