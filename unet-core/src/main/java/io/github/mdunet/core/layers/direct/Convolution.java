package io.github.mdunet.core.layers.direct;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One convolution's operands: its input {@code [N, in, H, W]}, weights {@code [out, in, kH, kW]}, bias {@code [out]}
 * (null when it has none) and geometry; its output is {@code [N, out, outH, outW]} as the geometry gives.
 */
record Convolution(INDArray input, INDArray weights, INDArray bias, ConvGeometry geometry) {

    DataType dataType() {
        return weights.dataType();
    }

    long inputChannels() {
        return input.size(1);
    }

    long outputChannels() {
        return weights.size(0);
    }

    /** What {@link ConvForward#candidates} and {@link ConvBackprop#candidates} take of it. */
    long weightCount() {
        return weights.length();
    }

    /** Input, weights and geometry arguments, for messages. */
    String describe() {
        return "input " + Arrays.toString(input.shape()) + ", weights " + Arrays.toString(weights.shape())
                + ", arguments " + Arrays.toString(geometry.arguments()) + " in " + dataType();
    }
}
