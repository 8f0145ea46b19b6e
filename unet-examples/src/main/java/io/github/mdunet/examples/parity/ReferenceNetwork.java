package io.github.mdunet.examples.parity;

import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.layers.BilinearResize;
import io.github.mdunet.core.layers.SubPixelConvolution;
import io.github.mdunet.core.layers.direct.ConcatActivation;
import io.github.mdunet.core.layers.direct.ConvNormActivation;
import io.github.mdunet.core.layers.direct.DirectBilinearResize;
import io.github.mdunet.core.layers.direct.DirectBlur;
import io.github.mdunet.core.loss.FocalLoss;
import io.github.mdunet.core.loss.PixelMeanLoss;
import io.github.mdunet.core.model.UNet;
import java.math.BigDecimal;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * A U-Net's graph as the reference's {@code network.json}: the vertices in topological order, each with its type,
 * inputs and the attributes the reference needs to build the same operation (the contract is in the
 * {@code unet-reference-torch} module's README). Batch-norm momentum is given in PyTorch's convention,
 * {@code 1 - decay}.
 *
 * <p>Covers what U-Nets built here contain with batch normalisation, on either {@code BlockLayers}: convolutions,
 * batch norm, activation layers, max pooling, concatenation, sub-pixel convolution, bilinear resize and a softmax
 * cross-entropy head, and the fused blocks ({@code ConvNormActivation} as {@code conv_bn_act} or
 * {@code pixelshuffle_conv}, {@code ConcatActivation} as a {@code concat} with its activation, {@code DirectBlur} as
 * {@code blur}); anything else is refused naming the vertex.
 */
public final class ReferenceNetwork {

    /** The format version written to {@code network.json}. */
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceNetwork() {
    }

    /** The description of {@code unet}'s graph as a JSON tree. */
    public static ObjectNode describe(UNet unet) {
        ComputationGraphConfiguration configuration = unet.graph().getConfiguration();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        String inputName = configuration.getNetworkInputs().get(0);
        ObjectNode input = root.putObject("input");
        input.put("name", inputName);
        input.put("channels", unet.config().input().channels());
        input.put("height", unet.config().input().height());
        input.put("width", unet.config().input().width());
        root.set("inputNormalization", normalization(unet.config().encoder().inputNormalization()));
        root.put("classes", unet.config().numClasses());
        ArrayNode vertices = root.putArray("vertices");
        for (String name : configuration.getTopologicalOrderStr()) {
            GraphVertex vertex = configuration.getVertices().get(name);
            if (vertex == null) {
                continue; // a network input
            }
            List<String> inputs = configuration.getVertexInputs().get(name);
            describeVertex(vertices, name, vertex, inputs);
        }
        root.put("output", configuration.getNetworkOutputs().get(0));
        return root;
    }

    /** The JSON text of {@link #describe}. */
    public static String toJson(UNet unet) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(describe(unet));
        } catch (Exception e) {
            throw new IllegalStateException("could not write the network description", e);
        }
    }

    private static ObjectNode normalization(InputNormalization normalization) {
        ObjectNode node = JSON.createObjectNode();
        node.put("channelOrder", normalization.channelOrder().name());
        node.put("scale", normalization.scale());
        ArrayNode mean = node.putArray("mean");
        normalization.mean().forEach(mean::add);
        ArrayNode std = node.putArray("std");
        normalization.std().forEach(std::add);
        return node;
    }

    private static void describeVertex(ArrayNode vertices, String name, GraphVertex vertex, List<String> inputs) {
        if (vertex instanceof MergeVertex) {
            vertex(vertices, name, "concat", inputs);
            return;
        }
        if (vertex instanceof ConcatActivation join) {
            vertex(vertices, name, "concat", inputs).put("activation", activationName(name, join.getActivation()));
            return;
        }
        if (!(vertex instanceof LayerVertex layerVertex)) {
            throw unsupported(name, vertex.getClass().getSimpleName());
        }
        if (layerVertex.getPreProcessor() != null) {
            throw unsupported(name, "a vertex with the input pre-processor " + layerVertex.getPreProcessor());
        }
        Layer layer = layerVertex.getLayerConf().getLayer();
        if (layer instanceof ConvolutionLayer conv && layer.getClass() == ConvolutionLayer.class) {
            describeConvolution(vertices, name, conv, inputs);
        } else if (layer instanceof BatchNormalization bn) {
            ObjectNode node = vertex(vertices, name, "batchnorm", inputs);
            node.put("channels", bn.getNOut());
            node.put("eps", bn.getEps());
            node.put("momentum", torchMomentum(bn.getDecay()));
        } else if (layer instanceof ActivationLayer activation) {
            activation(vertices, name, inputs.get(0), activation.getActivationFn());
        } else if (layer instanceof SubsamplingLayer pool
                && pool.getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.MAX
                && pool.getKernelSize()[0] == pool.getKernelSize()[1]
                && pool.getStride()[0] == pool.getStride()[1]) {
            ObjectNode node = vertex(vertices, name, "maxpool", inputs);
            node.put("kernel", pool.getKernelSize()[0]);
            node.put("stride", pool.getStride()[0]);
        } else if (layer instanceof SubPixelConvolution shuffle) {
            ObjectNode node = vertex(vertices, name, "pixelshuffle_conv", inputs);
            node.put("inChannels", shuffle.getInputChannels());
            node.put("outChannels", shuffle.getOutputChannels());
            node.put("factor", shuffle.getUpscaleFactor());
            node.put("kernel", shuffle.getKernelSize());
            node.put("blur", shuffle.isBlur());
            node.put("activation", activationName(name, shuffle.getActivation().getActivationFunction()));
            node.put("init", "icnr_" + initName(name, shuffle.getWeightInit().getWeightInitFunction()));
        } else if (layer instanceof BilinearResize resize) {
            resize(vertices, name, inputs, resize.getOutputHeight(), resize.getOutputWidth());
        } else if (layer instanceof DirectBilinearResize resize) {
            resize(vertices, name, inputs, resize.getOutputHeight(), resize.getOutputWidth());
        } else if (layer instanceof ConvNormActivation fused) {
            describeFused(vertices, name, fused, inputs);
        } else if (layer instanceof DirectBlur) {
            vertex(vertices, name, "blur", inputs);
        } else if (layer instanceof CnnLossLayer loss && loss.getActivationFn() instanceof ActivationSoftmax
                && isUnweightedCrossEntropy(loss.getLossFn())) {
            vertex(vertices, name, "softmax_cross_entropy", inputs);
        } else {
            throw unsupported(name, layer.toString());
        }
    }

    /**
     * Cross-entropy without class weights (the head's default, or DL4J's {@code LossMCXENT} of models built before
     * it), summed or averaged over pixels (the scale is the trace's business).
     */
    private static boolean isUnweightedCrossEntropy(ILossFunction loss) {
        ILossFunction perPixel = loss instanceof PixelMeanLoss mean ? mean.getPerPixel() : loss;
        return FocalLoss.crossEntropy(null).equals(perPixel)
                || perPixel instanceof LossMCXENT mcxent && mcxent.getWeights() == null;
    }

    /** A convolution without activation (batch-normalised U-Nets put the activation after the norm). */
    private static void describeConvolution(ArrayNode vertices, String name, ConvolutionLayer conv,
                                            List<String> inputs) {
        if (!padsAsTheReference(conv.getKernelSize(), conv.getStride(), conv.getDilation(), conv.getPadding(),
                conv.getConvolutionMode()) || !(conv.getActivationFn() instanceof ActivationIdentity)) {
            throw unsupported(name, "a convolution other than square, odd, undilated, stride 1 (or 1x1), 'same' and"
                    + " without activation: " + conv);
        }
        convolutionFields(vertex(vertices, name, "conv2d", inputs), name, conv.getNIn(), conv.getNOut(),
                conv.getKernelSize()[0], conv.getStride()[0], conv.hasBias(), conv.getWeightInitFn());
    }

    /**
     * A fused block: with batch norm and without pixel shuffle the reference's {@code conv_bn_act}; without batch
     * norm, shuffle or activation (the head) its {@code conv2d}; without batch norm and with a pixel shuffle by r,
     * its {@code pixelshuffle_conv} (convolution with bias, activation, shuffle). The fused layer's parameter keys are
     * the reference's ({@code W}, {@code b}, {@code gamma}, {@code beta}, {@code mean}, {@code var}).
     */
    private static void describeFused(ArrayNode vertices, String name, ConvNormActivation fused,
                                      List<String> inputs) {
        int[] kernel = fused.getKernelSize();
        int factor = fused.getPixelShuffle();
        if (!padsAsTheReference(kernel, fused.getStride(), fused.getDilation(), fused.getPadding(),
                fused.getConvolutionMode()) || fused.isConvolutionFrozen()) {
            throw unsupported(name, "a fused block other than square, odd, undilated, stride 1 (or 1x1), 'same' and"
                    + " trained: " + fused);
        }
        String activation = activationName(name, fused.getActivationFn());
        if (factor == 1 && fused.isBatchNorm()) {
            ObjectNode node = vertex(vertices, name, "conv_bn_act", inputs);
            convolutionFields(node, name, fused.getNIn(), fused.getNOut(), kernel[0], fused.getStride()[0],
                    fused.isHasBias(), fused.getWeightInitFn());
            node.put("eps", fused.getEps());
            node.put("momentum", torchMomentum(fused.getDecay()));
            node.put("activation", activation);
        } else if (factor == 1 && !fused.isBatchNorm() && fused.getActivationFn() instanceof ActivationIdentity) {
            convolutionFields(vertex(vertices, name, "conv2d", inputs), name, fused.getNIn(), fused.getNOut(),
                    kernel[0], fused.getStride()[0], fused.isHasBias(), fused.getWeightInitFn());
        } else if (factor > 1 && !fused.isBatchNorm() && fused.isHasBias() && fused.getStride()[0] == 1) {
            ObjectNode node = vertex(vertices, name, "pixelshuffle_conv", inputs);
            node.put("inChannels", fused.getNIn());
            node.put("outChannels", fused.getNOut() / ((long) factor * factor));
            node.put("factor", factor);
            node.put("kernel", kernel[0]);
            node.put("blur", false);
            node.put("activation", activation);
            String init = initName(name, fused.getWeightInitFn());
            if (fused.getIcnrUpscaleFactor() == factor && init.equals("he_normal")) {
                node.put("init", "icnr_he_normal");
            } else if (fused.getIcnrUpscaleFactor() == 1) {
                node.put("init", init);
            } else {
                throw unsupported(name, "a sub-pixel convolution with ICNR for " + fused.getIcnrUpscaleFactor()
                        + " on " + init + " before a shuffle by " + factor + " (the reference's ICNR is he_normal"
                        + " for the vertex's own shuffle)");
            }
        } else {
            throw unsupported(name, "a fused block with batch norm " + fused.isBatchNorm() + ", bias "
                    + fused.isHasBias() + ", stride " + fused.getStride()[0] + " and pixel shuffle " + factor
                    + " (the reference describes batch norm"
                    + " without shuffle, or a shuffle after a biased stride-1 convolution without batch norm)");
        }
    }

    /**
     * Whether the convolution computes what the reference's 'same' padding of (k - 1) / 2 on every side computes: a
     * square, odd, undilated kernel, either 1x1 without padding (any stride) or in mode Same at stride 1 (DL4J's Same
     * at stride 2 pads bottom and right first, the reference symmetrically).
     */
    private static boolean padsAsTheReference(int[] kernel, int[] stride, int[] dilation, int[] padding,
                                              ConvolutionMode mode) {
        boolean square = kernel[0] == kernel[1] && kernel[0] % 2 == 1 && stride[0] == stride[1]
                && dilation[0] == 1 && dilation[1] == 1;
        boolean unpadded1x1 = kernel[0] == 1 && (mode == ConvolutionMode.Same || padding[0] == 0 && padding[1] == 0);
        return square && (unpadded1x1 || mode == ConvolutionMode.Same && stride[0] == 1);
    }

    private static void convolutionFields(ObjectNode node, String name, long inChannels, long outChannels,
                                          int kernel, int stride, boolean bias, IWeightInit init) {
        node.put("inChannels", inChannels);
        node.put("outChannels", outChannels);
        node.put("kernel", kernel);
        node.put("stride", stride);
        node.put("padding", "same");
        node.put("bias", bias);
        node.put("init", initName(name, init));
    }

    /**
     * PyTorch's momentum for DL4J's decay, {@code 1 - decay} in decimal: 0.1 for 0.9, not the binary difference
     * 0.09999999999999998, so that the description reads as the recipe was written.
     */
    static double torchMomentum(double decay) {
        return BigDecimal.ONE.subtract(BigDecimal.valueOf(decay)).doubleValue();
    }

    private static void resize(ArrayNode vertices, String name, List<String> inputs, int height, int width) {
        ObjectNode node = vertex(vertices, name, "resize_bilinear", inputs);
        node.put("height", height);
        node.put("width", width);
    }

    private static void activation(ArrayNode vertices, String name, String input, IActivation function) {
        vertex(vertices, name, "activation", List.of(input)).put("function", activationName(name, function));
    }

    private static String activationName(String vertex, IActivation function) {
        if (function instanceof ActivationIdentity) {
            return "identity";
        }
        if (function instanceof ActivationReLU relu && relu.getMax() == null && relu.getThreshold() == null
                && relu.getNegativeSlope() == null) {
            return "relu";
        }
        if (function.equals(Activation.SIGMOID.getActivationFunction())) {
            return "sigmoid";
        }
        if (function.equals(Activation.TANH.getActivationFunction())) {
            return "tanh";
        }
        throw unsupported(vertex, "the activation " + function);
    }

    private static String initName(String vertex, IWeightInit init) {
        if (init instanceof WeightInitRelu) {
            return "he_normal";
        }
        if (init instanceof WeightInitXavier) {
            return "xavier_normal";
        }
        throw unsupported(vertex, "the weight initialisation " + init);
    }

    private static ObjectNode vertex(ArrayNode vertices, String name, String type, List<String> inputs) {
        ObjectNode node = vertices.addObject();
        node.put("name", name);
        node.put("type", type);
        ArrayNode list = node.putArray("inputs");
        inputs.forEach(list::add);
        return node;
    }

    private static IllegalArgumentException unsupported(String vertex, String what) {
        return new IllegalArgumentException("vertex '" + vertex + "' is " + what + ", which the PyTorch reference"
                + " does not describe; the parity check covers U-Nets with batch normalisation, convolutions, pooling,"
                + " concatenation, pixel shuffle, blur, bilinear resize and a softmax cross-entropy head, on fused or"
                + " stock layers (UNetConfig.layers)");
    }
}
