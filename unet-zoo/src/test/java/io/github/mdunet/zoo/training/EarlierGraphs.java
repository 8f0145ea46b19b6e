package io.github.mdunet.zoo.training;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.zoo.Weights;
import io.github.mdunet.zoo.ZooBackbone;
import io.github.mdunet.zoo.ZooEncoder;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Graphs of a small fused ResNet U-Net as files of earlier versions hold them: the tests' shared fixture. */
final class EarlierGraphs {

    private EarlierGraphs() {
    }

    /** DL4J's ResNet50 layout with random weights, 64 x 64, 2 classes, a narrow decoder, on the fused blocks. */
    static UNet fusedResNetUNet() {
        return UNet.build(UNetConfig.builder().encoder(new ZooEncoder(ZooBackbone.RESNET50_DL4J, Weights.random()))
                .input(new ImageShape(3, 64, 64)).numClasses(2).decoderChannels(List.of(16, 16, 8, 8, 8))
                .midChannelScale(0.0625).layers(BlockLayers.FUSED).build());
    }

    /** A graph of {@code earlier} (a configuration of an earlier version) holding {@code unet}'s parameters. */
    static ComputationGraph withParametersOf(UNet unet, ComputationGraphConfiguration earlier) {
        ComputationGraph graph = new ComputationGraph(earlier);
        graph.init();
        unet.graph().paramTable().forEach((key, value) -> graph.paramTable().get(key).assign(value));
        return graph;
    }
}
