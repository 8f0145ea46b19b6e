package io.github.mdunet.tuning.memory;

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

    private void sample() {
        peak.accumulateAndGet(Pointer.physicalBytes(), Math::max);
    }

    /** The resident bytes when sampling started. */
    public long baseline() {
        return baseline;
    }

    /** The largest resident bytes sampled so far. */
    public long peak() {
        return peak.get();
    }

    /** Takes a last sample and stops the thread. */
    @Override
    public void close() throws InterruptedException {
        sample();
        thread.interrupt();
        thread.join();
    }
}
