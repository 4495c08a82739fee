package org.tmigrlab.console.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr that appears only once a job has run for a second: short jobs
 * (and every test) print nothing, long sweeps show runs done, speed and ETA. Disabled when
 * stderr is not a terminal, so logs and CI output never fill with carriage returns.
 *
 * <p>Thread-safe: workers call {@link #step()} as their runs finish.
 */
public final class Progress implements AutoCloseable {
    /** Jobs shorter than this never show a bar. */
    static final long DELAY_MS = 1000;

    private final String task;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;
    private long done;
    private ProgressBar bar;
    private boolean closed;

    private Progress(String task, long total, boolean enabled) {
        this.task = task;
        this.total = total;
        if (enabled) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tmigr-progress");
                t.setDaemon(true);
                return t;
            });
            timer.schedule(this::show, DELAY_MS, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    /** A bar for {@code total} steps, shown after a second if {@code enabled} (and never otherwise). */
    public static Progress start(String task, long total, boolean enabled) {
        return new Progress(task, total, enabled);
    }

    public static Progress none() {
        return new Progress("", 0, false);
    }

    public synchronized void step() {
        done++;
        if (bar != null) bar.stepTo(done);
    }

    private synchronized void show() {
        if (closed || done >= total) return;
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                // ASCII: safe in any terminal font and in logs captured by `script`.
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setUnit(" runs", 1)
                .showSpeed().startsFrom(done, Duration.ofNanos(System.nanoTime() - startNanos)).build();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) timer.shutdownNow();
        if (bar != null) {
            bar.stepTo(done);
            bar.close();
            bar = null;
        }
    }

    /**
     * Whether stderr is a terminal. {@code System.console()} answers for stdin and stdout, so
     * {@code tmigr sweep ... > out.csv} would lose its bar; on Linux /proc says where fd 2 goes.
     */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
