package io.github.mdunet.core.nativememory;

import java.util.OptionalLong;

/**
 * Estimates how much memory a {@link Workload} needs, so that a {@link NativeOutOfMemoryError} can say it.
 * unet-core has no estimator of its own; a module that has one (unet-tuning's {@code MemoryEstimator}) registers
 * an implementation with {@link java.util.ServiceLoader}, in
 * {@code META-INF/services/io.github.mdunet.core.nativememory.MemoryRequirementEstimator}, and the estimate
 * appears in the message whenever that module is on the classpath.
 *
 * <p>Implementations need a public no-argument constructor and must be cheap and side-effect free: they run
 * after memory ran out.
 */
public interface MemoryRequirementEstimator {

    /**
     * The peak resident memory the workload adds on top of the idle process (JVM heap and native libraries
     * loaded), in bytes; empty when this estimator cannot tell.
     */
    OptionalLong estimateBytes(Workload workload);

    /** Who estimated, for the message, e.g. {@code unet-tuning's MemoryEstimator}. */
    String name();
}
