package io.github.mdunet.core.loss;

import io.github.mdunet.core.encoder.ChannelOrder;
import io.github.mdunet.core.encoder.InputNormalization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Re-expresses images normalised one way ({@code from}) in another normalisation ({@code to}): per output channel
 * {@code y[c] = a[c] * x[source(c)] + b[c]}, where {@code source} maps colours between RGB and BGR orders. An affine
 * map, so its gradient is {@code dx[source(c)] += a[c] * dy[c]}. Tensor contract: {@code [N, C, H, W]} both ways.
 */
final class NormalizationChange {

    private final int channels;
    private final int[] source;
    private final double[] scale;
    private final double[] shift;

    NormalizationChange(InputNormalization from, InputNormalization to, int channels) {
        this.channels = channels;
        this.source = new int[channels];
        this.scale = new double[channels];
        this.shift = new double[channels];
        for (int c = 0; c < channels; c++) {
            int colour = colourOf(to, c, channels);
            int s = channelOf(from, colour, channels);
            source[c] = s;
            // raw = (x * std_from + mean_from) / scale_from; y = (raw * scale_to - mean_to) / std_to
            double ratio = to.scale() / from.scale() / to.stdOf(c);
            scale[c] = from.stdOf(s) * ratio;
            shift[c] = from.meanOf(s) * ratio - to.meanOf(c) / to.stdOf(c);
        }
    }

    /** RGB colour index (0 red, 1 green, 2 blue) of channel {@code c} in {@code normalization}'s order. */
    private static int colourOf(InputNormalization normalization, int c, int channels) {
        return channels == 3 && normalization.channelOrder() == ChannelOrder.BGR ? 2 - c : c;
    }

    /** The channel holding RGB colour {@code colour} in {@code normalization}'s order (the map is its own inverse). */
    private static int channelOf(InputNormalization normalization, int colour, int channels) {
        return colourOf(normalization, colour, channels);
    }

    /** {@code images} {@code [N, C, H, W]} in the target normalisation (a new array). */
    INDArray apply(INDArray images) {
        INDArray out = images.ulike();
        for (int c = 0; c < channels; c++) {
            out.get(channel(c)).assign(images.get(channel(source[c])).mul(scale[c]).addi(shift[c]));
        }
        return out;
    }

    /** The gradient with respect to the input, given {@code gradient} with respect to the output (a new array). */
    INDArray backprop(INDArray gradient) {
        INDArray out = gradient.ulike().assign(0);
        for (int c = 0; c < channels; c++) {
            out.get(channel(source[c])).addi(gradient.get(channel(c)).mul(scale[c]));
        }
        return out;
    }

    private static INDArrayIndex[] channel(int c) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all()};
    }
}
