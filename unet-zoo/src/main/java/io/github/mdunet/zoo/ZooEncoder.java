package io.github.mdunet.zoo;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.encoder.SkipTap;
import io.github.mdunet.zoo.graph.ConvBatchNormChains;
import io.github.mdunet.zoo.graph.Fusions;
import io.github.mdunet.zoo.graph.GraphCopy;
import io.github.mdunet.zoo.graph.GraphSource;
import io.github.mdunet.zoo.graph.LayerDefaults;
import io.github.mdunet.zoo.graph.ResidualJoins;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * A DL4J zoo model without its classification head, as a U-Net encoder.
 *
 * <p>Tensor contract: reads {@code [N, C, H, W]} for any C (pretrained RGB kernels are adapted to C != 3 as timm
 * does: summed for C = 1, repeated and scaled by 3/C otherwise) and any H and W of at least the backbone's total
 * stride, square or not; the skips are the backbone's declared taps. The zoo's
 * vertices are copied by name (its input renamed to the U-Net's), so pretrained weights are matched by vertex name
 * (or by the zoo file's name for it, {@link ZooBackbone#pretrainedNames()});
 * the zoo's own input shape handling, which swaps height and width for non-square inputs, is never used: the U-Net
 * sets the input type from its {@code ImageShape}. Updaters, regularisation and weight initialisation come from the
 * U-Net's configuration, not the zoo's.
 *
 * <p>The weights are not loaded by {@code UNet.build}: build with
 * {@link io.github.mdunet.zoo.pretrained.PretrainedWeights#build} to get them.
 *
 * @param backbone the zoo model
 * @param weights  where its initial weights come from
 */
public record ZooEncoder(ZooBackbone backbone, Weights weights) implements Encoder {

    /** The saved JSON field of {@link #backbone()}, which {@link ZooConfigMigration} reads. */
    static final String BACKBONE_FIELD = "backbone";

    public ZooEncoder {
        if (backbone == null) {
            throw new IllegalArgumentException("ZooEncoder.backbone must be one of " + List.of(ZooBackbone.values())
                    + " but was null");
        }
        if (weights == null) {
            throw new IllegalArgumentException("ZooEncoder.weights must be set (Weights.random(), Weights.imagenet()"
                    + " or Weights.file(path)) but was null");
        }
    }

    /** The backbone with random initial weights. */
    public static ZooEncoder random(ZooBackbone backbone) {
        return new ZooEncoder(backbone, Weights.random());
    }

    /** The backbone with the zoo's ImageNet weights from DL4J's cache directory. */
    public static ZooEncoder imagenet(ZooBackbone backbone) {
        return new ZooEncoder(backbone, Weights.imagenet());
    }

    /** The zoo's layers as they are ({@link BlockLayers#STOCK}). */
    @Override
    public EncoderSpec addTo(GraphBuilder graph, String inputVertex, ImageShape input) {
        return addTo(graph, inputVertex, input, BlockLayers.STOCK);
    }

    /**
     * With {@link BlockLayers#FUSED}, every {@code ConvolutionLayer -> BatchNormalization [-> ActivationLayer]}
     * chain of the zoo graph becomes one {@code ConvNormActivation} named after the chain's last vertex (see
     * {@link ConvBatchNormChains}); the taps keep their names.
     */
    @Override
    public EncoderSpec addTo(GraphBuilder graph, String inputVertex, ImageShape input, BlockLayers layers) {
        GraphSource zoo = GraphSource.of(backbone.zooConfiguration(input.channels()));
        EncoderSpec spec = new EncoderSpec(backbone.skips(), backbone.bottleneck());
        List<String> taps = spec.skips().stream().map(SkipTap::vertexName).toList();
        for (String tap : taps) {
            if (!zoo.vertices().containsKey(tap)) {
                throw new IllegalArgumentException(backbone + " declares skip vertex '" + tap + "', which its zoo graph"
                        + " does not have; its vertices are: " + zoo.vertices().keySet());
            }
        }
        GraphCopy.copy(zoo, List.of(backbone.bottleneck().vertexName()), graph, inputVertex,
                LayerDefaults.USE_UNET_UPDATER_AND_INIT, backbone::adapt, fusions(zoo, layers));
        return spec;
    }

    /**
     * The chains that {@code layers} replaces by fused blocks in this encoder, keyed by the fused vertex's name
     * (empty for {@link BlockLayers#STOCK}): what {@code PretrainedWeights} needs to map the zoo's parameters.
     */
    public Map<String, ConvBatchNormChains.Chain> fusedChains(BlockLayers layers) {
        return fusions(GraphSource.of(backbone.zooConfiguration(backbone.pretrainedChannels())), layers).chains();
    }

    /**
     * What {@code layers} fuses: nothing for {@link BlockLayers#STOCK}; for {@link BlockLayers#FUSED} every
     * conv-norm-activation chain and every residual join ({@code ResidualActivation}, overwriting the residual
     * branch's fused block in training).
     */
    private Fusions fusions(GraphSource zoo, BlockLayers layers) {
        return switch (layers) {
            case STOCK -> Fusions.NONE;
            case FUSED -> {
                Set<String> taps = new HashSet<>();
                backbone.skips().forEach(tap -> taps.add(tap.vertexName()));
                taps.add(backbone.bottleneck().vertexName());
                List<String> vertices = zoo.ancestorsOf(List.of(backbone.bottleneck().vertexName()));
                Map<String, ConvBatchNormChains.Chain> chains = ConvBatchNormChains.find(zoo, vertices, taps);
                yield new Fusions(chains, ResidualJoins.find(zoo, vertices, taps, chains));
            }
        };
    }

    @Override
    public InputNormalization inputNormalization() {
        return backbone.inputNormalization();
    }

    /**
     * Any count, with pretrained weights too: the file's 3-channel (RGB) first convolution is adapted to another
     * count as timm's {@code adapt_input_conv} does (see {@code PretrainedWeights.copyParameters}); every other layer
     * is checked shape by shape when it is copied.
     */
    @Override
    public int requiredInputChannels() {
        return 0;
    }

    @Override
    public String toString() {
        return backbone + (weights.pretrained() ? " (" + weights + ")" : "");
    }
}
