package io.github.mdunet.core.layers.direct;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks one of an operation's ways per key by timing, as PyTorch's {@code cudnn.benchmark} picks cuDNN's algorithms:
 * the first call for a key with more than one candidate runs every candidate {@value #ROUNDS} times in turn (each run
 * does the operation's whole work, writing its results), keeps the one with the shortest run for that key in this JVM
 * and, unless it ran last, runs it once more. Under a working-memory limit (the {@link WayMeter} then measures each
 * run's memory too) it keeps the one with the shortest run among those whose runs stayed within the limit, or the one
 * that took the least memory when none did; a candidate over the limit is not run again. While one thread times a key,
 * the others that reach the same key wait for its choice. A candidate that fails is logged and left out; the first
 * candidate is the stock way, whose failure is the caller's (the key is then timed afresh on a later call unless
 * another candidate ran to the end).
 *
 * @param <K> what identifies a timed shape (equal keys, one choice)
 * @param <W> the ways
 */
final class WayTimer<K, W extends Enum<W>> {

    /** Runs per candidate when a key is timed; the shortest counts (the first may pay for first-touch faults). */
    static final int ROUNDS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(WayTimer.class);

    private final Class<W> ways;
    private final WayMeter meter;
    private final long workingMemoryLimit;
    private final Map<K, CompletableFuture<W>> choices = new ConcurrentHashMap<>();

    /**
     * A timer of {@code ways} that measures their runs with {@code meter} and keeps, per key, the fastest whose runs
     * took at most {@code workingMemoryLimit} bytes ({@link Long#MAX_VALUE} for no limit).
     */
    WayTimer(Class<W> ways, WayMeter meter, long workingMemoryLimit) {
        this.ways = ways;
        this.meter = meter;
        this.workingMemoryLimit = workingMemoryLimit;
    }

    /**
     * Runs {@code run} with the way chosen for the key {@code keyOf} makes (only when there is more than one candidate)
     * among {@code candidates} (the stock way first), choosing it first if no thread has; the timing call ends with a
     * run of the chosen way, so that every call's results are the chosen way's (the ways agree only up to rounding).
     *
     * @return the way chosen, whose run wrote the results
     */
    W run(Supplier<K> keyOf, List<W> candidates, Consumer<W> run) {
        W stock = candidates.get(0);
        if (candidates.size() == 1) {
            run.accept(stock);
            return stock;
        }
        K key = keyOf.get();
        CompletableFuture<W> mine = new CompletableFuture<>();
        CompletableFuture<W> theirs = choices.putIfAbsent(key, mine);
        if (theirs != null) {
            W way = theirs.join();
            run.accept(way);
            return way;
        }
        try {
            return time(key, candidates, run, mine);
        } finally {
            if (!mine.isDone()) {
                // the stock way failed before any other ran to the end: no choice, time the key again next call
                choices.remove(key, mine);
                mine.complete(stock);
            }
        }
    }

    private W time(K key, List<W> candidates, Consumer<W> run, CompletableFuture<W> choice) {
        Map<W, Long> shortest = new EnumMap<>(ways);
        Map<W, Long> mostMemory = new EnumMap<>(ways);
        Set<W> failed = EnumSet.noneOf(ways);
        W wroteLast = null;
        for (int round = 0; round < ROUNDS; round++) {
            for (W candidate : candidates) {
                if (failed.contains(candidate) || mostMemory.getOrDefault(candidate, 0L) > workingMemoryLimit) {
                    continue;
                }
                WayMeter.Cost cost;
                try {
                    cost = meter.measure(() -> run.accept(candidate));
                } catch (RuntimeException failure) {
                    failed.add(candidate);
                    shortest.remove(candidate);
                    mostMemory.remove(candidate);
                    wroteLast = null;
                    if (candidate == candidates.get(0)) {
                        choose(shortest, mostMemory).ifPresent(choice::complete);
                        throw failure;
                    }
                    LOG.warn("The way {} failed on {} and is left out", candidate, key, failure);
                    continue;
                }
                shortest.merge(candidate, cost.nanos(), Math::min);
                mostMemory.merge(candidate, cost.workingBytes(), Math::max);
                wroteLast = candidate;
            }
        }
        W chosen = choose(shortest, mostMemory).orElseThrow();
        if (workingMemoryLimit == Long.MAX_VALUE) {
            LOG.debug("{}: {} of {} (shortest run, ns: {})", key, chosen, candidates, shortest);
        } else {
            LOG.debug("{}: {} of {} (shortest run, ns: {}; most working memory, bytes: {})", key, chosen, candidates,
                    shortest, mostMemory);
        }
        choice.complete(chosen);
        if (wroteLast != chosen) {
            run.accept(chosen);
        }
        return chosen;
    }

    /**
     * The way with the shortest run among those within the limit, else the one that took the least memory; empty when
     * none ran to the end.
     */
    private Optional<W> choose(Map<W, Long> shortest, Map<W, Long> mostMemory) {
        Optional<W> fastestWithin = shortest.entrySet().stream()
                .filter(way -> mostMemory.get(way.getKey()) <= workingMemoryLimit)
                .min(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
        return fastestWithin.or(() -> mostMemory.entrySet().stream().min(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey));
    }

    /** The way chosen for {@code key}, once it has been timed. */
    Optional<W> chosen(K key) {
        CompletableFuture<W> choice = choices.get(key);
        return choice == null || !choice.isDone() ? Optional.empty() : Optional.of(choice.join());
    }
}
