package io.github.mdunet.core.nativememory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.memoryuse.ByteSize;
import io.github.mdunet.core.nativememory.NativeMemoryProbe.Scenario;
import io.github.mdunet.runtime.process.ChildJvm;
import io.github.mdunet.runtime.testing.TestJvm;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JavaCPP reads its limits once per JVM, so the real behaviour is checked in fresh JVMs with {@code -Xmx64m}, where
 * JavaCPP's default limit is 4 x 64 MiB = 256 MiB and a training step at batch {@value NativeMemoryProbe#LARGE_BATCH}
 * needs more: through the trainer it fails with the explained error and leaves the checkpoints alone; after
 * {@link NativeMemoryLimits#raiseForApplication()} the same step succeeds; values given with {@code -D} stay.
 * About 10 s per child JVM on a quiet 2-core machine.
 */
class NativeMemoryLimitsChildJvmTest {

    private static final String SMALL_HEAP = "-Xmx64m";
    private static final long DEFAULT_LIMIT = 4 * 64 * ByteSize.MIB;

    @Test
    void withJavaCppsDefaultsTheTrainerAndPredictExplainTheLimitAndTheFix() throws Exception {
        // One retry instead of ten (each a System.gc() and 100 ms) only makes the failure come sooner.
        String out = run(Scenario.TRAIN_WITH_JAVACPP_DEFAULTS, "-Dorg.bytedeco.javacpp.maxretries=1");

        assertThat(out).contains("LIMITS maxPhysicalBytes=" + DEFAULT_LIMIT + " maxBytes=" + 64 * ByteSize.MIB);
        assertThat(line(out, "TRAIN_ERROR")).contains(
                "MAX_PHYSICAL_BYTES " + DEFAULT_LIMIT,
                "in a training step (batch " + NativeMemoryProbe.LARGE_BATCH + ", input 1x64x64)",
                "over JavaCPP's limit maxPhysicalBytes = 256 MiB",
                "JavaCPP's default: 4 x the maximum heap, -Xmx 64 MiB",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=",
                "-Dorg.bytedeco.javacpp.maxbytes=0",
                "NativeMemoryLimits.raiseForApplication()");
        assertThat(line(out, "CHECKPOINTS_UNCHANGED")).startsWith("CHECKPOINTS_UNCHANGED true")
                .contains("last.zip", "best.zip", "training-state.json");
        assertThat(out).contains("the last good checkpoint is", "(epoch 1)");
        assertThat(line(out, "PREDICT_ERROR")).contains("MAX_PHYSICAL_BYTES",
                "in prediction (batch " + NativeMemoryProbe.PREDICTION_BATCH + ", input 1x64x64)",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=");
    }

    @Test
    void theSameStepTrainsWhenTheAppRaisedTheLimitsFirst() throws Exception {
        String out = run(Scenario.TRAIN_AFTER_RAISE);

        long expected = NativeMemoryLimits.applicationMaxPhysicalBytes(64 * ByteSize.MIB,
                NativeMemoryLimits.physicalMemory());
        assertThat(out).contains("LIMITS maxPhysicalBytes=" + expected + " maxBytes=0", "TRAINED")
                .contains("Native memory limits for this application: maxPhysicalBytes")
                .doesNotContain("TRAIN_ERROR", "ran after JavaCPP had read its limits");
    }

    @Test
    void valuesGivenWithDashDAreNeverOverridden() throws Exception {
        assertThat(run(Scenario.REPORT_LIMITS_AFTER_RAISE,
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=300m", "-Dorg.bytedeco.javacpp.maxBytes=100m"))
                .contains("LIMITS maxPhysicalBytes=" + 300 * ByteSize.MIB + " maxBytes=" + 100 * ByteSize.MIB)
                .contains("maxPhysicalBytes 300 MiB (set by the user, kept), maxBytes 100 MiB (set by the user, kept)");
        assertThat(run(Scenario.REPORT_LIMITS_AFTER_RAISE, "-Dorg.bytedeco.javacpp.maxPhysicalBytes=1g"))
                .as("the other one is still raised")
                .contains("LIMITS maxPhysicalBytes=" + ByteSize.GIB + " maxBytes=0");
    }

    private static String line(String output, String key) {
        return output.lines().filter(l -> l.startsWith(key + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + " line in:\n" + output));
    }

    private static String run(Scenario scenario, String... jvmFlags) throws IOException, InterruptedException {
        List<String> flags = new ArrayList<>();
        flags.add(SMALL_HEAP);
        flags.add("-Dorg.deeplearning4j.crash.reporting.enabled=false"); // no memory dump files in the module
        flags.addAll(List.of(jvmFlags));
        return TestJvm.run(new ChildJvm("scenario " + scenario, flags, NativeMemoryProbe.class,
                List.of(scenario.name()), Duration.ofMinutes(3)).withClasspath(TestJvm.testClasspath()));
    }
}
