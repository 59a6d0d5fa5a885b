package io.github.djllovasz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The host kernel's sort: float keys in decreasing order (infinities, signed zeros, ties kept in
 * pixel order), float64 keys with a separate payload, and a pass split into chunks giving the
 * same result as one sequential pass.
 */
class RadixSortTest {

    private static final float[] SPECIAL = {
        Float.NEGATIVE_INFINITY, -3.5f, -1f, -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE, 0.5f, 1f, 2f,
        Float.MAX_VALUE, Float.POSITIVE_INFINITY
    };

    @Test
    void keysOrderFloatsFromLargestToSmallest() {
        for (int i = 0; i + 1 < SPECIAL.length; i++) {
            assertTrue(Integer.compareUnsigned(RadixSort.decreasing(SPECIAL[i + 1]), RadixSort.decreasing(SPECIAL[i])) < 0,
                    SPECIAL[i + 1] + " before " + SPECIAL[i]);
            assertTrue(Long.compareUnsigned(RadixSort.decreasing((double) SPECIAL[i + 1]),
                    RadixSort.decreasing((double) SPECIAL[i])) < 0, SPECIAL[i + 1] + " before " + SPECIAL[i] + " (float64)");
        }
    }

    @Test
    void packedFloat32KeysSortStablyInEveryChunking() {
        Random random = new Random(5);
        int n = 20_000;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            // many ties, both signs, and the special values
            values[i] = random.nextInt(4) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : random.nextInt(50) / 7f - 3;
        }
        Integer[] expected = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        // decreasing, ties in pixel order (a stable sort); −0 after +0 as their keys say
        Arrays.sort(expected, Comparator.comparing((Integer i) -> -values[i], Float::compare));
        for (int chunks : new int[] {1, 2, 3, 7}) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = (long) RadixSort.decreasing(values[i]) << 32 | i;
            }
            long[] spare = new long[n];
            long[] sorted = RadixSort.sort(keys, spare, null, null, n, 32, chunks) ? spare : keys;
            int[] order = Arrays.stream(sorted).mapToInt(k -> (int) k).toArray();
            assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), order, chunks + " chunks");
        }
    }

    @Test
    void float64KeysCarryTheirPayload() {
        Random random = new Random(6);
        int n = 10_000;
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            // values that float32 cannot tell apart, and exact ties
            values[i] = 0.5 + random.nextInt(40) * 1e-12;
        }
        Integer[] expected = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(expected, Comparator.comparing((Integer i) -> -values[i], Double::compare));
        for (int chunks : new int[] {1, 3}) {
            long[] keys = new long[n];
            int[] payload = new int[n];
            for (int i = 0; i < n; i++) {
                keys[i] = RadixSort.decreasing(values[i]);
                payload[i] = i;
            }
            int[] sparePayload = new int[n];
            boolean spare = RadixSort.sort(keys, new long[n], payload, sparePayload, n, 0, chunks);
            assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(),
                    spare ? sparePayload : payload, chunks + " chunks");
        }
    }
}
