package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A Lovász-Softmax loss that counts its computations and records their values (tests only). */
public final class CountingSoftmaxLoss extends LovaszSoftmaxLoss {

    private final AtomicInteger computations = new AtomicInteger();
    private final List<Double> values = new CopyOnWriteArrayList<>();

    private CountingSoftmaxLoss(Builder builder) {
        super(builder);
    }

    /**
     * Creates a counting loss.
     *
     * @param builder the settings
     * @return the loss
     */
    public static CountingSoftmaxLoss of(Builder builder) {
        return new CountingSoftmaxLoss(builder);
    }

    @Override
    protected NDArray computeLoss(NDList labels, NDList predictions) {
        computations.incrementAndGet();
        NDArray value = super.computeLoss(labels, predictions);
        values.add(EvaluateOnceLoss.toDouble(value));
        return value;
    }

    /** @return how often the loss was computed */
    public int computations() {
        return computations.get();
    }

    /** @return the value of every computation, in order */
    public List<Double> values() {
        return values;
    }
}
