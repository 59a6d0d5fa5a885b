package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;

/**
 * One host pass over int64 class ids, for the rows {@link HostKernel} sorts: it checks that every
 * label lies in its range (the same message as {@link SegmentationInputs#checkLabelRange}) and
 * counts, per group of pixels (all of them, or one image), the counted pixels and the pixels of
 * each label. These counts decide which rows take part (PRESENT: a row with a foreground pixel;
 * with an ignore index: a group with a counted pixel), where the engine kernel asks the engine.
 */
final class LabelCounts {

    private final long[] counted;
    private final long[][] perLabel;

    private LabelCounts(long[] counted, long[][] perLabel) {
        this.counted = counted;
        this.perLabel = perLabel;
    }

    /**
     * Counts and checks the labels.
     *
     * @param labels int64 class ids, {@code groups} equal runs of pixels in memory order
     * @param groups the number of groups
     * @param high the largest valid label (the smallest is 0)
     * @param ignoreIndex the ignored label, or {@code null}
     * @param meaning what the valid range means, for the message
     * @return the counts
     * @throws IllegalArgumentException naming the first label outside {@code [0, high]} that is
     *     not the ignore index
     */
    static LabelCounts of(NDArray labels, int groups, int high, Integer ignoreIndex, String meaning) {
        ByteBuffer view = EngineQuirks.hostView(labels);
        try {
            LongBuffer ids = view.asLongBuffer();
            int perGroup = ids.remaining() / groups;
            long ignore = ignoreIndex == null ? 0 : ignoreIndex;
            boolean ignoring = ignoreIndex != null;
            long[] counted = new long[groups];
            long[][] perLabel = new long[groups][high + 1];
            for (int g = 0; g < groups; g++) {
                long[] count = perLabel[g];
                for (int i = g * perGroup, end = i + perGroup; i < end; i++) {
                    long label = ids.get(i);
                    if (label >= 0 && label <= high) {
                        if (!ignoring || label != ignore) {
                            count[(int) label]++;
                        }
                    } else if (!ignoring || label != ignore) {
                        throw SegmentationInputs.labelOutside(label, ignoreIndex, meaning);
                    }
                }
                for (long c : count) {
                    counted[g] += c;
                }
            }
            return new LabelCounts(counted, perLabel);
        } finally {
            EngineQuirks.releaseHostView(labels, view);
        }
    }

    /** @return the pixels of group {@code g} that are not ignored */
    long counted(int g) {
        return counted[g];
    }

    /** @return the pixels of group {@code g} (not ignored) whose label is {@code label} */
    long count(int g, long label) {
        return perLabel[g][(int) label];
    }
}
