package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps 3 and 4 of {@link LovaszKernel} on the host ({@link Kernel#HOST}): the same errors, sort
 * and Jaccard weights, computed in Java from the arrays' memory instead of by the engine.
 *
 * <p>For every row, in Java: the errors {@code e = (1 − 2g)·v + b} (ignored pixels at {@code
 * −∞}), one key per pixel ({@code decreasing(e) << 32 | g << 31 | pixel} for float32), a {@link
 * RadixSort} of the keys, then one pass in sorted order that computes the weights {@code w_k} of
 * the paper's Algorithm 1 (as {@link LovaszKernel#jaccardWeights}, in float64) and writes, at each
 * pixel, its slope {@code w·a} with {@code a = 1 − 2g} (times {@code [e > 0]} for the hinge), and
 * sums the row's constant {@code Σ w·b}. The engine then computes {@code L_r = Σ_i slope_i·v_i +
 * constant_r}, elementwise and differentiable in the values, exactly as after the engine's sort.
 *
 * <p>Threads ({@link HostThreads}): rows are shared among the threads; a row is split into one
 * chunk per thread when there are fewer rows than threads (the hinge and the sigmoid have one
 * pooled row) or when it is long. Scratch arrays are pooled up to {@link #LONG_ROW} keys and
 * reused across calls; the slopes are a fresh engine-owned array per call, so that two forward
 * passes before one backward each keep their own.
 */
final class HostKernel {

    /**
     * Rows longer than this are split among the threads, one row at a time, and their scratch is
     * not kept (16 MB of keys for float32); shorter rows are shared among the threads whole.
     */
    static final int LONG_ROW = 1 << 21;
    /** The shortest chunk a split row is cut into: shorter ones cost more to hand over than they save. */
    static final int MIN_CHUNK = 1 << 12;

    private static final long PAYLOAD_FOREGROUND = 1L << 31;
    private static final int PIXEL_MASK = Integer.MAX_VALUE;
    private static final long ZERO_KEY_32 = RadixSort.decreasing(0f) & 0xFFFF_FFFFL;
    private static final long ZERO_KEY_64 = RadixSort.decreasing(0d);
    private static final ConcurrentLinkedQueue<Scratch> POOL = new ConcurrentLinkedQueue<>();
    /** At TRACE level each call logs the time of its stages (read, keys, sort, weights, write). */
    private static final Logger LOG = LoggerFactory.getLogger(HostKernel.class);

    private HostKernel() {}

    /** What the engine needs after the host's sort: per-pixel slopes and per-row constants. */
    static final class Slopes {
        /** {@code [R, N]} in pixel order, of the values' type, on the values' device. */
        final NDArray factors;
        /** {@code Σ_k w_k·b_k} of each row. */
        final double[] constants;

        Slopes(NDArray factors, double[] constants) {
            this.factors = factors;
            this.constants = constants;
        }
    }

    /**
     * Whether rows of these values fit the host kernel: one Java buffer per array.
     *
     * @param values the rows' values
     * @return whether {@code R·N·bytes ≤ 2^31 − 1}
     */
    static boolean fits(NDArray values) {
        return values.getShape().size() * values.getDataType().getNumOfBytes() <= Integer.MAX_VALUE;
    }

    /**
     * Sorts every row on the host and returns its slopes and constant.
     *
     * @param rows the rows (values float32 or float64)
     * @return the slopes
     */
    static Slopes slopes(Rows rows) {
        return slopes(rows, HostThreads.count());
    }

    /**
     * {@link #slopes(Rows)} with a given number of parallel tasks (tests force the split of a row
     * with it on any machine; tasks beyond {@link HostThreads#count()} wait for a thread).
     *
     * @param rows the rows
     * @param threads the number of tasks
     * @return the slopes
     */
    static Slopes slopes(Rows rows, int threads) {
        long start = System.nanoTime();
        NDArray values = rows.values;
        int numRows = Math.toIntExact(values.getShape().get(0));
        int length = Math.toIntExact(values.getShape().get(1));
        EngineQuirks.HostOutput output = EngineQuirks.hostOutput(values);
        Job job = new Job(rows, numRows, length, output.buffer);
        double[] constants = new double[numRows];
        long read = System.nanoTime();
        if (numRows >= threads && length <= LONG_ROW) {
            AtomicInteger next = new AtomicInteger();
            HostThreads.forEach(
                    threads,
                    t -> {
                        Scratch scratch = Scratch.acquire(length, job.wide);
                        try {
                            for (int r = next.getAndIncrement(); r < numRows; r = next.getAndIncrement()) {
                                constants[r] = job.row(scratch, r, 1);
                            }
                        } finally {
                            scratch.release();
                        }
                    });
        } else {
            Scratch scratch = Scratch.acquire(length, job.wide);
            try {
                int chunks = Math.max(1, Math.min(threads, length / MIN_CHUNK));
                for (int r = 0; r < numRows; r++) {
                    constants[r] = job.row(scratch, r, chunks);
                }
            } finally {
                scratch.release();
            }
        }
        long sorted = System.nanoTime();
        job.release(rows);
        Slopes slopes = new Slopes(output.finish(), constants);
        if (LOG.isTraceEnabled()) {
            long end = System.nanoTime();
            LOG.trace(String.format(Locale.ROOT, "host kernel %dx%d %s, %d threads: read %.2f ms, keys %.2f ms,"
                            + " sort %.2f ms, weights %.2f ms (summed over threads), all rows %.2f ms, write %.2f ms",
                    numRows, length, values.getDataType(), threads, ms(read - start), ms(job.stages[0].sum()),
                    ms(job.stages[1].sum()), ms(job.stages[2].sum()), ms(sorted - read), ms(end - sorted)));
        }
        return slopes;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** One call's inputs and output, read and written in place. */
    private static final class Job {
        final boolean wide;
        final boolean hinge;
        final int length;
        final NDArray values;
        final FloatBuffer values32;
        final DoubleBuffer values64;
        final ByteBuffer foreground;
        final ByteBuffer valid;
        final ByteBuffer valuesView;
        final FloatBuffer out32;
        final DoubleBuffer out64;
        /** Nanoseconds in keys, sort and weights, summed over threads; kept at TRACE level only. */
        final LongAdder[] stages = {new LongAdder(), new LongAdder(), new LongAdder()};
        final boolean timed = LOG.isTraceEnabled();

        Job(Rows rows, int numRows, int length, ByteBuffer out) {
            this.values = rows.values;
            this.length = length;
            this.wide = values.getDataType() == DataType.FLOAT64;
            this.hinge = rows.errorKind == Rows.Errors.HINGE;
            this.valuesView = EngineQuirks.hostView(values);
            this.values32 = wide ? null : valuesView.asFloatBuffer();
            this.values64 = wide ? valuesView.asDoubleBuffer() : null;
            this.foreground = EngineQuirks.hostView(rows.foreground);
            this.valid = rows.valid == null ? null : EngineQuirks.hostView(rows.valid);
            this.out32 = wide ? null : out.asFloatBuffer();
            this.out64 = wide ? out.asDoubleBuffer() : null;
        }

        /** Gives back what {@link EngineQuirks#hostView} copied. */
        void release(Rows rows) {
            EngineQuirks.releaseHostView(values, valuesView);
            EngineQuirks.releaseHostView(rows.foreground, foreground);
            if (valid != null) {
                EngineQuirks.releaseHostView(rows.valid, valid);
            }
        }

        /**
         * Row {@code r}: keys, sort, weights, slopes written; returns the row's constant.
         *
         * @param chunks into how many chunks (threads) the row is split
         */
        double row(Scratch s, int r, int chunks) {
            long t0 = timed ? System.nanoTime() : 0;
            long base = (long) r * length;
            long[] foregroundPerChunk = new long[chunks + 1];
            HostThreads.forEach(
                    chunks,
                    c -> foregroundPerChunk[c + 1] =
                            keys(s, base, RadixSort.chunkStart(length, chunks, c),
                                    RadixSort.chunkStart(length, chunks, c + 1)));
            long foregroundTotal = 0;
            for (int c = 1; c <= chunks; c++) {
                foregroundTotal += foregroundPerChunk[c];
            }
            long t1 = timed ? System.nanoTime() : 0;
            boolean spare = RadixSort.sort(s.keys, s.spareKeys, wide ? s.payload : null,
                    wide ? s.sparePayload : null, length, wide ? 0 : 32, chunks);
            long t2 = timed ? System.nanoTime() : 0;
            double constant = rowWeights(s, spare, base, chunks, foregroundTotal);
            if (timed) {
                stages[0].add(t1 - t0);
                stages[1].add(t2 - t1);
                stages[2].add(System.nanoTime() - t2);
            }
            return constant;
        }

        /** The weights of a sorted row, on {@code chunks} threads; returns the row's constant. */
        private double rowWeights(Scratch s, boolean spare, long base, int chunks, long foregroundTotal) {
            long[] keys = spare ? s.spareKeys : s.keys;
            int[] payload = wide ? (spare ? s.sparePayload : s.payload) : null;
            if (chunks == 1) {
                return weights(keys, payload, base, 0, length, 0, foregroundTotal);
            }
            // Foreground before each chunk in sorted order, then every chunk on its own thread.
            long[] before = new long[chunks + 1];
            HostThreads.forEach(chunks, c -> before[c + 1] = foregroundIn(keys, payload,
                    RadixSort.chunkStart(length, chunks, c), RadixSort.chunkStart(length, chunks, c + 1)));
            for (int c = 1; c <= chunks; c++) {
                before[c] += before[c - 1];
            }
            double[] partial = new double[chunks];
            long total = foregroundTotal;
            HostThreads.forEach(chunks, c -> partial[c] = weights(keys, payload, base,
                    RadixSort.chunkStart(length, chunks, c), RadixSort.chunkStart(length, chunks, c + 1),
                    before[c], total));
            double constant = 0;
            for (double p : partial) {
                constant += p;
            }
            return constant;
        }

        /**
         * Keys of the pixels {@code [from, to)} of the row at {@code base}: the errors {@code e =
         * (1 − 2g)·v + b} ({@link Rows.Errors}), {@code −∞} where ignored, as decreasing keys.
         *
         * @return the number of foreground pixels among them
         */
        long keys(Scratch s, long base, int from, int to) {
            long foregroundCount = 0;
            for (int i = from; i < to; i++) {
                int at = (int) (base + i);
                boolean g = foreground.get(at) != 0;
                boolean counted = valid == null || valid.get(at) != 0;
                foregroundCount += g ? 1 : 0;
                if (wide) {
                    double v = values64.get(at);
                    double e = !counted ? Double.NEGATIVE_INFINITY : g ? 1 - v : hinge ? v + 1 : v;
                    s.keys[i] = RadixSort.decreasing(e);
                    s.payload[i] = (g ? Integer.MIN_VALUE : 0) | i;
                } else {
                    float v = values32.get(at);
                    float e = !counted ? Float.NEGATIVE_INFINITY : g ? 1 - v : hinge ? v + 1 : v;
                    s.keys[i] = (long) RadixSort.decreasing(e) << 32 | (g ? PAYLOAD_FOREGROUND : 0) | i;
                }
            }
            return foregroundCount;
        }

        /**
         * Step 4 in sorted order over positions {@code [from, to)} (as {@link
         * LovaszKernel#jaccardWeights}): with {@code f} the foreground among the top {@code k},
         * {@code J_k = k / (|F| + k − f)} and {@code w_k = J_k − J_{k−1}}; writes each pixel's
         * slope {@code w·a} and returns {@code Σ w·b} over these positions.
         *
         * @param before the foreground count at positions before {@code from}
         * @param foregroundTotal {@code |F|}
         */
        double weights(long[] keys, int[] payload, long base, int from, int to, long before, long foregroundTotal) {
            long f = before;
            double previous = from == 0 ? 0 : from / (double) (foregroundTotal + from - before);
            double constant = 0;
            for (int k = from; k < to; k++) {
                long key = keys[k];
                int bits = payload == null ? (int) key : payload[k];
                boolean g = bits < 0;
                f += g ? 1 : 0;
                long position = k + 1L;
                double jaccard = position / (double) (foregroundTotal + position - f);
                double w = jaccard - previous;
                previous = jaccard;
                boolean active = !hinge
                        || (payload == null ? (key >>> 32) < ZERO_KEY_32 : Long.compareUnsigned(key, ZERO_KEY_64) < 0);
                double slope = active ? (g ? -w : w) : 0;
                if (active && (g || hinge)) {
                    constant += w;
                }
                int at = (int) (base + (bits & PIXEL_MASK));
                if (wide) {
                    out64.put(at, slope);
                } else {
                    out32.put(at, (float) slope);
                }
            }
            return constant;
        }

        private long foregroundIn(long[] keys, int[] payload, int from, int to) {
            long count = 0;
            for (int k = from; k < to; k++) {
                count += (payload == null ? (int) keys[k] : payload[k]) < 0 ? 1 : 0;
            }
            return count;
        }
    }

    /** Sort scratch for one row: keys and their spare (and payloads for float64). */
    private static final class Scratch {
        long[] keys = new long[0];
        long[] spareKeys = new long[0];
        int[] payload;
        int[] sparePayload;

        static Scratch acquire(int length, boolean wide) {
            Scratch s = POOL.poll();
            if (s == null) {
                s = new Scratch();
            }
            if (s.keys.length < length) {
                s.keys = new long[length];
                s.spareKeys = new long[length];
                s.payload = null;
            }
            if (wide && (s.payload == null || s.payload.length < length)) {
                s.payload = new int[s.keys.length];
                s.sparePayload = new int[s.keys.length];
            }
            return s;
        }

        void release() {
            if (keys.length <= LONG_ROW && POOL.size() < HostThreads.count()) {
                POOL.offer(this);
            }
        }
    }
}
