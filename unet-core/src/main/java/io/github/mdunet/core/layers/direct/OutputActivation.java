package io.github.mdunet.core.layers.direct;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An activation that a direct layer applies in place on its output and differentiates from that output alone, so
 * the pre-activation array need not be kept: identity, ReLU, and leaky ReLU with a positive slope (each keeps the
 * sign of its input, so {@code y > 0} exactly where the pre-activation is). Computed by the same libnd4j ops as DL4J's
 * {@code ActivationReLU} and {@code ActivationLReLU}, except ReLU's gradient on contiguous arrays
 * ({@link #reluBackprop}: the same values by two faster element-wise ops).
 *
 * @param kind  which function
 * @param alpha leaky ReLU's slope for negative inputs, 0 for the others
 */
record OutputActivation(Kind kind, double alpha) {

    enum Kind { IDENTITY, RELU, LEAKY_RELU }

    /** What {@link #of} accepts, for messages. */
    static final String SUPPORTED = "identity, relu (ActivationReLU without max, threshold or slope) or leakyrelu"
            + " with alpha > 0";

    /**
     * @throws IllegalArgumentException naming {@code owner} and the activation when it is not one of {@link #SUPPORTED}
     */
    static OutputActivation of(IActivation activation, String owner) {
        if (activation instanceof ActivationIdentity) {
            return new OutputActivation(Kind.IDENTITY, 0);
        }
        if (activation instanceof ActivationReLU relu && relu.getMax() == null
                && (relu.getThreshold() == null || relu.getThreshold() == 0.0)
                && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0.0)) {
            return new OutputActivation(Kind.RELU, 0);
        }
        if (activation instanceof ActivationLReLU leaky && leaky.getAlpha() > 0) {
            return new OutputActivation(Kind.LEAKY_RELU, leaky.getAlpha());
        }
        throw new IllegalArgumentException(owner + ": activation must be " + SUPPORTED + " but was " + activation);
    }

    static boolean isSupported(IActivation activation) {
        try {
            of(activation, "");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Applies the function to {@code values} in place; returns {@code values}. */
    INDArray applyInPlace(INDArray values) {
        return switch (kind) {
            case IDENTITY -> values;
            case RELU -> Nd4j.getExecutioner().exec(new RectifiedLinear(values, values));
            case LEAKY_RELU -> Nd4j.getExecutioner().exec(new LeakyReLU(values, alpha));
        };
    }

    /**
     * {@code dL/dPreActivation} from the activation's output and {@code dL/dOutput}, written to {@code target}
     * (returns {@code epsilon} itself for the identity).
     */
    INDArray backprop(INDArray output, INDArray epsilon, INDArray target) {
        return switch (kind) {
            case IDENTITY -> epsilon;
            case RELU -> reluBackprop(output, epsilon, target);
            case LEAKY_RELU -> Nd4j.exec(new LeakyReLUBp(output, epsilon, target, alpha))[0];
        };
    }

    /**
     * {@code dL/dPreActivation} written over {@code output} itself, for a caller that no longer needs it (the output
     * of its own forward pass, or a copy): for ReLU {@code output = step(output) * epsilon}, two element-wise passes
     * and no array besides the two, where {@link #backprop} into a third array of a view or into {@code epsilon}
     * takes libnd4j's slower {@code relu_bp}. Returns {@code output}.
     */
    INDArray backpropOverOutput(INDArray output, INDArray epsilon) {
        return switch (kind) {
            case IDENTITY -> output.assign(epsilon);
            case RELU -> stepTimes(output, epsilon, output);
            case LEAKY_RELU -> Nd4j.exec(new LeakyReLUBp(output, epsilon, output, alpha))[0];
        };
    }

    /**
     * ReLU's gradient as {@code step(output) * epsilon}, two element-wise passes that run 2x to 4x faster than
     * libnd4j's {@code relu_bp} when the three arrays are contiguous; {@code relu_bp} on views (on a channel range,
     * as a decoder join's inputs, the two passes are slower than it) and when {@code target} is {@code epsilon} (the
     * product would overwrite it). The same values, also at {@code output == 0} and for a NaN output (0 both ways);
     * only an infinite or NaN {@code epsilon} where the unit is off gives NaN, where {@code relu_bp} gives 0.
     */
    static INDArray reluBackprop(INDArray output, INDArray epsilon, INDArray target) {
        if (target != epsilon && target.data() != epsilon.data() && isContiguous(output) && isContiguous(epsilon)
                && isContiguous(target)) {
            return stepTimes(output, epsilon, target);
        }
        return Nd4j.exec(new RectifiedLinearDerivative(output, epsilon, target))[0];
    }

    private static INDArray stepTimes(INDArray output, INDArray epsilon, INDArray target) {
        Nd4j.getExecutioner().exec(new Step(output, target));
        return target.muli(epsilon);
    }

    private static boolean isContiguous(INDArray array) {
        return array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array);
    }

    boolean isIdentity() {
        return kind == Kind.IDENTITY;
    }
}
