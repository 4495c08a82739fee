package org.tmigrlab.console.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs independent simulations on a fixed number of threads and returns their results in
 * submission order, whatever order they finish in: output built from the list is the same for
 * one thread or sixty-four. Each simulation is single-threaded and shares nothing mutable, so
 * runs are the unit of parallelism.
 */
public final class RunPool implements AutoCloseable {

    /** A task and the words that identify it in an error message ({@code machine.cpus=64, mainline, seed 3}). */
    public record Task<T>(String label, Callable<T> work) {
    }

    /** A run that threw; {@link #label()} says which. */
    public static final class RunFailedException extends RuntimeException {
        private final String label;

        RunFailedException(String label, Throwable cause) {
            super(label + ": " + cause.getMessage(), cause);
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final ExecutorService executor;
    private final int threads;

    public RunPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tmigr-run-" + n.incrementAndGet());
            t.setDaemon(true);  // a failed sweep must not keep the JVM alive
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs every task, steps {@code progress} as each finishes, and returns the results in task
     * order. The first failure (in task order) cancels the rest and is rethrown as a
     * {@link RunFailedException}, or as itself when it is unchecked and not specific to a run.
     */
    public <T> List<T> runAll(List<Task<T>> tasks, Progress progress) {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Task<T> task : tasks) {
            futures.add(executor.submit(() -> {
                T r = task.work().call();
                progress.step();
                return r;
            }));
        }
        List<T> out = new ArrayList<>(tasks.size());
        try {
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    for (Future<T> f : futures) f.cancel(true);
                    throw new RunFailedException(tasks.get(i).label(), e.getCause());
                }
            }
        } catch (InterruptedException e) {
            for (Future<T> f : futures) f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return out;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
