package io.github.djllovasz.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import io.github.djllovasz.InputContract;
import io.github.djllovasz.testutil.TestArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A loss of a user's own, outside the library's package, rejects bad input with the library's checks. */
class CustomLossTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();

    /** The share of kept pixels whose arg-max is wrong: not differentiable, but a user's own loss. */
    static final class ErrorRateLoss extends Loss {
        private final InputContract contract = InputContract.defaults().withIgnoreIndex(255);

        ErrorRateLoss() {
            super("ErrorRate");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray scores = predictions.head();
            NDArray ids = contract.classIds(labels.head(), scores); // [B, P], IAE if anything is off
            NDArray predicted = scores.argMax(contract.getClassAxis()).reshape(ids.getShape()).toType(DataType.INT64, false);
            NDArray kept = ids.neq(255);
            NDArray wrong = predicted.neq(ids).logicalAnd(kept);
            return wrong.toType(DataType.FLOAT64, false).sum().div(kept.toType(DataType.FLOAT64, false).sum());
        }
    }

    @Test
    void aCustomLossUsesTheContractsChecks() {
        NDArray scores = arrays.create(new double[] {
            2, 0, 0, 1, // class 0 scores of 4 pixels
            0, 2, 0, 0, // class 1
            0, 0, 2, 0, // class 2
        }, 1, 3, 2, 2);
        Loss loss = new ErrorRateLoss();
        NDArray labels = arrays.create(new long[] {0, 1, 1, 255}, 1, 2, 2);
        assertEquals(1.0 / 3, loss.evaluate(new NDList(labels), new NDList(scores)).getDouble(), 1e-12);
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> loss.evaluate(new NDList(arrays.create(new long[] {0, 1, 3, 255}, 1, 2, 2)), new NDList(scores)));
        assertTrue(tooLarge.getMessage().contains("3") && tooLarge.getMessage().contains("[0, 3)"), tooLarge.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> loss.evaluate(new NDList(arrays.create(new long[] {0, 1, 1}, 1, 3)), new NDList(scores)));
        assertTrue(shape.getMessage().contains("(1, 3)"), shape.getMessage());
    }
}
