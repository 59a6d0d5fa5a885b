package io.github.djllovasz.reliability;

import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/** Small deterministic inputs shared by the reliability tests. */
final class ReliabilityFixtures {

    private ReliabilityFixtures() {}

    /** Logits [b, c, h, w] of N(0, 2), from a seed. */
    static NDArray logits(NDManager manager, long seed, long... shape) {
        Random random = new Random(seed);
        double[] v = new double[(int) new Shape(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian() * 2;
        }
        return manager.create(v, new Shape(shape));
    }

    /** Labels in [0, classes) with about 10 % set to 255, from a seed. */
    static NDArray labels(NDManager manager, long seed, int classes, long... shape) {
        Random random = new Random(seed);
        long[] v = new long[(int) new Shape(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextInt(10) == 0 ? 255 : random.nextInt(classes);
        }
        return manager.create(v, new Shape(shape));
    }

    static LovaszSoftmaxLoss softmax(boolean perImage) {
        return LovaszSoftmaxLoss.builder().optPerImage(perImage).optIgnoreIndex(255).build();
    }

    static LovaszHingeLoss hinge(boolean perImage) {
        return LovaszHingeLoss.builder().optPerImage(perImage).optIgnoreIndex(255).build();
    }
}
