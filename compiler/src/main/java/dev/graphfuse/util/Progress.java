package dev.graphfuse.util;

/**
 * Where long work reports how far it got: reading a model, optimizing it, copying its weights, a session
 * run. The library reports to {@link #current()}, which is silent unless a caller (the CLI, on a terminal)
 * binds a sink with {@code ScopedValue.where(Progress.CURRENT, sink)}; nothing here draws anything.
 */
public interface Progress {
    ScopedValue<Progress> CURRENT = ScopedValue.newInstance();

    /** Reports nothing. */
    Progress NONE = (name, total, unit) -> Task.NONE;

    /** The sink bound for this thread, else {@link #NONE}. */
    static Progress current() {
        return CURRENT.orElse(NONE);
    }

    /** A task of {@code total} units ({@code -1}: unknown, shown as elapsed time only). */
    Task start(String name, long total, Unit unit);

    enum Unit { STEPS, BYTES }

    /** One task in flight; closing it ends it. */
    interface Task extends AutoCloseable {
        Task NONE = new Task() {
            @Override
            public void advance(long n) {
            }

            @Override
            public void close() {
            }
        };

        void advance(long n);

        @Override
        void close();
    }
}
