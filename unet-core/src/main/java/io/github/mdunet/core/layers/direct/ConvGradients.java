package io.github.mdunet.core.layers.direct;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a convolution's backward pass writes: {@code dL/dx} (the input's shape), {@code dL/dW} (the weights') and
 * {@code dL/db} (null when there is no bias). The arrays may be views of any layout.
 */
record ConvGradients(INDArray input, INDArray weights, INDArray bias) {
}
