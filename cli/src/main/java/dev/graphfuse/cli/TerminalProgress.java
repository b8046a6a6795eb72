package dev.graphfuse.cli;

import dev.graphfuse.util.Progress;
import java.io.Console;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on standard error (the progressbar library) for work that is still running after
 * {@link #DELAY_MS}: short work draws nothing. Only where standard error is a terminal and not under
 * {@code --quiet}, so pipes, files and CI logs never see a bar.
 */
final class TerminalProgress implements Progress {
    static final long DELAY_MS = 2000;

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "graphfuse-progress");
        t.setDaemon(true);
        return t;
    });

    /** Whether bars may be drawn: an interactive terminal, and not quiet. */
    static boolean wanted(boolean quiet) {
        Console c = System.console();
        return !quiet && c != null && c.isTerminal() && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public Task start(String name, long total, Unit unit) {
        return new Bar(name, total, unit);
    }

    private static final class Bar implements Task {
        private final AtomicLong done = new AtomicLong();
        private final long started = System.nanoTime();
        private final ScheduledFuture<?> show;
        private ProgressBar bar;
        private boolean closed;

        Bar(String name, long total, Unit unit) {
            show = TIMER.schedule(() -> open(name, total, unit), DELAY_MS, TimeUnit.MILLISECONDS);
        }

        private synchronized void open(String name, long total, Unit unit) {
            if (closed) {
                return;
            }
            ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(name).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate()
                    .startsFrom(done.get(), java.time.Duration.ofNanos(System.nanoTime() - started));
            if (unit == Unit.BYTES) {
                b.setUnit(" MiB", 1L << 20).showSpeed();
            }
            bar = b.build();
        }

        @Override
        public void advance(long n) {
            long d = done.addAndGet(n);
            synchronized (this) {
                if (bar != null) {
                    bar.stepTo(d);
                }
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            show.cancel(false);
            if (bar != null) {
                bar.close();
            }
        }
    }
}
