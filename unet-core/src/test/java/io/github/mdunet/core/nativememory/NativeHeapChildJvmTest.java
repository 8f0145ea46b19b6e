package io.github.mdunet.core.nativememory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mdunet.runtime.process.ChildJvm;
import io.github.mdunet.runtime.testing.TestJvm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * glibc's settings are per process and fixed by its first allocations' history, so each policy runs in a fresh JVM:
 * after 240 MiB of 6 MiB blocks are freed behind a small live block, the lean policy gives the memory back and
 * glibc's own settings keep it (its threshold rose to 6 MiB with the first block freed). Linux with glibc only.
 */
class NativeHeapChildJvmTest {

    private static final long FREED = NativeHeapProbe.BLOCKS * NativeHeapProbe.BLOCK_BYTES;

    @Test
    void theLeanPolicyReturnsLargeFreedBlocksAndGlibcsOwnSettingsKeepThem() throws Exception {
        String lean = run("lean");
        assumeTrue(lean.contains("APPLIED true"), "glibc's mallopt is not available here: " + lean);

        assertThat(retained(lean)).as("resident bytes kept by the lean policy").isLessThan(FREED / 10);
        assertThat(retained(run("glibc"))).as("resident bytes kept by glibc's settings").isGreaterThan(FREED / 2);
    }

    private static long retained(String output) {
        return output.lines().filter(l -> l.startsWith("RETAINED ")).findFirst()
                .map(l -> Long.parseLong(l.substring("RETAINED ".length())))
                .orElseThrow(() -> new AssertionError("no RETAINED line in:\n" + output));
    }

    private static String run(String policy) throws Exception {
        return TestJvm.run(new ChildJvm("the " + policy + " policy", List.of("-Xmx64m", "-D" + NativeHeap.PROPERTY
                + "=" + policy), NativeHeapProbe.class, List.of(), Duration.ofMinutes(1))
                .withClasspath(TestJvm.testClasspath()));
    }
}
