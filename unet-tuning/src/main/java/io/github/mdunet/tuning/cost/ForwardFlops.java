package io.github.mdunet.tuning.cost;

import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.graph.UNetGraphFactory;
import io.github.mdunet.core.layers.SubPixelConvolution;
import io.github.mdunet.core.layers.direct.ConvNormActivation;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;

/**
 * The forward convolution work of one image, in FLOP (a multiply-add counts 2), from a graph configuration and its
 * input type alone: DL4J's convolution layers (plain, transposed, depthwise, separable), the sub-pixel
 * convolution's convolution and the fused blocks' ({@link ConvNormActivation}) convolutions. Element-wise work (batch
 * norm, activations, pooling, resizing, attention) is left out: it is small beside the convolutions and runs far below
 * peak speed, so "training GFLOP/s" measures the work that matters, counted as the usual convolution FLOP counters
 * count it. Training counts 3x the forward work (forward, and the gradients of inputs and of weights); both layer
 * paths of a U-Net do the same work.
 */
public final class ForwardFlops {

    /** Forward, input gradient and weight gradient: each the same multiply-adds as the forward convolution. */
    public static final int TRAINING_PASSES = 3;

    private ForwardFlops() {
    }

    /** The forward convolution FLOP of one image through the U-Net of {@code config}. */
    public static double perImage(UNetConfig config) {
        return perImage(UNetGraphFactory.create(config).configuration(), config.input().toInputType());
    }

    /** The forward convolution FLOP of one image of {@code input} through {@code graph} (single input). */
    public static double perImage(ComputationGraphConfiguration graph, InputType input) {
        Map<String, InputType> outputs = graph.getLayerActivationTypes(input);
        String networkInput = graph.getNetworkInputs().get(0);
        double flops = 0;
        for (Map.Entry<String, GraphVertex> vertex : graph.getVertices().entrySet()) {
            if (!(vertex.getValue() instanceof LayerVertex layerVertex)) {
                continue;
            }
            List<String> inputs = graph.getVertexInputs().get(vertex.getKey());
            InputType in = inputs.get(0).equals(networkInput) ? input : outputs.get(inputs.get(0));
            if (in instanceof InputType.InputTypeConvolutional inConv
                    && outputs.get(vertex.getKey()) instanceof InputType.InputTypeConvolutional outConv) {
                flops += ofLayer(layerVertex.getLayerConf().getLayer(), inConv, outConv);
            }
        }
        return flops;
    }

    private static double ofLayer(Layer layer, InputType.InputTypeConvolutional in,
                                  InputType.InputTypeConvolutional out) {
        if (layer instanceof SubPixelConvolution subPixel) {
            // a k x k convolution to C*r*r channels at the input's resolution, then a shuffle
            long channels = (long) subPixel.getOutputChannels() * subPixel.getUpscaleFactor()
                    * subPixel.getUpscaleFactor();
            return 2.0 * subPixel.getKernelSize() * subPixel.getKernelSize() * subPixel.getInputChannels() * channels
                    * in.getHeight() * in.getWidth();
        }
        if (layer instanceof ConvNormActivation block) {
            // the fused block's convolution, at the resolution before its pixel shuffle (r = 1 without); batch norm,
            // activation and shuffle are element-wise
            long r = block.getPixelShuffle();
            return 2.0 * block.getKernelSize()[0] * block.getKernelSize()[1] * block.getNIn() * block.getNOut()
                    * (out.getHeight() / r) * (out.getWidth() / r);
        }
        if (!(layer instanceof ConvolutionLayer conv)) {
            return 0;
        }
        double kernelArea = (double) conv.getKernelSize()[0] * conv.getKernelSize()[1];
        if (layer instanceof Deconvolution2D) {
            // every input pixel scatters a kernel-sized patch to every output channel
            return 2.0 * kernelArea * conv.getNIn() * conv.getNOut() * in.getHeight() * in.getWidth();
        }
        double outPixels = (double) out.getHeight() * out.getWidth();
        if (layer instanceof DepthwiseConvolution2D) {
            return 2.0 * kernelArea * out.getChannels() * outPixels;
        }
        if (layer instanceof SeparableConvolution2D separable) {
            long depthwiseChannels = separable.getNIn() * separable.getDepthMultiplier();
            return 2.0 * (kernelArea * depthwiseChannels + (double) depthwiseChannels * separable.getNOut())
                    * outPixels;
        }
        return 2.0 * kernelArea * conv.getNIn() * conv.getNOut() * outPixels;
    }
}
