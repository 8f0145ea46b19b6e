package io.github.mdunet.core.blocks;

import io.github.mdunet.core.blocks.VertexNames.Part;
import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.layers.BilinearResize;
import io.github.mdunet.core.layers.SubPixelConvolution;
import io.github.mdunet.core.layers.direct.ConcatActivation;
import io.github.mdunet.core.layers.direct.ConvNormActivation;
import io.github.mdunet.core.layers.direct.DirectBatchNorm;
import io.github.mdunet.core.layers.direct.DirectBilinearResize;
import io.github.mdunet.core.layers.direct.DirectBlur;
import io.github.mdunet.core.layers.direct.ResidualActivation;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * Adds the building blocks shared by encoders and decoder to a graph, naming every vertex from one prefix (through
 * {@link VertexNames}) and
 * returning the name of the block's last vertex, so blocks are wired by the names they return, never by hand-typed
 * strings. {@link BlockLayers} picks the layers:
 * <ul>
 *   <li>{@code STOCK}: {@code prefix_conv} (DL4J {@code ConvolutionLayer}), {@code prefix_bn}, {@code prefix_act};
 *       sub-pixel upsampling is one SameDiff {@code SubPixelConvolution} {@code prefix_shuffle}; resizing a SameDiff
 *       {@code BilinearResize};</li>
 *   <li>{@code FUSED}: one {@link ConvNormActivation} {@code prefix_conv_bn_act} ({@code prefix_conv_act} without
 *       normalisation), and the {@link #pointwise} convolution too; sub-pixel upsampling is {@code prefix_shuffle}
 *       (a 1x1 {@code ConvNormActivation} with bias, ICNR and its output pixel-shuffled) and {@code prefix_blur}
 *       ({@link DirectBlur}); resizing a {@link DirectBilinearResize}; normalisation alone a
 *       {@link DirectBatchNorm}.</li>
 * </ul>
 *
 * <p>Tensor contract of {@link #convNormAct}: {@code [N, C, H, W] -> [N, outChannels, H, W]} ("same" padding,
 * stride 1).
 *
 * @param normalization batch normalisation after each convolution, or none (the convolution then has a bias)
 * @param layers        which layers implement the blocks
 */
public record ConvBlocks(Normalization normalization, BlockLayers layers) {

    public ConvBlocks {
        Checks.requireSet("ConvBlocks.normalization", normalization, Normalization.class);
        Checks.requireSet("ConvBlocks.layers", layers, BlockLayers.class);
    }

    /** Where a convolution block ends: after its activation, or after its normalisation (a residual branch). */
    private enum BlockEnd { ACTIVATION, NORMALISATION }

    /** Convolution {@code kernel x kernel}, normalisation, activation. Returns the last vertex's name. */
    public String convNormAct(GraphBuilder graph, String prefix, String input, int outChannels, int kernel,
                              Activation activation) {
        Checks.requireSet("ConvBlocks.convNormAct activation", activation, Activation.class);
        return convolutionBlock(graph, prefix, input, outChannels, kernel, 1.0, BlockEnd.ACTIVATION, activation);
    }

    /**
     * Convolution {@code kernel x kernel} and normalisation with gamma starting at {@code gammaInit}, no activation:
     * a residual branch's end, {@code [N, C, H, W] -> [N, outChannels, H, W]}. On FUSED one
     * {@link ConvNormActivation} {@code prefix_conv_bn} ({@code prefix_conv} without normalisation, with a bias), so
     * {@link #residualActivation} may write over its output; on STOCK {@code prefix_conv} and {@code prefix_bn} (DL4J's
     * {@code BatchNormalization}, whose {@code gamma} setting is the initial gamma of a learnt one). Returns the last
     * vertex's name.
     */
    public String convNorm(GraphBuilder graph, String prefix, String input, int outChannels, int kernel,
                           double gammaInit) {
        return convolutionBlock(graph, prefix, input, outChannels, kernel, gammaInit, BlockEnd.NORMALISATION,
                Activation.IDENTITY);
    }

    /**
     * What {@link #convNormAct} and {@link #convNorm} build: convolution, normalisation with gamma starting at
     * {@code gammaInit}, then {@code activation} when the block ends with it ({@code IDENTITY} and no
     * {@code _act} vertex when it ends with the normalisation). Returns the last vertex's name.
     */
    private String convolutionBlock(GraphBuilder graph, String prefix, String input, int outChannels, int kernel,
                                    double gammaInit, BlockEnd end, Activation activation) {
        boolean batchNorm = normalization == Normalization.BATCH;
        return switch (layers) {
            case FUSED -> {
                String name = VertexNames.part(prefix, fusedPart(batchNorm, end));
                graph.addLayer(name, fusedConvolution(outChannels, kernel, batchNorm, activation, gammaInit), input);
                yield name;
            }
            case STOCK -> {
                String conv = VertexNames.part(prefix, Part.CONV);
                graph.addLayer(conv, stockConvolution(outChannels, kernel, batchNorm,
                        batchNorm ? Activation.IDENTITY : activation), input);
                if (!batchNorm) {
                    yield conv;
                }
                String bn = VertexNames.part(prefix, Part.BATCH_NORM);
                graph.addLayer(bn, new BatchNormalization.Builder().gamma(gammaInit).build(), conv);
                yield switch (end) {
                    case ACTIVATION -> activation(graph, VertexNames.part(prefix, Part.ACTIVATION), bn, activation);
                    case NORMALISATION -> bn;
                };
            }
        };
    }

    /** The name part of a FUSED block's one vertex. */
    private static Part fusedPart(boolean batchNorm, BlockEnd end) {
        return switch (end) {
            case ACTIVATION -> batchNorm ? Part.CONV_NORM_ACTIVATION : Part.CONV_ACTIVATION;
            case NORMALISATION -> batchNorm ? Part.CONV_NORM : Part.CONV;
        };
    }

    /** One {@link ConvNormActivation}: a same-padded convolution, its batch norm or a bias, the activation. */
    private static ConvNormActivation fusedConvolution(int outChannels, int kernel, boolean batchNorm,
                                                       Activation activation, double gammaInit) {
        return ConvNormActivation.builder()
                .nOut(outChannels)
                .kernelSize(kernel, kernel)
                .convolutionMode(ConvolutionMode.Same)
                .batchNorm(batchNorm)
                .hasBias(!batchNorm)
                .gammaInit(gammaInit)
                .activation(activation)
                .build();
    }

    /** DL4J's same-padded convolution, with a bias unless a batch norm follows it. */
    private static ConvolutionLayer stockConvolution(int outChannels, int kernel, boolean batchNorm,
                                                     Activation activation) {
        return new ConvolutionLayer.Builder(kernel, kernel)
                .nOut(outChannels)
                .stride(1, 1)
                .convolutionMode(ConvolutionMode.Same)
                .hasBias(!batchNorm)
                .activation(activation)
                .build();
    }

    /**
     * A residual join {@code activation(branch + shortcut)} of two inputs of the same shape: on FUSED one
     * {@link ResidualActivation} vertex {@code name} that writes its output over {@code branch} in training, which
     * must therefore be a vertex {@link #convNorm} returned and that nothing else reads; on STOCK DL4J's
     * {@code ElementWiseVertex(Add)} {@code sumName} and an activation layer {@code name}, as DL4J's zoo ResNets join.
     * Returns {@code name}.
     */
    public String residualActivation(GraphBuilder graph, String sumName, String name, Activation activation,
                                     String branch, String shortcut) {
        return switch (layers) {
            case FUSED -> {
                graph.addVertex(name, new ResidualActivation(activation.getActivationFunction(), true), branch,
                        shortcut);
                yield name;
            }
            case STOCK -> activation(graph.addVertex(sumName, new ElementWiseVertex(ElementWiseVertex.Op.Add), branch,
                    shortcut), name, sumName, activation);
        };
    }

    /**
     * A 1x1 convolution with bias to {@code outChannels}, no normalisation or activation, weights from {@code init}:
     * {@code [N, C, H, W] -> [N, outChannels, H, W]}, one vertex {@code name} on both layer paths (on FUSED a 1x1
     * {@link ConvNormActivation}, whose backward pass is a matrix product with no working memory beyond its result;
     * on STOCK DL4J's {@code ConvolutionLayer}). Returns {@code name}.
     */
    public String pointwise(GraphBuilder graph, String name, String input, int outChannels, IWeightInit init) {
        graph.addLayer(name, switch (layers) {
            case FUSED -> ConvNormActivation.builder()
                    .nOut(outChannels)
                    .kernelSize(1, 1)
                    .batchNorm(false)
                    .hasBias(true)
                    .activation(Activation.IDENTITY)
                    .weightInit(init)
                    .build();
            case STOCK -> new ConvolutionLayer.Builder(1, 1)
                    .nOut(outChannels)
                    .activation(Activation.IDENTITY)
                    .weightInit(init)
                    .build();
        }, input);
        return name;
    }

    /**
     * fastai's {@code PixelShuffle_ICNR}: a 1x1 convolution with bias to {@code outChannels * factor^2} channels
     * (ICNR initialisation), ReLU, pixel shuffle by {@code factor}, optional blur.
     * {@code [N, inChannels, H, W] -> [N, outChannels, H * factor, W * factor]}. Returns the last vertex's name.
     */
    public String subPixelUpsample(GraphBuilder graph, String prefix, String input, int inChannels, int outChannels,
                                   int factor, boolean blur) {
        return switch (layers) {
            case FUSED -> {
                String shuffle = VertexNames.part(prefix, Part.SHUFFLE);
                graph.addLayer(shuffle, ConvNormActivation.builder()
                        .nIn(inChannels)
                        .nOut((long) outChannels * factor * factor)
                        .kernelSize(1, 1)
                        .batchNorm(false)
                        .hasBias(true)
                        .icnrUpscaleFactor(factor)
                        .pixelShuffle(factor)
                        .activation(Activation.RELU)
                        .build(), input);
                if (!blur) {
                    yield shuffle;
                }
                String blurred = VertexNames.part(prefix, Part.BLUR);
                graph.addLayer(blurred, new DirectBlur(), shuffle);
                yield blurred;
            }
            case STOCK -> {
                String shuffle = VertexNames.part(prefix, Part.SHUFFLE);
                graph.addLayer(shuffle, new SubPixelConvolution(inChannels, outChannels, factor, 1, blur,
                        Activation.RELU), input);
                yield shuffle;
            }
        };
    }

    /** Bilinear resize to {@code target}'s height and width ({@code align_corners=False}). Returns {@code name}. */
    public String resize(GraphBuilder graph, String name, String input, ImageShape target) {
        graph.addLayer(name, switch (layers) {
            case FUSED -> new DirectBilinearResize(target.height(), target.width());
            case STOCK -> new BilinearResize(target.height(), target.width());
        }, input);
        return name;
    }

    /**
     * Normalisation alone, one vertex {@code name} (identity when {@link Normalization#NONE}): see
     * {@link #batchNorm}. Returns the name of the output vertex.
     */
    public String norm(GraphBuilder graph, String name, String input) {
        return normalization == Normalization.NONE ? input : batchNorm(graph, name, input);
    }

    /**
     * A batch norm alone whatever {@link #normalization} says (fastai's decoder keeps some under any
     * {@code norm_type}), one vertex {@code name}: on FUSED a {@link DirectBatchNorm}, on STOCK DL4J's
     * {@code BatchNormalization}. Returns {@code name}.
     */
    public String batchNorm(GraphBuilder graph, String name, String input) {
        graph.addLayer(name, switch (layers) {
            case FUSED -> new DirectBatchNorm();
            case STOCK -> new BatchNormalization.Builder().build();
        }, input);
        return name;
    }

    /**
     * The inputs concatenated along channels and activated: on FUSED one {@link ConcatActivation} vertex
     * {@code name}, which keeps only its output for the backward pass; on STOCK DL4J's {@code MergeVertex}
     * {@code concatName} and an activation layer {@code name}. Returns {@code name}.
     */
    public String concatActivation(GraphBuilder graph, String concatName, String name, Activation activation,
                                   String... inputs) {
        return switch (layers) {
            case FUSED -> {
                graph.addVertex(name, new ConcatActivation(activation.getActivationFunction()), inputs);
                yield name;
            }
            case STOCK -> activation(graph.addVertex(concatName, new MergeVertex(), inputs), name, concatName,
                    activation);
        };
    }

    /** An activation layer. Returns {@code name}. */
    public static String activation(GraphBuilder graph, String name, String input, Activation activation) {
        graph.addLayer(name, new ActivationLayer.Builder().activation(activation).build(), input);
        return name;
    }
}
