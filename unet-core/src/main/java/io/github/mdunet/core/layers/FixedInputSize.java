package io.github.mdunet.core.layers;

/**
 * A layer built for one input height and width (a resize whose interpolation is fixed when the graph is built): a
 * graph holding one takes only the size it was built for, which {@code UNet.predict} checks before running it.
 */
public interface FixedInputSize {
}
