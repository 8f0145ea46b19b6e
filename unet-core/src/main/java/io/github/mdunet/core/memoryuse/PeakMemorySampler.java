package io.github.mdunet.core.memoryuse;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;

/**
 * The peak resident memory of this process from now on ({@code Pointer.physicalBytes()}, which counts ND4J's native
 * arrays), sampled by a daemon thread every {@code interval}; {@link #close()} takes a last sample and stops it.
 */
public final class PeakMemorySampler implements AutoCloseable {

    private final long baseline = Pointer.physicalBytes();
    private final AtomicLong peak = new AtomicLong(baseline);
    private final AtomicLong peakSinceLast = new AtomicLong(baseline);
    private final Thread thread;

    /** Starts sampling. */
    public PeakMemorySampler(Duration interval) {
        long millis = Math.max(1, interval.toMillis());
        thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sample();
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Records the resident bytes now and returns them. */
    private long sample() {
        long now = Pointer.physicalBytes();
        peak.accumulateAndGet(now, Math::max);
        peakSinceLast.accumulateAndGet(now, Math::max);
        return now;
    }

    /** The resident bytes when sampling started. */
    public long baseline() {
        return baseline;
    }

    /** The largest resident bytes sampled so far. */
    public long peak() {
        return peak.get();
    }

    /**
     * The largest resident bytes sampled since the last call (the level at that call included) or, on the first
     * call, since sampling started: one step's peak when called between steps.
     */
    public long peakSinceLast() {
        return peakSinceLast.getAndSet(sample());
    }

    /** Takes a last sample and stops the thread. */
    @Override
    public void close() throws InterruptedException {
        sample();
        thread.interrupt();
        thread.join();
    }
}
