package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.nativememory.MemoryRequirementEstimator;
import io.github.mdunet.core.nativememory.NativeOutOfMemoryError;
import io.github.mdunet.core.nativememory.Workload;
import java.util.OptionalLong;

/**
 * Lends {@link MemoryEstimator} to unet-core (which cannot depend on this module): registered with
 * {@link java.util.ServiceLoader}, so that a {@link NativeOutOfMemoryError} quotes what the configuration needs
 * whenever unet-tuning is on the classpath. Training steps get {@link MemoryEstimate#total()}, validation and
 * prediction {@link MemoryEstimate#inference()}, both at the workload's batch size and input shape. Nothing for a data
 * type the estimate is not backed by measurements for (DOUBLE, measured 1.7x its estimate): the error then quotes no
 * figure rather than a low one.
 */
public final class MemoryEstimatorProvider implements MemoryRequirementEstimator {

    private final MemoryEstimator estimator = new MemoryEstimator();

    @Override
    public OptionalLong estimateBytes(Workload workload) {
        if (workload.batchSize() < 1 || !MemoryEstimator.budgetCheckable(workload.config().dataType())) {
            return OptionalLong.empty();
        }
        UNetConfig config = workload.input().equals(workload.config().input())
                ? workload.config() : workload.config().withInput(workload.input());
        MemoryEstimate estimate = estimator.estimate(config, workload.batchSize());
        return OptionalLong.of(workload.phase().trains() ? estimate.total() : estimate.inference());
    }

    @Override
    public String name() {
        return "estimate of unet-tuning's MemoryEstimator";
    }
}
