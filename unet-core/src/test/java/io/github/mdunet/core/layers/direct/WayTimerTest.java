package io.github.mdunet.core.layers.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The timer on scripted clocks and ways that record their runs: the shortest run is kept per key and timed once, a
 * failing candidate is left out and the results come from a way that ran to the end, the stock way's failure is the
 * caller's, and a second thread waits for the first one's timing.
 */
class WayTimerTest {

    private enum Way { STOCK, FAST, SLOW }

    private static final List<Way> ALL = List.of(Way.STOCK, Way.FAST, Way.SLOW);

    /**
     * Ways on a fake clock: each completed run of a way advances the clock by that way's next duration (its last one
     * repeating); a way fails where told, on every run or on one call only.
     */
    private static final class Runs implements Consumer<Way> {
        final List<Way> completed = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger reads = new AtomicInteger();
        private final Map<Way, long[]> durations = new EnumMap<>(Way.class);
        private final Map<Way, Integer> runsOf = new EnumMap<>(Way.class);
        private final Map<Way, Long> workingBytes = new EnumMap<>(Way.class);
        private final AtomicInteger calls = new AtomicInteger();
        private long now;
        private long lastWorkingBytes;
        private Way failing;
        private int failOnCall = -1;

        Runs taking(Way way, long... nanos) {
            durations.put(way, nanos);
            return this;
        }

        /** Each run of {@code way} takes {@code bytes} of working memory (0 for a way not given). */
        Runs using(Way way, long bytes) {
            workingBytes.put(way, bytes);
            return this;
        }

        /** {@code way} fails on every call. */
        Runs failing(Way way) {
            failing = way;
            return this;
        }

        /** {@code way} fails on the {@code call}-th call (from 0) of any way only. */
        Runs failing(Way way, int call) {
            failing = way;
            failOnCall = call;
            return this;
        }

        long clock() {
            reads.incrementAndGet();
            return now;
        }

        /** Measures a run on the clock, and its working memory as {@link #using} gave it for the way that ran. */
        WayMeter meter() {
            return run -> {
                long start = clock();
                run.run();
                return new WayMeter.Cost(clock() - start, lastWorkingBytes);
            };
        }

        @Override
        public void accept(Way way) {
            int call = calls.getAndIncrement();
            if (way == failing && (failOnCall < 0 || call == failOnCall)) {
                throw new IllegalStateException(way + " failed");
            }
            int run = runsOf.merge(way, 1, Integer::sum) - 1;
            long[] nanos = durations.getOrDefault(way, new long[] {1});
            now += nanos[Math.min(run, nanos.length - 1)];
            lastWorkingBytes = workingBytes.getOrDefault(way, 0L);
            completed.add(way);
        }

        Way last() {
            return completed.get(completed.size() - 1);
        }
    }

    private static Runs standard() {
        return new Runs().taking(Way.STOCK, 100).taking(Way.FAST, 1000, 10).taking(Way.SLOW, 500);
    }

    /** {@link #standard()}, FAST (the fastest) taking the most memory and SLOW the least. */
    private static Runs standardUsingMemory() {
        return standard().using(Way.STOCK, 2000).using(Way.FAST, 5000).using(Way.SLOW, 100);
    }

    /** A timer with no memory limit, on {@code clock}. */
    private static WayTimer<String, Way> unlimited(LongSupplier clock) {
        return new WayTimer<>(Way.class, WayMeter.clock(clock), Long.MAX_VALUE);
    }

    /** A timer on {@code runs}' clock and working memory, whose memory limit is {@code limitBytes}. */
    private static WayTimer<String, Way> limited(Runs runs, long limitBytes) {
        return new WayTimer<>(Way.class, runs.meter(), limitBytes);
    }

    @Test
    void keepsTheWayWithTheShortestRunForTheKeyAndTimesItOnce() {
        // FAST takes 1000 ns on its first run (first touch), 10 after
        Runs runs = standard();
        WayTimer<String, Way> timer = unlimited(runs::clock);
        assertThat(timer.chosen("a")).isEmpty();
        assertThat(timer.run(() -> "a", ALL, runs)).as("the way chosen").isEqualTo(Way.FAST);
        assertThat(runs.completed).as("each way twice, then the chosen one again to write the results")
                .hasSize(WayTimer.ROUNDS * ALL.size() + 1);
        assertThat(runs.last()).isEqualTo(Way.FAST);
        assertThat(timer.chosen("a")).contains(Way.FAST);
        assertThat(timer.run(() -> "a", ALL, runs)).isEqualTo(Way.FAST);
        assertThat(runs.last()).isEqualTo(Way.FAST);
        assertThat(runs.reads).as("the clock is read on the first call only")
                .hasValue(2 * WayTimer.ROUNDS * ALL.size());
        assertThat(timer.chosen("b")).as("another key").isEmpty();
        assertThat(timer.run(() -> {
            throw new AssertionError("no key is made for one candidate");
        }, List.of(Way.SLOW), runs)).as("one candidate, not timed").isEqualTo(Way.SLOW);
        assertThat(timer.chosen("b")).isEmpty();
        assertThat(runs.reads).hasValue(2 * WayTimer.ROUNDS * ALL.size());
    }

    /**
     * Under a memory limit the fastest way within it is kept and a way over it is not run again; when no way is within
     * it, the one that took the least memory is kept. The kept way runs last, writing the results.
     */
    @ParameterizedTest(name = "limit {0} bytes: {1}")
    @MethodSource("memoryLimits")
    void underALimitTheFastestWayWithinItIsKept(long limitBytes, Way kept, List<Way> completed, String why) {
        Runs runs = standardUsingMemory();
        WayTimer<String, Way> timer = limited(runs, limitBytes);
        assertThat(timer.run(() -> "a", ALL, runs)).isEqualTo(kept).isEqualTo(runs.last());
        assertThat(runs.completed).as(why).containsExactlyElementsOf(completed);
        assertThat(timer.chosen("a")).contains(kept);
    }

    /** Limits on {@link #standardUsingMemory()}: the way kept, the ways run in order, and why. */
    static Stream<Arguments> memoryLimits() {
        return Stream.of(
                Arguments.of(3000L, Way.STOCK, List.of(Way.STOCK, Way.FAST, Way.SLOW, Way.STOCK, Way.SLOW, Way.STOCK),
                        "FAST (the fastest) takes more memory than the limit: FAST once, the others twice, then"
                                + " STOCK, the fastest within it, to write the results"),
                Arguments.of(50L, Way.SLOW, List.of(Way.STOCK, Way.FAST, Way.SLOW),
                        "each once: all over the limit; SLOW ran last and wrote the results"));
    }

    @Test
    void withoutALimitTheFastestWayIsKeptWhateverItsMemory() {
        Runs noLimit = standardUsingMemory();
        assertThat(limited(noLimit, Long.MAX_VALUE).run(() -> "a", ALL, noLimit))
                .as("no limit: the fastest").isEqualTo(Way.FAST);
    }

    @Test
    void aFailingCandidateIsLeftOut() {
        Runs runs = standard().failing(Way.FAST);
        WayTimer<String, Way> timer = unlimited(runs::clock);
        Way wrote = timer.run(() -> "a", ALL, runs);
        assertThat(wrote).isEqualTo(Way.STOCK).isEqualTo(runs.last());
        assertThat(runs.completed).doesNotContain(Way.FAST);
        assertThat(timer.chosen("a")).contains(Way.STOCK);
    }

    /** The last candidate fails on its second run, after the others: the chosen way writes the results. */
    @Test
    void whenTheLastRunFailsTheChosenWayWritesTheResults() {
        Runs runs = standard().failing(Way.SLOW, 5);
        WayTimer<String, Way> timer = unlimited(runs::clock);
        Way wrote = timer.run(() -> "a", ALL, runs);
        assertThat(timer.chosen("a")).contains(Way.FAST);
        assertThat(wrote).isEqualTo(Way.FAST).isEqualTo(runs.last());
        assertThat(runs.completed).hasSize(6);
    }

    @Test
    void theStockWaysFailureIsTheCallersAndTheKeyIsTimedAgain() {
        Runs runs = standard().failing(Way.STOCK, 0);
        WayTimer<String, Way> timer = unlimited(runs::clock);
        assertThatThrownBy(() -> timer.run(() -> "a", ALL, runs)).hasMessage("STOCK failed");
        assertThat(timer.chosen("a")).as("no choice made").isEmpty();
        int readsBefore = runs.reads.get();
        timer.run(() -> "a", ALL, runs);
        assertThat(runs.reads.get() - readsBefore).as("timed again").isEqualTo(2 * WayTimer.ROUNDS * ALL.size());
        assertThat(timer.chosen("a")).contains(Way.FAST);
    }

    @Test
    void theStockWaysLaterFailureLeavesTheKeyToTheFastestThatRan() {
        Runs runs = new Runs().taking(Way.STOCK, 100).taking(Way.FAST, 20).taking(Way.SLOW, 50).failing(Way.STOCK, 3);
        WayTimer<String, Way> timer = unlimited(runs::clock);
        assertThatThrownBy(() -> timer.run(() -> "a", ALL, runs)).hasMessage("STOCK failed");
        assertThat(timer.chosen("a")).contains(Way.FAST);
        assertThat(timer.run(() -> "a", ALL, runs)).isEqualTo(Way.FAST);
    }

    /** Two threads reach a new key: one times it, the other waits for its choice and then takes that way. */
    @Test
    void aSecondThreadWaitsForTheFirstOnesTiming() throws Exception {
        CountDownLatch timingStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> timer = new AtomicReference<>();
        List<Thread> runners = Collections.synchronizedList(new ArrayList<>());
        Consumer<Way> ways = way -> {
            runners.add(Thread.currentThread());
            if (timer.compareAndSet(null, Thread.currentThread())) {
                timingStarted.countDown();
                await(release);
            }
        };
        AtomicInteger reads = new AtomicInteger();
        WayTimer<String, Way> choice = unlimited(() -> reads.incrementAndGet() * 1000L);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Way> timing = threads.submit(() -> choice.run(() -> "a", ALL, ways));
            assertThat(timingStarted.await(30, TimeUnit.SECONDS)).as("the timing started").isTrue();
            AtomicReference<Thread> waiter = new AtomicReference<>();
            Future<Way> waiting = threads.submit(() -> {
                waiter.set(Thread.currentThread());
                return choice.run(() -> "a", ALL, ways);
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((waiter.get() == null || waiter.get().getState() != Thread.State.WAITING)
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(waiter.get()).as("the second thread started").isNotNull();
            assertThat(waiter.get().getState()).as("the second thread waits").isEqualTo(Thread.State.WAITING);
            assertThat(runners).as("the second thread ran no way").doesNotContain(waiter.get());
            release.countDown();
            timing.get(60, TimeUnit.SECONDS);
            Way taken = waiting.get(60, TimeUnit.SECONDS);
            assertThat(choice.chosen("a")).contains(taken);
            assertThat(reads).as("one timing").hasValue(2 * WayTimer.ROUNDS * ALL.size());
            assertThat(runners.stream().filter(thread -> thread == waiter.get())).hasSize(1);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
