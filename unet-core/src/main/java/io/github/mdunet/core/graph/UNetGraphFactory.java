package io.github.mdunet.core.graph;

import io.github.mdunet.core.blocks.ConvBlocks;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.decoder.ChannelPlan;
import io.github.mdunet.core.decoder.ChannelPlanner;
import io.github.mdunet.core.decoder.DecoderStage;
import io.github.mdunet.core.head.HeadActivations;
import io.github.mdunet.core.head.HeadLosses;
import io.github.mdunet.core.layers.AttentionGate;
import io.github.mdunet.core.layers.SelfAttention;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.nd4j.linalg.activations.Activation;

/**
 * Turns a {@link UNetConfig} into a DL4J {@link ComputationGraphConfiguration}: encoder, mid block, one up block
 * per skip, final upsampling to the input size, optional last cross, head.
 *
 * <p>Vertex names: the input is {@value #INPUT}, the output {@value #OUTPUT}; the mid block's vertices start with
 * {@code mid_}, decoder stage {@code k}'s with {@code dec<k>_} (k = 1 is the deepest), the rest with
 * {@code final_}, {@code cross_} and {@code head_}. {@link UNetConfig#layers()} picks DL4J's built-in layers or the
 * project's fused blocks (see {@link ConvBlocks} for the vertex names of each); transposed upsampling and the head
 * use DL4J's layers in both.
 */
public final class UNetGraphFactory {

    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    /** The head's 1x1 convolution: the logits, before the output layer's activation. */
    public static final String HEAD = "head_conv";
    /**
     * With a {@code Residual} head, the sum of the head's convolution and the input image, which the output layer
     * reads instead of {@link #HEAD}.
     */
    public static final String HEAD_RESIDUAL = "head_residual";

    /**
     * The residual head's initial weights: small, so an untrained network returns almost its input (a correction of
     * about 1/100 of its features), but not zero. From zero weights the layers below the head receive no gradient at
     * first (theirs passes through the head's weights) and an L1-trained network barely leaves the identity (measured
     * on x2 super-resolution: +0.006 dB over bicubic after 150 steps from zero, +1.05 dB from this start).
     */
    static final IWeightInit RESIDUAL_HEAD_INIT = new WeightInitDistribution(new NormalDistribution(0, 0.01));

    private final UNetConfig config;
    private final ConvBlocks blocks;
    private final GraphBuilder graph;

    private UNetGraphFactory(UNetConfig config, GraphBuilder graph) {
        this.config = config;
        this.blocks = new ConvBlocks(config.normalization(), config.layers());
        this.graph = graph;
    }

    /** The configuration and channel plan of the U-Net described by {@code config}. */
    public record Blueprint(ComputationGraphConfiguration configuration, ChannelPlan plan) {
    }

    /**
     * Checks the encoder against its graph, plans the channels and assembles the graph.
     *
     * @throws IllegalArgumentException naming the field, vertex or value that does not fit
     */
    public static Blueprint create(UNetConfig config) {
        EncoderProbe probe = probe(config);
        ChannelPlan plan = plan(config, probe);

        GraphBuilder graph = globalConfiguration(config).graphBuilder().addInputs(INPUT);
        config.encoder().addTo(graph, INPUT, config.input(), config.layers());
        UNetGraphFactory factory = new UNetGraphFactory(config, graph);
        String features = factory.addMidBlock(probe.spec().bottleneck().vertexName(), plan);
        ImageShape current = plan.bottleneck();
        for (DecoderStage stage : plan.stages()) {
            features = factory.addUpBlock(stage, features, current);
            current = stage.skip().withChannels(stage.outputChannels());
        }
        factory.addFinalBlocks(plan, features, current);
        graph.setOutputs(OUTPUT);
        graph.setInputTypes(config.input().toInputType());
        return new Blueprint(graph.build(), plan);
    }

    /**
     * The channel plan alone: checks the encoder against its graph and plans the channels, without assembling the
     * decoder and head.
     *
     * @throws IllegalArgumentException naming the field, vertex or value that does not fit
     */
    public static ChannelPlan plan(UNetConfig config) {
        return plan(config, probe(config));
    }

    private static EncoderProbe probe(UNetConfig config) {
        return EncoderProbe.probe(config.encoder(), config.input(), globalConfiguration(config), INPUT,
                config.layers());
    }

    private static ChannelPlan plan(UNetConfig config, EncoderProbe probe) {
        return ChannelPlanner.plan(config, probe.spec().skips(), probe.spec().bottleneck(), probe.shapes());
    }

    private static NeuralNetConfiguration.Builder globalConfiguration(UNetConfig config) {
        return new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(config.dataType())
                // A copy: DL4J shares the updater object with the layers, and a learning-rate schedule changes it.
                .updater(config.updater().clone())
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
    }

    /** fastai's middle: norm, ReLU, conv to the inner width, conv back, optional self-attention. */
    private String addMidBlock(String bottleneck, ChannelPlan plan) {
        String x = bottleneck;
        if (config.normalization() == Normalization.BATCH) {
            x = ConvBlocks.activation(graph, "mid_in_act", blocks.norm(graph, "mid_in_bn", x), Activation.RELU);
        }
        x = blocks.convNormAct(graph, "mid_1", x, plan.midInnerChannels(), 3, Activation.RELU);
        x = blocks.convNormAct(graph, "mid_2", x, plan.bottleneck().channels(), 3, Activation.RELU);
        if (config.midAttention()) {
            graph.addLayer("mid_attention", new SelfAttention(plan.bottleneck().channels()), x);
            x = "mid_attention";
        }
        return x;
    }

    /** Upsample, match the skip's size, gate and normalise the skip, concatenate, two convolutions. */
    private String addUpBlock(DecoderStage stage, String below, ImageShape belowShape) {
        String prefix = "dec" + stage.index();
        String up = upsample(prefix, below, belowShape, stage.upOutputChannels(), stage.upFactor(), stage.skip());
        String skip = stage.skipVertex();
        if (stage.attentionGate()) {
            graph.addVertex(prefix + "_gate_in", new MergeVertex(), skip, up);
            graph.addLayer(prefix + "_gate", new AttentionGate(stage.skipChannels(), stage.upOutputChannels(),
                    Math.max(1, stage.skipChannels() / 2)), prefix + "_gate_in");
            skip = prefix + "_gate";
        }
        skip = blocks.norm(graph, prefix + "_skip_bn", skip);
        graph.addVertex(prefix + "_concat", new MergeVertex(), up, skip);
        String x = ConvBlocks.activation(graph, prefix + "_concat_act", prefix + "_concat", Activation.RELU);
        x = blocks.convNormAct(graph, prefix + "_1", x, stage.outputChannels(), 3, Activation.RELU);
        return blocks.convNormAct(graph, prefix + "_2", x, stage.outputChannels(), 3, Activation.RELU);
    }

    /** Upsample to the input's resolution, resize to its exact size, last cross, head. */
    private void addFinalBlocks(ChannelPlan plan, String features, ImageShape shape) {
        ImageShape input = config.input();
        String x = upsample("final", features, shape, shape.channels(), plan.finalUpsampleFactor(),
                input.withChannels(shape.channels()));
        int channels = shape.channels();
        if (config.lastCross()) {
            graph.addVertex("cross_concat", new MergeVertex(), x, INPUT);
            x = blocks.convNormAct(graph, "cross_1", "cross_concat", channels, 3, Activation.RELU);
            x = blocks.convNormAct(graph, "cross_2", x, channels, 3, Activation.RELU);
        }
        boolean residual = config.head() instanceof HeadActivation.Residual;
        graph.addLayer(HEAD, new ConvolutionLayer.Builder(1, 1)
                .nOut(config.numClasses())
                .activation(Activation.IDENTITY)
                .weightInit(residual ? RESIDUAL_HEAD_INIT : new WeightInitXavier())
                .build(), x);
        String head = HEAD;
        if (residual) {
            head = HEAD_RESIDUAL;
            graph.addVertex(head, new ElementWiseVertex(ElementWiseVertex.Op.Add), HEAD, INPUT);
        }
        graph.addLayer(OUTPUT, new CnnLossLayer.Builder(HeadLosses.of(config))
                .activation(HeadActivations.of(config.head()))
                .build(), head);
    }

    /**
     * Upsamples {@code input} ({@code inputShape}) by {@code factor} to {@code outChannels} channels with the
     * configured mode, then resizes bilinearly to {@code target}'s height and width if the sizes still differ
     * (inputs that are not multiples of the total stride): never crops. Returns the output vertex.
     */
    private String upsample(String prefix, String input, ImageShape inputShape, int outChannels, int factor,
                            ImageShape target) {
        UpsampleMode mode = config.upsample();
        String x = input;
        int height = inputShape.height();
        int width = inputShape.width();
        if (factor > 1) {
            if (mode instanceof UpsampleMode.PixelShuffle shuffle) {
                x = blocks.subPixelUpsample(graph, prefix + "_up", input, inputShape.channels(), outChannels, factor,
                        shuffle.blur());
                height *= factor;
                width *= factor;
            } else if (mode instanceof UpsampleMode.Transposed) {
                String deconv = prefix + "_up_deconv";
                graph.addLayer(deconv, new Deconvolution2D.Builder(factor, factor)
                        .stride(factor, factor)
                        .nOut(outChannels)
                        .convolutionMode(ConvolutionMode.Truncate)
                        .hasBias(config.normalization() == Normalization.NONE)
                        .activation(config.normalization() == Normalization.NONE ? Activation.RELU
                                : Activation.IDENTITY)
                        .build(), input);
                x = config.normalization() == Normalization.NONE ? deconv : ConvBlocks.activation(graph,
                        prefix + "_up_act", blocks.norm(graph, prefix + "_up_bn", deconv), Activation.RELU);
                height *= factor;
                width *= factor;
            } else {
                x = resize(prefix + "_up_bilinear", input, target);
                height = target.height();
                width = target.width();
                if (mode instanceof UpsampleMode.BilinearConv) {
                    x = blocks.convNormAct(graph, prefix + "_up", x, outChannels, 3, Activation.RELU);
                }
            }
        }
        if (height != target.height() || width != target.width()) {
            x = resize(prefix + "_resize", x, target);
        }
        return x;
    }

    private String resize(String name, String input, ImageShape target) {
        return blocks.resize(graph, name, input, target);
    }
}
