package io.github.mdunet.core.memoryuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** The sampler's whole-run peak and its peak since the last call, on a native block written and freed. */
class PeakMemorySamplerTest {

    private static final long BLOCK_BYTES = 64L << 20;

    @Test
    void eachCallGivesThePeakSinceTheLastWhileThePeakKeepsTheLargest() throws InterruptedException {
        try (PeakMemorySampler sampler = new PeakMemorySampler(Duration.ofMillis(1))) {
            long before = Pointer.physicalBytes();
            BytePointer block = new BytePointer(BLOCK_BYTES);
            block.fill(1); // resident only once written
            long withBlock = sampler.peakSinceLast();
            block.deallocate();
            long overTheFree = sampler.peakSinceLast(); // the level at the last call counts: the block's

            long afterFree = sampler.peakSinceLast();

            assertThat(withBlock).isGreaterThanOrEqualTo(before + BLOCK_BYTES * 9 / 10);
            assertThat(overTheFree).isGreaterThanOrEqualTo(withBlock - BLOCK_BYTES / 10);
            assertThat(afterFree).isLessThan(withBlock - BLOCK_BYTES / 2);
            assertThat(sampler.peak()).isGreaterThanOrEqualTo(withBlock);
        }
    }
}
