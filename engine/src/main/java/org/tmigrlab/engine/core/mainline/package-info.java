/**
 * The mainline (v6.9+) timer-migration hierarchy, read side by side with the kernel's
 * {@code kernel/time/timer_migration.c}: same names, same order of operations.
 *
 * <h2>The idea</h2>
 * Before v6.9 a timer armed on an idle CPU was pushed at enqueue time to a CPU that looked busy
 * ({@code get_nohz_timer_target()}); whether that CPU would still be busy at expiry was a guess,
 * "wrong by definition". The pull model instead always queues a timer on the CPU that arms it,
 * and lets idle CPUs hand their first <em>global</em> (non-pinned, non-deferrable) timer up a tree
 * of groups. In every group one active child is the <em>migrator</em>: at each tick it looks at the
 * group's first event and, when it is due, expires the idle CPU's global timers itself. Only when
 * the whole tree is idle does the last CPU to go idle program a wake-up for the tree's first event.
 *
 * <pre>
 *  LVL 1                    [GRP1:0]            migrator = GRP0:1 (bit 0x2)
 *                         /          \          active   = {GRP0:1}
 *  LVL 0          [GRP0:0]            [GRP0:1]  migrator = CPU2
 *                 idle                 active   = {CPU2}
 *                /      \             /      \
 *  CPUs         0        1           2        3
 *             idle     idle       busy      idle
 *            T0@12ms  T1@12ms
 * </pre>
 * Here CPU0's and CPU1's events sit in GRP0:0's queue; GRP0:0 is idle, so its first event (CPU0's,
 * 12 ms) sits in GRP1:0's queue. CPU2 is migrator of GRP0:1 and, through it, of GRP1:0: at its
 * 12 ms tick it finds GRP1:0's first event due and expires CPU0's timers (doc scenario C).
 *
 * <h2>State</h2>
 * <ul>
 *   <li>Per group: {@code migr_state} = (active mask, migrator bit or {@code TMIGR_NONE}, seq),
 *       changed only by compare-and-set; a timer queue of child events; {@code next_expiry};
 *       and its own {@code groupevt} queued in the parent while the group is idle.</li>
 *   <li>Per CPU: {@code idle}, {@code available} (online and not isolated), {@code remote},
 *       {@code wakeup} (what it must program when it is the last idle CPU), and its
 *       {@code cpuevt} queued in its level-0 group.</li>
 *   <li>Events carry {@code ignore}: set without the lock when a CPU or group becomes active, so
 *       stale entries are dropped lazily by the next reader ({@code tmigr_next_groupevt()}), and
 *       {@code cpu}: the CPU of the group's first timer, so a migrator at any level pulls straight
 *       from that CPU instead of walking down (the 2017 RFC walked down).</li>
 * </ul>
 *
 * <h2>One walker</h2>
 * Every propagation is a {@link org.tmigrlab.engine.core.mainline.Walk} driven bottom-up by
 * {@link org.tmigrlab.engine.core.mainline.MainlineModel#step}, the kernel's
 * {@code __walk_groups_from()}: apply one per-group function, stop if it says so, else move to the
 * parent with the child's groupmask. The functions are {@code tmigr_active_up},
 * {@code tmigr_inactive_up} (+ {@code tmigr_update_events}), {@code tmigr_new_timer_up},
 * {@code tmigr_handle_remote_up} and {@code tmigr_requires_handle_remote_up}. The sequential
 * simulator runs a walk's steps back to back; because each step is separate and state changes only
 * by compare-and-set, a race lab can interleave the steps of several CPUs.
 *
 * <h2>Numbered scenarios (the tests reproduce each)</h2>
 * <ol>
 *   <li><b>Doc A, why seq exists.</b> CPU0 going idle and CPU1 waking race up GRP0:0 → GRP1:0;
 *       without the sequence count CPU0's stale update clears GRP0:0's bit in GRP1:0 though CPU1 is
 *       active. Invariant {@code parent-child-active}.</li>
 *   <li><b>Doc B, new timer vs. last CPU going idle.</b> The top group's state is read under its
 *       lock in {@code tmigr_update_events()}, so an idle CPU queuing the only timer gets it back as
 *       its own wakeup ({@code KernelScenariosTest.DocB}).</li>
 *   <li><b>Doc C, the re-walk after a remote expiry.</b> After expiring CPU0's timers the migrator
 *       walks up from CPU0's view, so CPU1's equal timer becomes GRP0:0's first event and is
 *       expired in the same pass.</li>
 *   <li><b>#1</b> quick check reports the minimum over levels, not the top's;
 *       <b>#2</b> a CPU without a global timer must still look at the group's other events when the
 *       group has no parent; <b>#3</b> a former idle migrator clears its stale wakeup;
 *       <b>#4</b> a queued group event keeping its expiry still takes its new CPU;
 *       <b>#13</b> one root; <b>#15</b> NUMA-pure groups below the crossnode level (builder);
 *       <b>#16</b> isolated CPUs leave the hierarchy. Each historical defect is a
 *       {@link org.tmigrlab.engine.core.Bug} switch.</li>
 * </ol>
 *
 * <h2>Deliberate differences</h2>
 * Locks are not modelled (the simulator is sequential), nor weak memory ordering (#11), nor
 * allocation failure (#6). Group state is three words instead of one packed {@code u32} because
 * a group may have up to 64 children here; they change together only through
 * {@code casState}. hrtimers (still pushed) and nohz_full are out of scope.
 */
package org.tmigrlab.engine.core.mainline;
