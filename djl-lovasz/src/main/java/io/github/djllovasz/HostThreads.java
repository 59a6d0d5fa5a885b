package io.github.djllovasz;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.function.IntConsumer;

/**
 * The threads of {@link HostKernel}: the calling thread and {@code threads − 1} daemon workers
 * shared by every loss. The count is the system property {@code lovasz.host.threads}, default
 * {@link #DEFAULT_THREADS} (see docs/how-it-works.md for the measurements behind it); it never
 * changes the engine's own thread settings.
 */
final class HostThreads {

    /** The system property that sets the number of threads of the host kernel. */
    static final String PROPERTY = "lovasz.host.threads";

    /** The default: every core the JVM sees, at most 4. */
    static final int DEFAULT_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

    private static final int THREADS = threadsFromProperty();

    private static final ExecutorService WORKERS =
            THREADS == 1
                    ? null
                    : Executors.newFixedThreadPool(
                            THREADS - 1,
                            task -> {
                                Thread thread = new Thread(task, "djl-lovasz-host");
                                thread.setDaemon(true);
                                return thread;
                            });

    private HostThreads() {}

    /** @return the number of threads the host kernel uses (the caller included) */
    static int count() {
        return THREADS;
    }

    /**
     * Runs {@code body(0)} … {@code body(tasks − 1)}, task 0 on the calling thread and the others
     * on the workers, and returns when every one has finished.
     *
     * @param tasks the number of tasks, at most {@link #count()} for them all to run at once (with
     *     one thread they run one after the other)
     * @param body the task
     * @throws RuntimeException the first failure of a task
     */
    static void forEach(int tasks, IntConsumer body) {
        if (tasks == 1 || WORKERS == null) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        @SuppressWarnings("unchecked")
        Future<?>[] others = new Future<?>[tasks - 1];
        for (int t = 1; t < tasks; t++) {
            int task = t;
            others[t - 1] = WORKERS.submit(() -> body.accept(task));
        }
        RuntimeException failure = null;
        try {
            body.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> other : others) {
            try {
                other.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    Throwable cause = e.getCause();
                    failure = cause instanceof RuntimeException
                            ? (RuntimeException) cause
                            : new IllegalStateException(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the host kernel sorted", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static int threadsFromProperty() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            return DEFAULT_THREADS;
        }
        try {
            int threads = Integer.parseInt(value.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "system property " + PROPERTY + " must be a whole number >= 1, got '" + value + "'");
    }
}
