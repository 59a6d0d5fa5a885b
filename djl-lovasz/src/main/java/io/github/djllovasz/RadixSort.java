package io.github.djllovasz;

/**
 * A stable least-significant-digit radix sort of {@code long} keys by their unsigned value, for
 * {@link HostKernel}: linear in the row length, where a comparison sort costs {@code N log N}.
 *
 * <p>Keys are sorted by their bits {@code [firstBit, 64)} in digits of 11 bits; a pass whose
 * digit is the same for every key is skipped (errors in {@code [0, 1]} share their top bits). A
 * key may carry its payload in its low bits (float32 errors: {@code key << 32 | payload}, three
 * passes), or the payload travels in a separate {@code int[]} (float64 errors: six passes). Each
 * pass can be split into chunks that run on {@link HostThreads}: every chunk counts its digits,
 * then scatters its keys to the positions the counts of the chunks before it leave free, so the
 * result is the same as one sequential pass.
 *
 * <p>The float keys ({@link #decreasing(float)}, {@link #decreasing(double)}) map decreasing
 * floats to increasing unsigned integers, so that sorting the keys orders the floats from largest
 * to smallest, {@code +∞} first and {@code −∞} last, equal floats in the order they came.
 */
final class RadixSort {

    private static final int DIGIT_BITS = 11;
    private static final int RADIX = 1 << DIGIT_BITS;
    private static final int MASK = RADIX - 1;

    private RadixSort() {}

    /**
     * The key of a float32 value: larger floats give smaller unsigned keys.
     *
     * @param x the value
     * @return its key as an unsigned 32-bit integer
     */
    static int decreasing(float x) {
        int bits = Float.floatToRawIntBits(x);
        // Negative floats: flip every bit; positive ones: flip the sign bit. Then reverse.
        return ~(bits ^ ((bits >> 31) | Integer.MIN_VALUE));
    }

    /**
     * The key of a float64 value: larger doubles give smaller unsigned keys.
     *
     * @param x the value
     * @return its key as an unsigned 64-bit integer
     */
    static long decreasing(double x) {
        long bits = Double.doubleToRawLongBits(x);
        return ~(bits ^ ((bits >> 63) | Long.MIN_VALUE));
    }

    /**
     * Sorts {@code keys[0, n)} by the unsigned value of their bits {@code [firstBit, 64)}, stably.
     *
     * @param keys the keys; also scratch
     * @param spareKeys scratch of at least {@code n} entries
     * @param payload a payload per key moved with it, or {@code null}
     * @param sparePayload scratch for the payload, or {@code null}
     * @param n the number of keys
     * @param firstBit the lowest bit that counts (32 for payloads in the low bits, else 0)
     * @param chunks into how many chunks each pass is split (1: sequential)
     * @return {@code true} if the sorted keys (and payload) ended in the spare arrays
     */
    static boolean sort(
            long[] keys, long[] spareKeys, int[] payload, int[] sparePayload, int n, int firstBit, int chunks) {
        int passes = (64 - firstBit + DIGIT_BITS - 1) / DIGIT_BITS;
        long[] from = keys;
        long[] to = spareKeys;
        int[] fromPayload = payload;
        int[] toPayload = sparePayload;
        boolean swapped = false;
        long[][] counts = new long[chunks][RADIX];
        for (int pass = 0; pass < passes; pass++) {
            int shift = firstBit + pass * DIGIT_BITS;
            long[] src = from;
            HostThreads.forEach(chunks, c -> count(src, chunkStart(n, chunks, c), chunkStart(n, chunks, c + 1), shift, counts[c]));
            if (!toStarts(counts, n)) {
                continue; // every key has the same digit: nothing moves
            }
            long[] dst = to;
            int[] srcPayload = fromPayload;
            int[] dstPayload = toPayload;
            HostThreads.forEach(
                    chunks,
                    c -> scatter(src, dst, srcPayload, dstPayload, chunkStart(n, chunks, c),
                            chunkStart(n, chunks, c + 1), shift, counts[c]));
            from = dst;
            to = src;
            fromPayload = dstPayload;
            toPayload = srcPayload;
            swapped = !swapped;
        }
        return swapped;
    }

    /** The first index of chunk {@code c} of {@code chunks} over {@code [0, n)}. */
    static int chunkStart(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    private static void count(long[] keys, int from, int to, int shift, long[] count) {
        java.util.Arrays.fill(count, 0);
        for (int i = from; i < to; i++) {
            count[(int) (keys[i] >>> shift) & MASK]++;
        }
    }

    /**
     * Turns the digit counts of every chunk into the position where each chunk writes its first
     * key of each digit.
     *
     * @return {@code false} if one digit holds all {@code n} keys (the pass changes nothing)
     */
    private static boolean toStarts(long[][] counts, int n) {
        long position = 0;
        for (int digit = 0; digit < RADIX; digit++) {
            long total = 0;
            for (long[] count : counts) {
                total += count[digit];
            }
            if (total == n) {
                return false;
            }
            for (long[] count : counts) {
                long c = count[digit];
                count[digit] = position;
                position += c;
            }
        }
        return true;
    }

    private static void scatter(
            long[] src, long[] dst, int[] srcPayload, int[] dstPayload, int from, int to, int shift, long[] start) {
        if (srcPayload == null) {
            for (int i = from; i < to; i++) {
                long key = src[i];
                dst[(int) start[(int) (key >>> shift) & MASK]++] = key;
            }
        } else {
            for (int i = from; i < to; i++) {
                long key = src[i];
                int at = (int) start[(int) (key >>> shift) & MASK]++;
                dst[at] = key;
                dstPayload[at] = srcPayload[i];
            }
        }
    }
}
