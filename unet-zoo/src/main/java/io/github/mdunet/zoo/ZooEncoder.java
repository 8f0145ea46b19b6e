package io.github.mdunet.zoo;

import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.encoder.ImageShape;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.encoder.SkipTap;
import io.github.mdunet.zoo.graph.GraphCopy;
import io.github.mdunet.zoo.graph.GraphSource;
import io.github.mdunet.zoo.graph.LayerDefaults;
import io.github.mdunet.zoo.pretrained.Weights;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * A DL4J zoo model without its classification head, as a U-Net encoder.
 *
 * <p>Tensor contract: reads {@code [N, C, H, W]} (C = 3 with pretrained weights, any C from scratch) for any H and W
 * of at least the backbone's total stride, square or not; the skips are the backbone's declared taps. The zoo's
 * vertices are copied by name (its input renamed to the U-Net's), so pretrained weights are matched by vertex name;
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

    @Override
    public EncoderSpec addTo(GraphBuilder graph, String inputVertex, ImageShape input) {
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
                LayerDefaults.USE_UNET_UPDATER_AND_INIT, backbone::adapt);
        return spec;
    }

    @Override
    public InputNormalization inputNormalization() {
        return backbone.inputNormalization();
    }

    @Override
    public int requiredInputChannels() {
        return weights.pretrained() ? backbone.pretrainedChannels() : 0;
    }

    @Override
    public String toString() {
        return backbone + (weights.pretrained() ? " (" + weights + ")" : "");
    }
}
