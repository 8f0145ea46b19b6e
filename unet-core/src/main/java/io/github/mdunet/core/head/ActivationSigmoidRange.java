package io.github.mdunet.core.head;

import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * {@code f(x) = low + (high - low) * sigmoid(x)}, element-wise: fastai's {@code SigmoidRange} / {@code y_range}.
 * Any shape in, the same shape out, every value in {@code (low, high)}.
 */
public class ActivationSigmoidRange extends BaseActivationFunction {

    @JsonProperty
    private double low;
    @JsonProperty
    private double high;

    /** For Jackson; use {@link #ActivationSigmoidRange(double, double)}. */
    public ActivationSigmoidRange() {
        this(0, 1);
    }

    public ActivationSigmoidRange(double low, double high) {
        if (!(low < high)) {
            throw new IllegalArgumentException("ActivationSigmoidRange needs low < high but was low=" + low
                    + ", high=" + high);
        }
        this.low = low;
        this.high = high;
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return Transforms.sigmoid(in, false).muli(high - low).addi(low);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        INDArray sigmoid = Transforms.sigmoid(in, true);
        INDArray dLdIn = sigmoid.rsub(1.0).muli(sigmoid).muli(high - low).muli(epsilon);
        return new Pair<>(dLdIn, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActivationSigmoidRange other && other.low == low && other.high == high;
    }

    @Override
    public int hashCode() {
        return Objects.hash(low, high);
    }

    @Override
    public String toString() {
        return "sigmoidRange(" + low + ", " + high + ")";
    }
}
