package io.github.mdunet.core.nativememory;

import static io.github.mdunet.core.memoryuse.ByteSize.GIB;
import static io.github.mdunet.core.memoryuse.ByteSize.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.nativememory.NativeMemoryErrors.Estimate;
import io.github.mdunet.core.nativememory.NativeMemoryErrors.MemoryState;
import io.github.mdunet.core.nativememory.NativeOutOfMemoryError.Limit;
import io.github.mdunet.core.nativememory.Workload.Phase;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Recognising JavaCPP's errors by their messages (as JavaCPP 1.5.7 words them, see {@code PointerPointer(long)} and
 * {@code Pointer.deallocator}) and the message built from them. The real thing, in a child JVM with a small heap,
 * is in {@link NativeMemoryLimitsChildJvmTest}.
 */
class NativeMemoryErrorsTest {

    private static final OutOfMemoryError PHYSICAL = javaCppError("PointerPointer(1)", "8223M", new OutOfMemoryError(
            "Physical memory usage is too high: physicalBytes (8223M) > maxPhysicalBytes (8192M)"));
    private static final UNetConfig CONFIG = UNetConfig.builder()
            .encoder(new ClassicEncoder(3, 8, Normalization.BATCH))
            .input(new ImageShape(3, 512, 512))
            .numClasses(2)
            .build();
    private static final Workload STEP = new Workload(Phase.TRAINING_STEP, CONFIG, 8, CONFIG.input());
    /** -Xmx2g with JavaCPP's defaults on a 24 GiB machine, as in the issue. */
    private static final MemoryState DEFAULTS = new MemoryState(2 * GIB, 8 * GIB, 8200 * MIB, 2 * GIB, 24 * GIB);

    @Test
    void recognisesThePhysicalLimitAndTheResidentMemoryJavaCppReported() {
        assertThat(JavaCppMemoryFailure.of(PHYSICAL))
                .contains(new JavaCppMemoryFailure(Limit.MAX_PHYSICAL_BYTES, 8223 * MIB));
    }

    @Test
    void recognisesItInsideAnotherException() {
        assertThat(JavaCppMemoryFailure.of(new RuntimeException("op failed", PHYSICAL)))
                .map(JavaCppMemoryFailure::limit).contains(Limit.MAX_PHYSICAL_BYTES);
    }

    @Test
    void recognisesTheTrackedBytesLimit() {
        OutOfMemoryError error = javaCppError("LongPointer(4)", "900M", new OutOfMemoryError(
                "Failed to allocate memory within limits: totalBytes (2G + 32) > maxBytes (2G)"));

        assertThat(JavaCppMemoryFailure.of(error)).contains(new JavaCppMemoryFailure(Limit.MAX_BYTES, 900 * MIB));
    }

    @Test
    void anAllocationFailureWithoutALimitIsTheMachines() {
        OutOfMemoryError error = javaCppError("BytePointer(1073741824)", "20G",
                new OutOfMemoryError("Native allocator returned address == 0"));

        assertThat(JavaCppMemoryFailure.of(error)).contains(new JavaCppMemoryFailure(Limit.MACHINE, 20 * GIB));
    }

    @Test
    void javaHeapErrorsAreNotJavaCpps() {
        assertThat(JavaCppMemoryFailure.of(new OutOfMemoryError("Java heap space"))).isEmpty();
        assertThat(JavaCppMemoryFailure.of(new OutOfMemoryError())).isEmpty();
        assertThat(JavaCppMemoryFailure.of(new IllegalStateException("Physical memory usage is too high: "
                + "physicalBytes (1G) > maxPhysicalBytes (1G)"))).as("only OutOfMemoryErrors").isEmpty();
    }

    @Test
    void throwIfOutOfNativeMemoryLeavesOtherErrorsToTheCaller() {
        assertThatCode(() -> NativeMemoryErrors.throwIfOutOfNativeMemory(new OutOfMemoryError("Java heap space"), STEP))
                .doesNotThrowAnyException();
        assertThatCode(() -> NativeMemoryErrors.throwIfOutOfNativeMemory(new IllegalArgumentException("x"), STEP))
                .doesNotThrowAnyException();
        NativeOutOfMemoryError explained = explain(PHYSICAL, DEFAULTS, Optional.empty());
        assertThatCode(() -> NativeMemoryErrors.throwIfOutOfNativeMemory(explained, STEP))
                .as("explained once is enough").doesNotThrowAnyException();
    }

    @Test
    void throwIfOutOfNativeMemoryExplainsJavaCppsErrorAndKeepsItAsTheCause() {
        assertThatThrownBy(() -> NativeMemoryErrors.throwIfOutOfNativeMemory(PHYSICAL, STEP))
                .isInstanceOf(NativeOutOfMemoryError.class)
                .hasCause(PHYSICAL)
                .hasMessageContaining("maxPhysicalBytes", "org.bytedeco.javacpp.maxphysicalbytes=");
    }

    @Test
    void physicalLimitMessageNamesLimitOriginResidentBatchAndFix() {
        NativeOutOfMemoryError error = explain(PHYSICAL, DEFAULTS, Optional.empty());

        assertThat(error.limit()).isEqualTo(Limit.MAX_PHYSICAL_BYTES);
        assertThat(error.limitBytes()).isEqualTo(8 * GIB);
        assertThat(error.residentBytes()).isEqualTo(8223 * MIB);
        assertThat(error.estimatedBytes()).isEmpty();
        assertThat(error.getMessage()).contains(
                "a training step (batch 8, input 3x512x512)",
                "resident memory (JVM heap included) reached 8.0 GiB",
                "maxPhysicalBytes = 8.0 GiB",
                "JavaCPP's default: 4 x the maximum heap, -Xmx 2.0 GiB",
                "MemoryEstimator",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=21g -Dorg.bytedeco.javacpp.maxbytes=0",
                "90% of this machine's 24.0 GiB",
                "NativeMemoryLimits.raiseForApplication()",
                "this project's apps do that on their own");
    }

    @Test
    void aLimitSetWithDashDIsSaidToBeSo() {
        MemoryState userSet = new MemoryState(0, 4 * GIB, 4100 * MIB, 2 * GIB, 24 * GIB);

        assertThat(explain(PHYSICAL, userSet, Optional.empty()).getMessage())
                .contains("maxPhysicalBytes = 4.0 GiB (set with -Dorg.bytedeco.javacpp.maxphysicalbytes)");
    }

    @Test
    void anEstimateIsQuotedWithItsSource() {
        NativeOutOfMemoryError error = explain(PHYSICAL, DEFAULTS,
                Optional.of(new Estimate(14 * GIB, "unet-tuning's MemoryEstimator")));

        assertThat(error.estimatedBytes()).hasValue(14 * GIB);
        assertThat(error.getMessage()).contains("needs about 14.0 GiB for training at batch 8 on top of the idle "
                + "process (unet-tuning's MemoryEstimator)").doesNotContain("lower the batch size or the input");
    }

    @Test
    void anEstimateBeyondTheMachineSaysToLowerTheBatch() {
        NativeOutOfMemoryError error = explain(PHYSICAL, DEFAULTS, Optional.of(new Estimate(30 * GIB, "estimator")));

        assertThat(error.getMessage()).contains("more than 21.6 GiB, 90% of this machine's memory: lower the batch");
    }

    @Test
    void aLimitAlreadyAtTheMachineShareOnlySuggestsLessWork() {
        MemoryState raised = new MemoryState(0, 24 * GIB / 100 * 90, 22 * GIB, 2 * GIB, 24 * GIB);

        assertThat(explain(PHYSICAL, raised, Optional.empty()).getMessage())
                .contains("Fix: lower the batch size", "the limit is already 21.6 GiB")
                .doesNotContain("-Dorg.bytedeco.javacpp.maxphysicalbytes=");
    }

    @Test
    void trackedBytesMessageNamesMaxBytes() {
        OutOfMemoryError tracked = javaCppError("LongPointer(4)", "900M", new OutOfMemoryError(
                "Failed to allocate memory within limits: totalBytes (2G + 32) > maxBytes (2G)"));
        NativeOutOfMemoryError error = explain(tracked, DEFAULTS, Optional.empty());

        assertThat(error.limit()).isEqualTo(Limit.MAX_BYTES);
        assertThat(error.getMessage()).contains("limit maxBytes = 2.0 GiB (JavaCPP's default: the maximum heap",
                "-Dorg.bytedeco.javacpp.maxbytes=0");
    }

    @Test
    void machineOutOfMemorySaysNoLimitWasHit() {
        OutOfMemoryError error = javaCppError("BytePointer(1073741824)", "20G",
                new OutOfMemoryError("Native allocator returned address == 0"));

        assertThat(explain(error, DEFAULTS, Optional.empty()).getMessage())
                .contains("JavaCPP's limits were not hit", "out of memory", "Fix: lower the batch size");
    }

    @Test
    void aFailingEstimatorCostsOnlyTheFigure() {
        MemoryRequirementEstimator broken = new MemoryRequirementEstimator() {
            @Override
            public OptionalLong estimateBytes(Workload workload) {
                throw new IllegalStateException("cannot plan");
            }

            @Override
            public String name() {
                return "broken";
            }
        };
        MemoryRequirementEstimator fixed = new MemoryRequirementEstimator() {
            @Override
            public OptionalLong estimateBytes(Workload workload) {
                return OptionalLong.of(GIB);
            }

            @Override
            public String name() {
                return "fixed";
            }
        };

        assertThat(NativeMemoryErrors.estimate(STEP, List.of(broken))).isEmpty();
        assertThat(NativeMemoryErrors.estimate(STEP, List.of(broken, fixed))).contains(new Estimate(GIB, "fixed"));
    }

    @Test
    void workloadReadsBatchAndShapeFromTheFeatures() {
        var features = org.nd4j.linalg.factory.Nd4j.zeros(5, 3, 40, 30);

        assertThat(Workload.of(Phase.PREDICTION, CONFIG, features))
                .isEqualTo(new Workload(Phase.PREDICTION, CONFIG, 5, new ImageShape(3, 40, 30)));
        assertThat(new Workload(Phase.VALIDATION, CONFIG, 0, CONFIG.input()).describe())
                .isEqualTo("validation (batch size unknown, input 3x512x512)");
    }

    private static NativeOutOfMemoryError explain(OutOfMemoryError error, MemoryState state,
                                                  Optional<Estimate> estimate) {
        return NativeMemoryErrors.explain(error, JavaCppMemoryFailure.of(error).orElseThrow(), STEP, state, estimate);
    }

    /** What JavaCPP's array pointers throw: their own message, with the limit's error as the cause. */
    private static OutOfMemoryError javaCppError(String pointer, String physicalBytes, OutOfMemoryError cause) {
        OutOfMemoryError error = new OutOfMemoryError("Cannot allocate new " + pointer + ": totalBytes = 256, "
                + "physicalBytes = " + physicalBytes);
        error.initCause(cause);
        return error;
    }
}
