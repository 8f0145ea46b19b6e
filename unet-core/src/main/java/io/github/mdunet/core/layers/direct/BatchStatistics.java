package io.github.mdunet.core.layers.direct;

import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training batch norm's statistics over an NCHW array: the batch's per-channel mean and biased variance
 * ({@code [C]}, kept outside any workspace from the forward pass to the backward pass), and the steps that move the
 * running statistics, as the layers that normalise here all move them.
 *
 * <p>The running statistics are parameters with a {@code NoOp} updater whose "gradient" is the step
 * {@code (1 - decay) * (running - batch)}. The running variance takes the batch's unbiased variance,
 * {@code n / (n - 1)} times the biased one that normalises, for the {@code n} = batch x height x width values of a
 * channel, as PyTorch's batch norm (and the batch-norm paper's inference statistics) do; DL4J's
 * {@code BatchNormalization} takes the biased one. At {@code n = 1} the running variance does not move (PyTorch
 * refuses such a batch in training; here it may be the last, one-image batch of an epoch at a 1 x 1 map).
 */
final class BatchStatistics {

    /**
     * Whether {@code paramName} is a running statistic ({@code mean}, {@code var}: DL4J's batch-norm keys), moved by
     * {@link #runningSteps}, never by the optimiser.
     */
    static boolean isRunningStatistic(String paramName) {
        return BatchNormalizationParamInitializer.GLOBAL_MEAN.equals(paramName)
                || BatchNormalizationParamInitializer.GLOBAL_VAR.equals(paramName);
    }

    private INDArray mean;
    private INDArray variance;

    /** Measures {@code input}'s per-channel mean and biased variance. */
    void measure(INDArray input) {
        long channels = input.size(1);
        DataType type = input.dataType();
        if (mean == null || mean.length() != channels || mean.dataType() != type) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                mean = Nd4j.create(type, channels);
                variance = Nd4j.create(type, channels);
            }
        }
        NativeOps.moments(input, mean, variance);
    }

    /** The last measured batch's per-channel mean. */
    INDArray mean() {
        return mean;
    }

    /** The last measured batch's per-channel biased variance. */
    INDArray variance() {
        return variance;
    }

    /**
     * Writes the running statistics' steps after the measured batch of {@code valuesPerChannel} values per channel
     * into {@code meanStep} and {@code varianceStep}.
     */
    void runningSteps(INDArray runningMean, INDArray runningVariance, double decay, long valuesPerChannel,
                      INDArray meanStep, INDArray varianceStep) {
        double rate = 1 - decay;
        meanStep.assign(runningMean).subi(mean).muli(rate);
        if (valuesPerChannel > 1) {
            varianceStep.assign(variance).muli(-(double) valuesPerChannel / (valuesPerChannel - 1))
                    .addi(runningVariance).muli(rate);
        } else {
            // one value per channel (a last batch of one image at a 1 x 1 map) has no variance to learn from
            varianceStep.assign(0);
        }
    }
}
