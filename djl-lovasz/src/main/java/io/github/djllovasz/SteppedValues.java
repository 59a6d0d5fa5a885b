package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The loss values {@link EvaluateOnceLoss#evaluate} returned, keyed by the identity of the label
 * and prediction arrays they were computed from. Bounded; entries whose value was closed are
 * dropped. All access holds the instance's lock.
 */
final class SteppedValues {

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();

    SteppedValues(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Remembers a value; drops closed values, then the oldest entry if full.
     *
     * @param labels the labels it was computed from
     * @param predictions the predictions it was computed from
     * @param value the loss value (not closed here)
     */
    synchronized void put(NDList labels, NDList predictions, NDArray value) {
        entries.removeIf(entry -> entry.value.isReleased());
        if (entries.size() >= capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(labels, predictions, value));
    }

    /**
     * Finds the newest open value computed from exactly these arrays.
     *
     * @param labels the labels
     * @param predictions the predictions
     * @return the value, or {@code null} if none is remembered or it was closed
     */
    synchronized NDArray find(NDList labels, NDList predictions) {
        Iterator<Entry> newestFirst = entries.descendingIterator();
        while (newestFirst.hasNext()) {
            Entry entry = newestFirst.next();
            if (entry.matches(labels, predictions)) {
                return entry.value.isReleased() ? null : entry.value;
            }
        }
        return null;
    }

    /** @return the number of entries (for tests) */
    synchronized int size() {
        return entries.size();
    }

    private static final class Entry {
        private final NDArray[] labels;
        private final NDArray[] predictions;
        private final NDArray value;

        Entry(NDList labels, NDList predictions, NDArray value) {
            // Copies: an NDList is mutable, the arrays are what identify the batch.
            this.labels = labels.toArray(new NDArray[0]);
            this.predictions = predictions.toArray(new NDArray[0]);
            this.value = value;
        }

        boolean matches(NDList otherLabels, NDList otherPredictions) {
            return sameArrays(labels, otherLabels) && sameArrays(predictions, otherPredictions);
        }

        private static boolean sameArrays(NDArray[] arrays, NDList list) {
            if (arrays.length != list.size()) {
                return false;
            }
            for (int i = 0; i < arrays.length; i++) {
                if (arrays[i] != list.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }
}
