package io.github.djllovasz.reliability;

import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.testutil.SeededArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Small deterministic inputs shared by the reliability tests. */
final class ReliabilityFixtures {

    private ReliabilityFixtures() {}

    /** Logits [b, c, h, w] of N(0, 2²), from a seed. */
    static NDArray logits(NDManager manager, long seed, long... shape) {
        return SeededArrays.of(manager, seed).logits(shape);
    }

    /** Labels in [0, classes) with about 10 % set to 255, from a seed. */
    static NDArray labels(NDManager manager, long seed, int classes, long... shape) {
        return SeededArrays.of(manager, seed).labelsIgnoring(classes, 10, 255, shape);
    }

    static LovaszSoftmaxLoss softmax(boolean perImage) {
        return LovaszSoftmaxLoss.builder().optPerImage(perImage).optIgnoreIndex(255).build();
    }

    static LovaszHingeLoss hinge(boolean perImage) {
        return LovaszHingeLoss.builder().optPerImage(perImage).optIgnoreIndex(255).build();
    }
}
