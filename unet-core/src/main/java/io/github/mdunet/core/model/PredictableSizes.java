package io.github.mdunet.core.model;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.decoder.ChannelPlan;
import io.github.mdunet.core.decoder.DecoderStage;
import io.github.mdunet.core.layers.FixedInputSize;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The image sizes a U-Net's graph can predict, read from what the graph holds. A bilinear resize layer (upsampling
 * {@code Bilinear} or {@code BilinearConv}, or the resize of each upsampled map to its skip's size when the input is
 * not a multiple of the encoder's total stride) resizes to sizes fixed for the configured input, so such a graph takes
 * that height and width only. Without one (pixel shuffle or transposed convolution at a multiple of the total stride)
 * every block is convolutional, and any height and width that are multiples of the total stride pass through with the
 * maps and their skips of one size: the output is that of the same weights in a U-Net built at that size.
 *
 * @param input       the configured input
 * @param fixed       whether the graph holds a bilinear resize layer
 * @param totalStride the encoder's total stride: the product of the decoder's upsampling factors
 */
record PredictableSizes(ImageShape input, boolean fixed, int totalStride) {

    static PredictableSizes of(ImageShape input, ChannelPlan plan, ComputationGraph graph) {
        int stride = plan.stages().stream().mapToInt(DecoderStage::upFactor)
                .reduce(plan.finalUpsampleFactor(), (a, b) -> a * b);
        return new PredictableSizes(input, holdsResizeLayer(graph), stride);
    }

    private static boolean holdsResizeLayer(ComputationGraph graph) {
        for (GraphVertex vertex : graph.getConfiguration().getVertices().values()) {
            if (vertex instanceof LayerVertex layer && isFixedSize(layer.getLayerConf().getLayer())) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code layer} takes only the size it was built for (a resize), also when transfer learning froze it. */
    private static boolean isFixedSize(Layer layer) {
        if (layer instanceof FrozenLayer frozen) {
            return isFixedSize(frozen.getLayer());
        }
        if (layer instanceof BaseWrapperLayer wrapper) {
            return isFixedSize(wrapper.getUnderlying());
        }
        return layer instanceof FixedInputSize;
    }

    /**
     * Refuses {@code images} {@code [N, C, H, W]} of a height and width the graph cannot take, naming {@code caller},
     * both sizes and the fixes; other ranks are left to DL4J.
     */
    void require(String caller, INDArray images) {
        if (images.rank() != 4) {
            return;
        }
        long height = images.size(2);
        long width = images.size(3);
        if (height == input.height() && width == input.width()) {
            return;
        }
        String asked = caller + " got images of " + height + "x" + width + " but this U-Net is built for "
                + input.height() + "x" + input.width();
        String rebuild = "build the U-Net at the images' size (UNet.build(config.withInput(new ImageShape("
                + images.size(1) + ", " + height + ", " + width + "))), then graph().setParams(...) with these"
                + " weights)";
        if (fixed) {
            throw new IllegalArgumentException(asked + ", and its graph takes no other size: its bilinear resize"
                    + " layers (a bilinear upsampling, or an input that is no multiple of the encoder's total stride "
                    + totalStride + ") are fixed to the sizes of that input. Use"
                    + " unet.tiledPredictor(overlap) (tiles of the input size), or " + rebuild);
        }
        if (height % totalStride != 0 || width % totalStride != 0) {
            throw new IllegalArgumentException(asked + ", and takes other sizes only when both sides are multiples"
                    + " of its encoder's total stride " + totalStride + " (e.g. " + roundUp(height) + "x"
                    + roundUp(width) + "). Pad or crop the images to such a size, use unet.tiledPredictor(overlap)"
                    + " (tiles of the input size), or " + rebuild);
        }
    }

    private long roundUp(long side) {
        return (side + totalStride - 1) / totalStride * totalStride;
    }
}
