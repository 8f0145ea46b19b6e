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
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks one of an operation's ways per key by timing, as PyTorch's {@code cudnn.benchmark} picks cuDNN's algorithms:
 * the first call for a key with more than one candidate runs every candidate {@value #ROUNDS} times in turn (each run
 * does the operation's whole work, writing its results), keeps the one with the shortest run for that key in this JVM
 * and, unless it ran last, runs it once more. While one thread times a key, the others that reach the same key wait
 * for its choice. A candidate that fails is logged and left out; the first candidate is the stock way, whose failure
 * is the caller's (the key is then timed afresh on a later call unless another candidate ran to the end).
 *
 * @param <K> what identifies a timed shape (equal keys, one choice)
 * @param <W> the ways
 */
final class WayTimer<K, W extends Enum<W>> {

    /** Runs per candidate when a key is timed; the shortest counts (the first may pay for first-touch faults). */
    static final int ROUNDS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(WayTimer.class);

    private final Class<W> ways;
    private final LongSupplier clock;
    private final Map<K, CompletableFuture<W>> choices = new ConcurrentHashMap<>();

    /** A timer of {@code ways} that reads {@code clock} (nanoseconds). */
    WayTimer(Class<W> ways, LongSupplier clock) {
        this.ways = ways;
        this.clock = clock;
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
        Set<W> failed = EnumSet.noneOf(ways);
        W wroteLast = null;
        for (int round = 0; round < ROUNDS; round++) {
            for (W candidate : candidates) {
                if (failed.contains(candidate)) {
                    continue;
                }
                long start = clock.getAsLong();
                try {
                    run.accept(candidate);
                } catch (RuntimeException failure) {
                    failed.add(candidate);
                    shortest.remove(candidate);
                    wroteLast = null;
                    if (candidate == candidates.get(0)) {
                        fastest(shortest).ifPresent(choice::complete);
                        throw failure;
                    }
                    LOG.warn("The way {} failed on {} and is left out", candidate, key, failure);
                    continue;
                }
                shortest.merge(candidate, clock.getAsLong() - start, Math::min);
                wroteLast = candidate;
            }
        }
        W fastest = fastest(shortest).orElseThrow();
        choice.complete(fastest);
        if (wroteLast != fastest) {
            run.accept(fastest);
        }
        return fastest;
    }

    private Optional<W> fastest(Map<W, Long> shortest) {
        return shortest.entrySet().stream().min(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
    }

    /** The way chosen for {@code key}, once it has been timed. */
    Optional<W> chosen(K key) {
        CompletableFuture<W> choice = choices.get(key);
        return choice == null || !choice.isDone() ? Optional.empty() : Optional.of(choice.join());
    }
}
