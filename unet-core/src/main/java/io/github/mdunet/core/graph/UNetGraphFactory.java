package io.github.mdunet.core.graph;

import io.github.mdunet.core.blocks.ConvBlocks;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.blocks.VertexNames.Part;
import io.github.mdunet.core.config.DecoderLayout;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.decoder.ChannelPlan;
import io.github.mdunet.core.decoder.ChannelPlanner;
import io.github.mdunet.core.decoder.DecoderStage;
import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.head.HeadActivations;
import io.github.mdunet.core.head.HeadLosses;
import io.github.mdunet.core.layers.AttentionGate;
import io.github.mdunet.core.layers.SelfAttention;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
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
 * <p>Every vertex name comes from {@link VertexNames} (the input is {@value VertexNames#INPUT}, the output
 * {@value VertexNames#OUTPUT}); {@link Blueprint#blockOf} says which block each vertex belongs to, recorded while the
 * vertices are added, so nothing needs to read a block from a name. {@link UNetConfig#layers()} picks DL4J's
 * built-in layers or the project's fused blocks (see {@link ConvBlocks} for the vertices of each, the head's 1x1
 * convolution among them); transposed upsampling uses DL4J's layers in both. {@link UNetConfig#decoderLayout()}
 * picks fastai's final upsampling, last cross and batch norms under {@code Normalization.NONE}, or those of files
 * before format 6 ({@link DecoderLayout}).
 */
public final class UNetGraphFactory {

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
    private final Map<String, GraphBlock> vertexBlocks = new LinkedHashMap<>();

    private UNetGraphFactory(UNetConfig config, GraphBuilder graph) {
        this.config = config;
        this.blocks = new ConvBlocks(config.normalization(), config.layers());
        this.graph = graph;
    }

    /**
     * The U-Net described by a configuration: the graph's configuration, its channel plan, what its encoder declared,
     * and the block of every vertex.
     *
     * @param configuration the DL4J graph configuration
     * @param plan          the channel plan
     * @param encoderSpec   the encoder's skip taps and bottleneck, as checked against its graph
     * @param blocks        every vertex of the graph (the input included) and its block, in the order they were added
     */
    public record Blueprint(ComputationGraphConfiguration configuration, ChannelPlan plan, EncoderSpec encoderSpec,
                            Map<String, GraphBlock> blocks) {

        public Blueprint {
            blocks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(blocks));
        }

        /**
         * The block {@code vertex} belongs to.
         *
         * @throws IllegalArgumentException when the graph has no such vertex
         */
        public GraphBlock blockOf(String vertex) {
            GraphBlock block = blocks.get(vertex);
            if (block == null) {
                throw new IllegalArgumentException("the U-Net graph has no vertex '" + vertex + "'; its vertices are: "
                        + blocks.keySet());
            }
            return block;
        }

        /** The names of the vertices in {@code block}, in the order they were added. */
        public Set<String> verticesOf(GraphBlock block) {
            Set<String> names = new LinkedHashSet<>();
            blocks.forEach((name, of) -> {
                if (of.equals(block)) {
                    names.add(name);
                }
            });
            return names;
        }

        /** The encoder's vertex names: exactly those its {@code addTo} added, in that order (the input excluded). */
        public Set<String> encoderVertices() {
            return verticesOf(GraphBlock.ENCODER);
        }
    }

    /**
     * Checks the encoder against its graph, plans the channels and assembles the graph.
     *
     * @throws IllegalArgumentException naming the field, vertex or value that does not fit
     */
    public static Blueprint create(UNetConfig config) {
        EncoderProbe probe = probe(config);
        ChannelPlan plan = plan(config, probe);

        GraphBuilder graph = globalConfiguration(config).graphBuilder().addInputs(VertexNames.INPUT);
        UNetGraphFactory factory = new UNetGraphFactory(config, graph);
        factory.assignNewVertices(GraphBlock.INPUT);
        config.encoder().addTo(graph, VertexNames.INPUT, config.input(), config.layers());
        factory.assignNewVertices(GraphBlock.ENCODER);
        String features = factory.addMidBlock(probe.spec().bottleneck().vertexName(), plan);
        factory.assignNewVertices(GraphBlock.MIDDLE);
        ImageShape current = plan.bottleneck();
        for (DecoderStage stage : plan.stages()) {
            features = factory.addUpBlock(stage, features, current);
            factory.assignNewVertices(GraphBlock.decoderStage(stage.index()));
            current = stage.skip().withChannels(stage.outputChannels());
        }
        features = factory.addFinalBlocks(plan, features, current);
        factory.assignNewVertices(GraphBlock.FINAL);
        factory.addHead(features);
        factory.assignNewVertices(GraphBlock.HEAD);
        graph.setOutputs(VertexNames.OUTPUT);
        graph.setInputTypes(config.input().toInputType());
        return new Blueprint(graph.build(), plan, probe.spec(), factory.vertexBlocks);
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
        return EncoderProbe.probe(config.encoder(), config.input(), globalConfiguration(config), VertexNames.INPUT,
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

    /** Records {@code block} for every vertex added since the last call. */
    private void assignNewVertices(GraphBlock block) {
        if (!vertexBlocks.containsKey(VertexNames.INPUT)) {
            vertexBlocks.put(VertexNames.INPUT, GraphBlock.INPUT);
        }
        for (String name : graph.getVertices().keySet()) {
            vertexBlocks.putIfAbsent(name, block);
        }
    }

    /**
     * fastai's middle: batch norm, ReLU, conv to the inner width, conv back, optional self-attention. The batch norm
     * and ReLU stay under {@code Normalization.NONE} in fastai's layout, and go in the layout before format 6.
     */
    private String addMidBlock(String bottleneck, ChannelPlan plan) {
        String mid = VertexNames.MID;
        String x = bottleneck;
        boolean inputNorm = switch (config.decoderLayout()) {
            case FASTAI -> true;
            case FORMATS_1_TO_5 -> config.normalization() == Normalization.BATCH;
        };
        if (inputNorm) {
            x = ConvBlocks.activation(graph, VertexNames.part(mid, Part.INPUT_ACTIVATION),
                    blocks.batchNorm(graph, VertexNames.part(mid, Part.INPUT_NORM), x), Activation.RELU);
        }
        x = blocks.convNormAct(graph, VertexNames.numbered(mid, 1), x, plan.midInnerChannels(), 3, Activation.RELU);
        x = blocks.convNormAct(graph, VertexNames.numbered(mid, 2), x, plan.bottleneck().channels(), 3,
                Activation.RELU);
        if (config.midAttention()) {
            String attention = VertexNames.part(mid, Part.ATTENTION);
            graph.addLayer(attention, new SelfAttention(plan.bottleneck().channels()), x);
            x = attention;
        }
        return x;
    }

    /** Upsample, match the skip's size, gate and normalise the skip, concatenate, two convolutions. */
    private String addUpBlock(DecoderStage stage, String below, ImageShape belowShape) {
        String prefix = VertexNames.decoderStage(stage.index());
        String up = upsample(prefix, below, belowShape, stage.upOutputChannels(), stage.upFactor(), stage.skip(),
                true);
        String skip = stage.skipVertex();
        if (stage.attentionGate()) {
            String gateInput = VertexNames.part(prefix, Part.GATE_INPUT);
            String gate = VertexNames.part(prefix, Part.GATE);
            graph.addVertex(gateInput, new MergeVertex(), skip, up);
            graph.addLayer(gate, new AttentionGate(stage.skipChannels(), stage.upOutputChannels(),
                    Math.max(1, stage.skipChannels() / 2)), gateInput);
            skip = gate;
        }
        String skipNorm = VertexNames.part(prefix, Part.SKIP_NORM);
        skip = switch (config.decoderLayout()) {
            // fastai's UnetBlock.bn, whatever its norm_type
            case FASTAI -> blocks.batchNorm(graph, skipNorm, skip);
            case FORMATS_1_TO_5 -> blocks.norm(graph, skipNorm, skip);
        };
        String x = blocks.concatActivation(graph, VertexNames.part(prefix, Part.CONCAT),
                VertexNames.part(prefix, Part.CONCAT_ACTIVATION), Activation.RELU, up, skip);
        x = blocks.convNormAct(graph, VertexNames.numbered(prefix, 1), x, stage.outputChannels(), 3, Activation.RELU);
        return blocks.convNormAct(graph, VertexNames.numbered(prefix, 2), x, stage.outputChannels(), 3,
                Activation.RELU);
    }

    /**
     * Upsample to the input's resolution, resize to its exact size, last cross. Returns the last vertex. fastai's
     * final {@code PixelShuffle_ICNR} does not blur; the layout before format 6 blurs as the decoder stages do.
     */
    private String addFinalBlocks(ChannelPlan plan, String features, ImageShape shape) {
        ImageShape input = config.input();
        boolean blurAllowed = switch (config.decoderLayout()) {
            case FASTAI -> false;
            case FORMATS_1_TO_5 -> true;
        };
        String x = upsample(VertexNames.FINAL, features, shape, shape.channels(), plan.finalUpsampleFactor(),
                input.withChannels(shape.channels()), blurAllowed);
        if (config.lastCross()) {
            String concat = VertexNames.part(VertexNames.CROSS, Part.CONCAT);
            graph.addVertex(concat, new MergeVertex(), x, VertexNames.INPUT);
            x = switch (config.decoderLayout()) {
                case FASTAI -> addResidualCross(concat, plan.finalChannels());
                case FORMATS_1_TO_5 -> addTwoConvolutionCross(concat, shape.channels());
            };
        }
        return x;
    }

    /**
     * fastai's last cross after {@code MergeLayer(dense=True)}: {@code ResBlock(1, C, C)} on the {@code C} channels
     * of the features and the input image, {@code relu(convNorm(convNormRelu(x)) + x)}, the second batch norm's gamma
     * starting at 0 (fastai's {@code NormType.BatchZero}), so a fresh block passes {@code relu(x)} on.
     */
    private String addResidualCross(String concat, int channels) {
        String cross = VertexNames.CROSS;
        String x = blocks.convNormAct(graph, VertexNames.numbered(cross, 1), concat, channels, 3, Activation.RELU);
        x = blocks.convNorm(graph, VertexNames.numbered(cross, 2), x, channels, 3, 0.0);
        return blocks.residualActivation(graph, VertexNames.part(cross, Part.SUM),
                VertexNames.part(cross, Part.SUM_ACTIVATION), Activation.RELU, x, concat);
    }

    /** The last cross before format 6: two conv-norm-ReLU blocks from the concatenation back to {@code channels}. */
    private String addTwoConvolutionCross(String concat, int channels) {
        String cross = VertexNames.CROSS;
        String x = blocks.convNormAct(graph, VertexNames.numbered(cross, 1), concat, channels, 3, Activation.RELU);
        return blocks.convNormAct(graph, VertexNames.numbered(cross, 2), x, channels, 3, Activation.RELU);
    }

    /** The head's 1x1 convolution, the residual sum for a residual head, and the output layer. */
    private void addHead(String features) {
        boolean residual = config.head().addsInput();
        blocks.pointwise(graph, VertexNames.HEAD, features, config.numClasses(),
                residual ? RESIDUAL_HEAD_INIT : new WeightInitXavier());
        String head = VertexNames.HEAD;
        if (residual) {
            head = VertexNames.HEAD_RESIDUAL;
            graph.addVertex(head, new ElementWiseVertex(ElementWiseVertex.Op.Add), VertexNames.HEAD,
                    VertexNames.INPUT);
        }
        graph.addLayer(VertexNames.OUTPUT, new CnnLossLayer.Builder(HeadLosses.of(config))
                .activation(HeadActivations.of(config.head()))
                .build(), head);
    }

    /**
     * Upsamples {@code input} ({@code inputShape}) by {@code factor} to {@code outChannels} channels with the
     * configured mode (its blur only when {@code blurAllowed}), then resizes bilinearly to {@code target}'s height
     * and width if the sizes still differ (inputs that are not multiples of the total stride): never crops. Returns
     * the output vertex.
     */
    private String upsample(String prefix, String input, ImageShape inputShape, int outChannels, int factor,
                            ImageShape target, boolean blurAllowed) {
        Upsampled up = factor == 1 ? new Upsampled(input, inputShape.height(), inputShape.width())
                : upsampled(VertexNames.part(prefix, Part.UP), input, inputShape, outChannels, factor, target,
                        blurAllowed);
        String x = up.vertex();
        if (up.height() != target.height() || up.width() != target.width()) {
            x = resize(VertexNames.part(prefix, Part.RESIZE), x, target);
        }
        return x;
    }

    /** An upsampling's last vertex and the size of its output. */
    private record Upsampled(String vertex, int height, int width) {
    }

    /** Adds one upsampling of {@code factor > 1} with the configured mode. */
    private Upsampled upsampled(String prefix, String input, ImageShape inputShape, int outChannels, int factor,
                                ImageShape target, boolean blurAllowed) {
        return config.upsample().accept(new UpsampleMode.Visitor<>() {
            @Override
            public Upsampled pixelShuffle(UpsampleMode.PixelShuffle shuffle) {
                return scaled(blocks.subPixelUpsample(graph, prefix, input, inputShape.channels(), outChannels, factor,
                        shuffle.blur() && blurAllowed));
            }

            @Override
            public Upsampled transposed(UpsampleMode.Transposed transposed) {
                boolean normalized = config.normalization() != Normalization.NONE;
                String deconv = VertexNames.part(prefix, Part.DECONVOLUTION);
                graph.addLayer(deconv, new Deconvolution2D.Builder(factor, factor)
                        .stride(factor, factor)
                        .nOut(outChannels)
                        .convolutionMode(ConvolutionMode.Truncate)
                        .hasBias(!normalized)
                        .activation(normalized ? Activation.IDENTITY : Activation.RELU)
                        .build(), input);
                return scaled(!normalized ? deconv : ConvBlocks.activation(graph,
                        VertexNames.part(prefix, Part.ACTIVATION),
                        blocks.norm(graph, VertexNames.part(prefix, Part.BATCH_NORM), deconv), Activation.RELU));
            }

            @Override
            public Upsampled bilinearConv(UpsampleMode.BilinearConv bilinearConv) {
                String resized = resize(VertexNames.part(prefix, Part.BILINEAR), input, target);
                return atTarget(blocks.convNormAct(graph, prefix, resized, outChannels, 3, Activation.RELU));
            }

            @Override
            public Upsampled bilinear(UpsampleMode.Bilinear bilinear) {
                return atTarget(resize(VertexNames.part(prefix, Part.BILINEAR), input, target));
            }

            private Upsampled scaled(String vertex) {
                return new Upsampled(vertex, inputShape.height() * factor, inputShape.width() * factor);
            }

            private Upsampled atTarget(String vertex) {
                return new Upsampled(vertex, target.height(), target.width());
            }
        });
    }

    private String resize(String name, String input, ImageShape target) {
        return blocks.resize(graph, name, input, target);
    }
}
