package io.github.mdunet.core.layers.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;

/** The meters of a timed run: its duration on the clock given, and under a limit its resident working memory. */
class WayMeterTest {

    private static final long BLOCK_BYTES = 64L << 20;

    /**
     * A run that writes a native block of 64 MiB, holds it for some samples and frees it: its working memory is the
     * block's, its time the clock's. The meter reads the process's resident memory, which other threads (JavaCPP's
     * deallocator freeing earlier tests' arrays) can lower during a run: the best of up to five runs counts.
     */
    @Test
    void theResidentMeterTakesTheMemoryARunHeldAtItsPeak() {
        AtomicLong clock = new AtomicLong();
        WayMeter meter = WayMeter.clockAndResidentMemory(clock::get);
        long mostBytes = 0;
        for (int run = 0; run < 5 && mostBytes < BLOCK_BYTES * 9 / 10; run++) {
            WayMeter.Cost cost = meter.measure(() -> {
                BytePointer block = new BytePointer(BLOCK_BYTES);
                block.fill(1); // resident only once written
                sleep(50);
                clock.addAndGet(700);
                block.deallocate();
            });
            assertThat(cost.nanos()).isEqualTo(700);
            mostBytes = Math.max(mostBytes, cost.workingBytes());
        }
        assertThat(mostBytes).isGreaterThanOrEqualTo(BLOCK_BYTES * 9 / 10);

        WayMeter.Cost clockOnly = WayMeter.clock(clock::get).measure(() -> clock.addAndGet(30));
        assertThat(clockOnly).isEqualTo(new WayMeter.Cost(30, 0));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFailingRunsErrorIsThrown() {
        IllegalStateException failure = new IllegalStateException("the way failed");
        assertThatThrownBy(() -> WayMeter.clockAndResidentMemory(System::nanoTime).measure(() -> {
            throw failure;
        })).isSameAs(failure);
    }
}
