package io.github.mdunet.core.layers.direct;

import io.github.mdunet.core.memoryuse.PeakMemorySampler;
import java.time.Duration;
import java.util.function.LongSupplier;

/** Measures one timed run of a way for {@link WayTimer}: how long it took and how much memory it took. */
@FunctionalInterface
interface WayMeter {

    /** How often {@link #clockAndResidentMemory} samples the resident memory during a run. */
    Duration SAMPLING_INTERVAL = Duration.ofMillis(1);

    /**
     * What one run cost.
     *
     * @param nanos        its duration
     * @param workingBytes the most resident memory it held beyond what the process held when it began; 0 when not
     *                     measured
     */
    record Cost(long nanos, long workingBytes) {
    }

    /** Runs {@code run} once and says what it cost; what {@code run} throws is thrown. */
    Cost measure(Runnable run);

    /** Durations on {@code clock} (nanoseconds); memory not measured. */
    static WayMeter clock(LongSupplier clock) {
        return run -> {
            long start = clock.getAsLong();
            run.run();
            return new Cost(clock.getAsLong() - start, 0);
        };
    }

    /**
     * Durations on {@code clock} (nanoseconds), and the resident memory ({@link PeakMemorySampler}) every
     * {@link #SAMPLING_INTERVAL} by a thread that runs while the way does.
     */
    static WayMeter clockAndResidentMemory(LongSupplier clock) {
        return run -> {
            try (PeakMemorySampler sampler = new PeakMemorySampler(SAMPLING_INTERVAL)) {
                long start = clock.getAsLong();
                run.run();
                long nanos = clock.getAsLong() - start;
                return new Cost(nanos, Math.max(0, sampler.peakSinceLast() - sampler.baseline()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the memory sampler", e);
            }
        };
    }
}
