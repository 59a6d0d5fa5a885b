package io.github.djllovasz.benchmarks;

import java.util.Locale;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * How one group of trials is timed. Calls of a few milliseconds are sampled for a fixed time
 * ({@link Mode#SampleTime}: every call is timed and the median taken over all of them); calls of
 * a second or more are timed one by one ({@link Mode#SingleShotTime}, median over iterations).
 *
 * @param mode the JMH mode
 * @param warmup warm-up iterations
 * @param measure measurement iterations
 * @param iterationMs the length of an iteration in SampleTime mode
 */
public record RunPlan(Mode mode, int warmup, int measure, int iterationMs) {

    /** Prediction elements (B·C·H·W) from which calls are timed singly. */
    public static final long SINGLE_SHOT_ELEMENTS = 1L << 21;

    /**
     * The plan for inputs of a size.
     *
     * @param elements B·C·H·W of the predictions
     * @param options the flags ({@code --quick}, {@code --warmup}, {@code --iterations})
     * @return the plan
     */
    public static RunPlan forElements(long elements, BenchmarkOptions options) {
        RunPlan plan;
        if (options.quick) {
            plan = new RunPlan(Mode.SampleTime, 1, 3, 200);
        } else if (elements >= SINGLE_SHOT_ELEMENTS) {
            plan = new RunPlan(Mode.SingleShotTime, 3, 7, 0);
        } else {
            plan = new RunPlan(Mode.SampleTime, 2, 5, 1000);
        }
        return new RunPlan(
                plan.mode,
                options.warmup != null ? options.warmup : plan.warmup,
                options.iterations != null ? options.iterations : plan.measure,
                plan.iterationMs);
    }

    /** @return the length of an iteration for JMH */
    public TimeValue iterationTime() {
        return TimeValue.milliseconds(Math.max(iterationMs, 1));
    }

    /** @return e.g. {@code SampleTime 2 x 1000 ms warm-up + 5 x 1000 ms} */
    public String describe() {
        if (mode == Mode.SingleShotTime) {
            return String.format(Locale.ROOT, "SingleShotTime %d warm-up + %d timed calls", warmup, measure);
        }
        return String.format(
                Locale.ROOT,
                "SampleTime %d x %d ms warm-up + %d x %d ms",
                warmup,
                iterationMs,
                measure,
                iterationMs);
    }
}
