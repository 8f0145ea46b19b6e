package io.github.mdunet.core.layers;

import java.util.Map;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The running statistics of DL4J's {@code BatchNormalization}, which stores a variance or a log10 std. */
public final class BatchNormParams {

    private BatchNormParams() {
    }

    /**
     * The running variance in a batch-norm layer's parameter table: its {@code var}, or {@code (10^log10std)^2} when
     * it stores {@code log10std} ({@code useLogStd}, DL4J's default); a new array, shaped as the stored one.
     */
    public static INDArray runningVariance(Map<String, INDArray> params) {
        INDArray variance = params.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
        return variance != null ? variance.dup()
                : varianceOfLog10Std(params.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
    }

    /**
     * {@code log10(sqrt(variance)) = 0.5 log10(variance)}, as DL4J's {@code BatchNormalization} stores a variance with
     * {@code useLogStd} (its {@code eps} is added where it normalises, not here); a new array.
     */
    public static INDArray log10StdOfVariance(INDArray variance) {
        return Transforms.log(variance, 10.0, true).muli(0.5);
    }

    /** {@code (10^log10Std)^2 = 10^(2 log10Std)}, a new array. */
    public static INDArray varianceOfLog10Std(INDArray log10Std) {
        return Transforms.pow(Nd4j.valueArrayOf(log10Std.shape(), 10.0, log10Std.dataType()), log10Std.mul(2), false);
    }
}
