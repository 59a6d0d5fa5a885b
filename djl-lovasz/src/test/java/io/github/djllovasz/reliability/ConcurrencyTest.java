package io.github.djllovasz.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.djllovasz.testutil.Grad;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two threads with their own managers computing different losses at once agree with one thread.
 * Forward only: DJL allows one gradient collector at a time per process.
 */
class ConcurrencyTest {

    private static double softmaxCase() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = ReliabilityFixtures.logits(manager, 11, 4, 5, 24, 24);
            NDArray labels = ReliabilityFixtures.labels(manager, 12, 5, 4, 24, 24);
            return Grad.value(logits, x -> ReliabilityFixtures.softmax(false).evaluate(labels, x));
        }
    }

    private static double hingeCase() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = ReliabilityFixtures.logits(manager, 13, 4, 24, 24);
            NDArray labels = ReliabilityFixtures.labels(manager, 14, 2, 4, 24, 24);
            return Grad.value(logits, x -> ReliabilityFixtures.hinge(true).evaluate(labels, x));
        }
    }

    @Test
    void twoThreadsAgreeWithOne() throws Exception {
        double softmax = softmaxCase();
        double hinge = hingeCase();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                CountDownLatch start = new CountDownLatch(1);
                Callable<Double> a = () -> {
                    start.await();
                    return softmaxCase();
                };
                Callable<Double> b = () -> {
                    start.await();
                    return hingeCase();
                };
                Future<Double> fa = pool.submit(a);
                Future<Double> fb = pool.submit(b);
                start.countDown();
                assertEquals(softmax, fa.get(), 0.0, "softmax in round " + round);
                assertEquals(hinge, fb.get(), 0.0, "hinge in round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
