package org.tmigrlab.engine.core.mainline;

/**
 * The per-group {@code timerqueue} of child events, kept as a sorted array of event ids.
 *
 * <p>A group holds at most one event per child, so a linear insert into a few dozen slots is
 * cheaper than a tree and allocates nothing. Equal expiries keep insertion order, as the kernel's
 * rbtree does (an equal key goes to the right). Return values follow {@code timerqueue_add()}
 * (new event is the first) and {@code timerqueue_del()} (queue still has events).
 */
final class GroupQueue {

    private int[] ids;
    private int size;

    GroupQueue(int capacity) {
        ids = new int[Math.max(2, capacity)];
    }

    int size() {
        return size;
    }

    /** First event id, or -1. */
    int first() {
        return size == 0 ? -1 : ids[0];
    }

    int get(int i) {
        return ids[i];
    }

    /** Inserts {@code evt} by {@code expires[evt]}; true when it became the first. */
    boolean add(int evt, long[] expires) {
        if (size == ids.length) ids = java.util.Arrays.copyOf(ids, size * 2);
        long e = expires[evt];
        int i = size;
        while (i > 0 && expires[ids[i - 1]] > e) {
            ids[i] = ids[i - 1];
            i--;
        }
        ids[i] = evt;
        size++;
        return i == 0;
    }

    /** Removes {@code evt} if present; true when events remain. */
    boolean remove(int evt) {
        for (int i = 0; i < size; i++) {
            if (ids[i] == evt) {
                System.arraycopy(ids, i + 1, ids, i, size - i - 1);
                size--;
                break;
            }
        }
        return size > 0;
    }
}
