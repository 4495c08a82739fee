package org.tmigrlab.engine.workload;

import java.util.List;

import org.tmigrlab.engine.scenario.Step;

/**
 * Steps for the simulator, produced lazily in time order: the scenario's script, a workload
 * generator, or both merged. The simulator peeks the time of the next step, and takes it when
 * it is the next event.
 *
 * <p>{@link #next()} may return {@code null} for an internal action that produced no step: the
 * simulator then moves on without counting an event. A source that reacts to the run
 * ({@link #timerFired}) must not decide steps ahead of the time it is asked for, or it would
 * decide them on stale state; one that does not react may work ahead ({@link WorkloadGenerator}
 * without a ping-pong emits steps in batches, {@link WorkAhead} on another thread).
 *
 * <p>Threading: the simulator's thread ({@link WorkAhead} hands its steps over to it).
 */
public interface StepSource {

    /** Time of the next step or internal action, ns; {@link Long#MAX_VALUE} when exhausted. */
    long peekTime();

    /** Removes the next entry; its step, or null when it was an internal action. */
    Step next();

    /**
     * {@link #next()} without allocating: fills {@code into} and returns true, or returns false
     * for an internal action. The simulator's loop calls this; sources that can, override it.
     */
    default boolean nextInto(StepCursor into) {
        Step s = next();
        if (s == null) return false;
        into.set(s);
        return true;
    }

    /**
     * A timer armed by this source with {@link Step#wakesTask()} ran its callback on
     * {@code firedOn} at {@code now}; its task lives on {@code armedOn}. Steps the source adds in
     * response may be at {@code now}. {@code timer} may be null when the simulator does not
     * materialise generated names (records aggregated, no trace, no checker).
     */
    default void timerFired(String timer, int armedOn, int firedOn, long now) {
    }

    StepSource EMPTY = new StepSource() {
        @Override public long peekTime() { return Long.MAX_VALUE; }
        @Override public Step next() { throw new IllegalStateException("no steps"); }
    };

    /** The script's steps (already sorted by time, then file order). */
    static StepSource of(List<Step> sorted) {
        if (sorted.isEmpty()) return EMPTY;
        return new StepSource() {
            private int next;

            @Override
            public long peekTime() {
                return next < sorted.size() ? sorted.get(next).at() : Long.MAX_VALUE;
            }

            @Override
            public Step next() {
                return sorted.get(next++);
            }
        };
    }

    /** {@code first} and {@code second} merged by time; at equal times {@code first} goes first. */
    static StepSource merge(StepSource first, StepSource second) {
        if (first == EMPTY) return second;
        if (second == EMPTY) return first;
        return new StepSource() {
            @Override
            public long peekTime() {
                return Math.min(first.peekTime(), second.peekTime());
            }

            @Override
            public Step next() {
                return first.peekTime() <= second.peekTime() ? first.next() : second.next();
            }

            @Override
            public boolean nextInto(StepCursor into) {
                return first.peekTime() <= second.peekTime() ? first.nextInto(into) : second.nextInto(into);
            }

            @Override
            public void timerFired(String timer, int armedOn, int firedOn, long now) {
                first.timerFired(timer, armedOn, firedOn, now);
                second.timerFired(timer, armedOn, firedOn, now);
            }
        };
    }
}
