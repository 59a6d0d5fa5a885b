package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
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
 * <p>The rows ({@link HostRows}) are read where the network left them: the values in their own
 * shape (no transposed copy, no row selection) and the class ids. For every row, in Java: the
 * errors {@code e = (1 − 2g)·v + b} (ignored pixels at {@code −∞}), one key per pixel ({@code
 * decreasing(e) << 32 | g << 31 | offset} for float32), a {@link RadixSort} of the keys, then one
 * pass in sorted order that computes the weights {@code w_k} of the paper's Algorithm 1 (as
 * {@link LovaszKernel#jaccardWeights}, in float64) and writes, at each pixel's element, its slope
 * {@code scale·w·a} with {@code a = 1 − 2g} (times {@code [e > 0]} for the hinge), and sums the
 * constant {@code scale·Σ w·b}, {@code scale} being the row's coefficient in the loss. Elements
 * of no row that counts get slope 0. The engine then computes {@code loss = Σ slope·v +
 * constant} over all the values, one dot product, differentiable in the values.
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
    /**
     * Values of more elements than this (16 MB of float32) get their slopes written in blocks:
     * written in sorted order, each slope lands on a random element of the output, and once the
     * output outgrows the caches and the TLB each write misses both (at 2^20 pixels per row the
     * time per pixel tripled). Above it, float32 slopes are first packed with their offsets and
     * bucketed by the offset's top 11 bits (one more radix pass), then written block by block.
     */
    static final int BLOCKED_WRITE = 1 << 22;
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

    /** What the engine needs after the host's sort: per-element slopes and one constant. */
    static final class Slopes {
        /** The slope of every value, in the values' shape, type and device (0 off the rows). */
        final NDArray factors;
        /** {@code Σ_r scale_r · Σ_k w_k·b_k}. */
        final double constant;

        Slopes(NDArray factors, double constant) {
            this.factors = factors;
            this.constant = constant;
        }
    }

    /**
     * Whether these values fit the host kernel: one Java buffer per array.
     *
     * @param values the values
     * @return whether {@code size·bytes ≤ 2^31 − 1}
     */
    static boolean fits(NDArray values) {
        return values.getShape().size() * values.getDataType().getNumOfBytes() <= Integer.MAX_VALUE;
    }

    /**
     * Sorts every row on the host and returns the slopes, scaled by the rows' coefficients.
     *
     * @param rows the rows (values float32 or float64)
     * @return the slopes
     */
    static Slopes slopes(HostRows rows) {
        return slopes(rows, HostThreads.count());
    }

    /**
     * {@link #slopes(HostRows)} with a given number of parallel tasks (tests force the split of a
     * row with it on any machine; tasks beyond {@link HostThreads#count()} wait for a thread).
     *
     * @param rows the rows
     * @param threads the number of tasks
     * @return the slopes
     */
    static Slopes slopes(HostRows rows, int threads) {
        return slopes(rows, threads, BLOCKED_WRITE);
    }

    /**
     * {@link #slopes(HostRows, int)} with the size above which slopes are written in blocks (tests
     * compare both writes on small arrays).
     *
     * @param rows the rows
     * @param threads the number of tasks
     * @param blockedWrite values of more elements than this are written in blocks
     * @return the slopes
     */
    static Slopes slopes(HostRows rows, int threads, int blockedWrite) {
        long start = System.nanoTime();
        NDArray values = rows.values;
        int numRows = rows.rows();
        int length = rows.length;
        EngineQuirks.HostOutput output = EngineQuirks.hostOutput(values);
        Job job = new Job(rows, output.buffer, blockedWrite);
        double[] constants = new double[numRows];
        long read = System.nanoTime();
        try {
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
        } finally {
            job.release();
        }
        long sorted = System.nanoTime();
        double constant = 0;
        for (double c : constants) {
            constant += c;
        }
        Slopes slopes = new Slopes(output.finish(), constant);
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
        final HostRows rows;
        final boolean wide;
        final boolean hinge;
        final int length;
        final FloatBuffer values32;
        final DoubleBuffer values64;
        final ByteBuffer valuesView;
        final ByteBuffer labelsView;
        final LongBuffer labels;
        final boolean ignoring;
        final long ignore;
        final FloatBuffer out32;
        final DoubleBuffer out64;
        /** Whether float32 slopes are packed with their offsets and written in blocks. */
        final boolean blocked;
        /** The first bit of the packed key that {@link #blocked} writes bucket by. */
        final int blockBit;
        /** Nanoseconds in keys, sort and weights, summed over threads; kept at TRACE level only. */
        final LongAdder[] stages = {new LongAdder(), new LongAdder(), new LongAdder()};
        final boolean timed = LOG.isTraceEnabled();

        Job(HostRows rows, ByteBuffer out, int blockedWrite) {
            this.rows = rows;
            this.length = rows.length;
            this.wide = rows.values.getDataType() == DataType.FLOAT64;
            this.hinge = rows.errorKind == Rows.Errors.HINGE;
            this.valuesView = EngineQuirks.hostView(rows.values);
            this.values32 = wide ? null : valuesView.asFloatBuffer();
            this.values64 = wide ? valuesView.asDoubleBuffer() : null;
            this.labelsView = EngineQuirks.hostView(rows.labels);
            this.labels = labelsView.asLongBuffer();
            this.ignoring = rows.ignoreIndex != null;
            this.ignore = ignoring ? rows.ignoreIndex : 0;
            this.out32 = wide ? null : out.asFloatBuffer();
            this.out64 = wide ? out.asDoubleBuffer() : null;
            long size = rows.values.getShape().size();
            this.blocked = !wide && size > blockedWrite;
            int offsetBits = 64 - Long.numberOfLeadingZeros(Math.max(1, size - 1));
            this.blockBit = 32 + Math.max(0, offsetBits - 11);
        }

        /** Gives back what {@link EngineQuirks#hostView} copied. */
        void release() {
            EngineQuirks.releaseHostView(rows.values, valuesView);
            EngineQuirks.releaseHostView(rows.labels, labelsView);
        }

        /**
         * Row {@code r}: keys, sort, weights, slopes written; returns the row's constant, both
         * scaled by the row's coefficient. A row of coefficient 0 only gets slopes 0.
         *
         * @param chunks into how many chunks (threads) the row is split
         */
        double row(Scratch s, int r, int chunks) {
            double scale = rows.scale[r];
            if (scale == 0) {
                HostThreads.forEach(chunks, c -> zeros(r, RadixSort.chunkStart(length, chunks, c),
                        RadixSort.chunkStart(length, chunks, c + 1)));
                return 0;
            }
            long t0 = timed ? System.nanoTime() : 0;
            long[] foregroundPerChunk = new long[chunks + 1];
            HostThreads.forEach(
                    chunks,
                    c -> foregroundPerChunk[c + 1] =
                            keys(s, r, RadixSort.chunkStart(length, chunks, c),
                                    RadixSort.chunkStart(length, chunks, c + 1)));
            long foregroundTotal = 0;
            for (int c = 1; c <= chunks; c++) {
                foregroundTotal += foregroundPerChunk[c];
            }
            long t1 = timed ? System.nanoTime() : 0;
            boolean spare = RadixSort.sort(s.keys, s.spareKeys, wide ? s.payload : null,
                    wide ? s.sparePayload : null, length, wide ? 0 : 32, chunks);
            long t2 = timed ? System.nanoTime() : 0;
            double constant = rowWeights(s, spare, scale, chunks, foregroundTotal);
            if (blocked) {
                writeBlocked(s, spare, chunks);
            }
            if (timed) {
                stages[0].add(t1 - t0);
                stages[1].add(t2 - t1);
                stages[2].add(System.nanoTime() - t2);
            }
            return constant;
        }

        /** The weights of a sorted row, on {@code chunks} threads; returns the row's constant. */
        private double rowWeights(Scratch s, boolean spare, double scale, int chunks, long foregroundTotal) {
            long[] keys = spare ? s.spareKeys : s.keys;
            int[] payload = wide ? (spare ? s.sparePayload : s.payload) : null;
            if (chunks == 1) {
                return weights(keys, payload, scale, 0, length, 0, foregroundTotal);
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
            HostThreads.forEach(chunks, c -> partial[c] = weights(keys, payload, scale,
                    RadixSort.chunkStart(length, chunks, c), RadixSort.chunkStart(length, chunks, c + 1),
                    before[c], total));
            double constant = 0;
            for (double p : partial) {
                constant += p;
            }
            return constant;
        }

        /**
         * Keys of the pixels {@code [from, to)} of row {@code r}: the errors {@code e = (1 −
         * 2g)·v + b} ({@link Rows.Errors}), {@code −∞} where ignored, as decreasing keys, with the
         * pixel's element offset (and, for float32, its ground truth) as payload.
         *
         * @return the number of foreground pixels among them
         */
        long keys(Scratch s, int r, int from, int to) {
            long classId = rows.classId(r);
            int inner = rows.inner;
            int jump = (rows.stride - 1) * inner;
            int at = rows.offset(r, from);
            int y = from % inner;
            int label = rows.labelOffset(r, from);
            long foregroundCount = 0;
            for (int i = from; i < to; i++, label++) {
                long id = labels.get(label);
                boolean counted = !ignoring || id != ignore;
                boolean g = counted && id == classId;
                foregroundCount += g ? 1 : 0;
                if (wide) {
                    double v = values64.get(at);
                    double e = !counted ? Double.NEGATIVE_INFINITY : g ? 1 - v : hinge ? v + 1 : v;
                    s.keys[i] = RadixSort.decreasing(e);
                    s.payload[i] = (g ? Integer.MIN_VALUE : 0) | at;
                } else {
                    float v = values32.get(at);
                    float e = !counted ? Float.NEGATIVE_INFINITY : g ? 1 - v : hinge ? v + 1 : v;
                    s.keys[i] = (long) RadixSort.decreasing(e) << 32 | (g ? PAYLOAD_FOREGROUND : 0) | at;
                }
                at++;
                if (++y == inner) {
                    y = 0;
                    at += jump;
                }
            }
            return foregroundCount;
        }

        /** Slopes 0 at the pixels {@code [from, to)} of row {@code r}. */
        void zeros(int r, int from, int to) {
            int inner = rows.inner;
            int jump = (rows.stride - 1) * inner;
            int at = rows.offset(r, from);
            int y = from % inner;
            for (int i = from; i < to; i++) {
                if (wide) {
                    out64.put(at, 0);
                } else {
                    out32.put(at, 0);
                }
                at++;
                if (++y == inner) {
                    y = 0;
                    at += jump;
                }
            }
        }

        /**
         * Step 4 in sorted order over positions {@code [from, to)} (as {@link
         * LovaszKernel#jaccardWeights}): with {@code f} the foreground among the top {@code k},
         * {@code J_k = k / (|F| + k − f)} and {@code w_k = J_k − J_{k−1}}; writes each pixel's
         * slope {@code scale·w·a} and returns {@code scale·Σ w·b} over these positions.
         *
         * @param before the foreground count at positions before {@code from}
         * @param foregroundTotal {@code |F|}
         */
        double weights(long[] keys, int[] payload, double scale, int from, int to, long before,
                long foregroundTotal) {
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
                double slope = active ? (g ? -w : w) * scale : 0;
                if (active && (g || hinge)) {
                    constant += w;
                }
                int at = bits & PIXEL_MASK;
                if (wide) {
                    out64.put(at, slope);
                } else if (blocked) {
                    // the key is read: its place holds the slope and its offset now
                    keys[k] = (long) at << 32 | (Float.floatToRawIntBits((float) slope) & 0xFFFF_FFFFL);
                } else {
                    out32.put(at, (float) slope);
                }
            }
            return constant * scale;
        }

        /**
         * The blocked write of a row whose weights pass packed {@code offset << 32 | slope} into
         * its sorted keys: one radix pass by the offset's top bits, then every slope written, the
         * writes of each chunk confined to one block of the output at a time.
         */
        private void writeBlocked(Scratch s, boolean spare, int chunks) {
            long[] packed = spare ? s.spareKeys : s.keys;
            long[] other = spare ? s.keys : s.spareKeys;
            boolean moved = RadixSort.sort(packed, other, null, null, length, blockBit, chunks);
            long[] ordered = moved ? other : packed;
            HostThreads.forEach(chunks, c -> {
                for (int k = RadixSort.chunkStart(length, chunks, c), end = RadixSort.chunkStart(length, chunks, c + 1);
                        k < end; k++) {
                    long entry = ordered[k];
                    out32.put((int) (entry >>> 32), Float.intBitsToFloat((int) entry));
                }
            });
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
