package io.github.mdunet.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.graph.UNetGraphFactory;
import io.github.mdunet.core.layers.direct.DirectBatchNorm;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.ParameterSnapshot;
import io.github.mdunet.zoo.training.EncoderFreezer;
import io.github.mdunet.zoo.training.FrozenBatchNorm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

/** fastai's freeze, fit, unfreeze, fit on a small user encoder with batch norm and a residual sum. */
class EncoderFreezerTest {

    private static final ImageShape INPUT = new ImageShape(1, 40, 56);

    private static UNet unet() {
        return UNet.build(UNetConfig.builder().encoder(GraphEncoder.discovering(TestGraphs.smallClassifier(1)))
                .input(INPUT).numClasses(2).updater(new Adam(1e-2)).build());
    }

    private static MultiDataSet batch() {
        Nd4j.getRandom().setSeed(3);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 1, INPUT.height(), INPUT.width()).muli(3);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 2, 2, INPUT.height(), INPUT.width());
        labels.get(NDArrayIndex.all(), NDArrayIndex.point(1)).assign(1);
        return new MultiDataSet(images, labels);
    }

    /** fastai's split of a ResNet body (stem, layer1, layer2) and of a VGG body (blocks 1 to 3). */
    @Test
    void theEarlyRateGroupEndsAtTheThirdSkipWhereFastaiSplitsResNetsAndVggs() {
        UNetConfig resNet = UNetConfig.builder().encoder(ZooEncoder.random(ZooBackbone.RESNET50))
                .input(new ImageShape(3, 64, 64)).numClasses(2).build();
        Set<String> early = EncoderFreezer.earlyEncoderVertices(resNet);
        // fused blocks are named after their activation (act3a_branch2a) or batch norm (bn3a_branch1)
        assertThat(early).contains("stem-act1", "stem-maxpool1", "res2a_branch", "act3a_branch2a", "bn3a_branch1",
                "res3d_branch").noneMatch(vertex -> vertex.matches(".*[45][a-f]_branch.*"));
        assertThat(UNetGraphFactory.create(resNet).encoderVertices()).contains("res4a_branch", "res5c_branch");

        UNetConfig vgg = resNet.toBuilder().encoder(ZooEncoder.random(ZooBackbone.VGG16)).build();
        assertThat(EncoderFreezer.earlyEncoderVertices(vgg)).containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5",
                "6", "7", "8");
    }

    @Test
    void frozenEncoderParametersAndBatchNormStatisticsStayWhileTheDecoderTrains() {
        UNet unet = unet();
        Set<String> encoder = UNetGraphFactory.create(unet.config()).encoderVertices();
        assertThat(encoder).containsExactlyInAnyOrder("c1", "bn1", "a1", "pool1", "c2", "bn2", "a2", "c2b", "sum",
                "c3", "a3");

        UNet frozenUNet = EncoderFreezer.freeze(unet);
        assertThat(frozenUNet.config()).isEqualTo(unet.config());
        ComputationGraph frozen = frozenUNet.graph();
        assertThat(frozen.getLayer("bn1")).isInstanceOf(FrozenLayer.class);
        assertThat(frozen.getLayer("dec1_1_conv_bn_act")).isNotInstanceOf(FrozenLayer.class);
        Map<String, INDArray> before = ParameterSnapshot.of(frozen);
        frozen.fit(batch());
        frozen.fit(batch());
        Map<String, INDArray> after = ParameterSnapshot.of(frozen);
        before.forEach((param, value) -> {
            String layer = param.substring(0, param.indexOf('.'));
            if (encoder.contains(layer)) {
                assertThat(after.get(param)).as("frozen " + param).isEqualTo(value);
            }
        });
        assertThat(after.get("bn1.mean")).as("running mean").isEqualTo(before.get("bn1.mean"));
        assertThat(after.get("dec1_1_conv_bn_act.W")).as("decoder trains")
                .isNotEqualTo(before.get("dec1_1_conv_bn_act.W"));
        // the U-Net's own graph is untouched
        assertThat(unet.graph().getLayer("bn1")).isNotInstanceOf(FrozenLayer.class);

        ComputationGraph unfrozen = EncoderFreezer.unfreeze(frozenUNet, 0.1).graph();
        assertThat(ParameterSnapshot.of(unfrozen)).isEqualTo(after);
        BaseLayer conv = (BaseLayer) ((LayerVertex) unfrozen.getConfiguration().getVertices().get("c1"))
                .getLayerConf().getLayer();
        BaseLayer decoder = (BaseLayer) ((LayerVertex) unfrozen.getConfiguration().getVertices()
                .get("dec1_1_conv_bn_act")).getLayerConf().getLayer();
        assertThat(conv.getIUpdater().getLearningRate(0, 0)).isCloseTo(1e-3,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(decoder.getIUpdater().getLearningRate(0, 0)).isEqualTo(1e-2);

        unfrozen.fit(batch());
        Map<String, INDArray> trained = ParameterSnapshot.of(unfrozen);
        assertThat(trained.get("c1.W")).as("unfrozen encoder trains").isNotEqualTo(after.get("c1.W"));
        assertThat(trained.get("bn1.mean")).as("running mean updates again").isNotEqualTo(after.get("bn1.mean"));
    }

    /**
     * A zoo encoder on the fused blocks (TinyYOLO: convolution, batch norm, leaky ReLU) freezes as the stock one does:
     * fused layers wrapped in FrozenLayer keep weights and running statistics while the decoder trains.
     */
    @Test
    void fusedZooEncoderFreezesWithItsRunningStatistics() {
        ImageShape input = new ImageShape(3, 64, 64);
        UNet unet = UNet.build(UNetConfig.builder().encoder(ZooEncoder.random(ZooBackbone.TINY_YOLO)).input(input)
                .numClasses(2).decoderChannels(List.of(16, 8, 8, 8, 8)).midChannelScale(0.0625)
                .updater(new Adam(1e-2)).layers(BlockLayers.FUSED).build());
        Set<String> encoder = UNetGraphFactory.create(unet.config()).encoderVertices();
        assertThat(encoder).contains("activation_1").doesNotContain("convolution2d_1", "batchnormalization_1");
        UNet frozenUNet = EncoderFreezer.freeze(unet);
        ComputationGraph frozen = frozenUNet.graph();
        assertThat(frozen.getLayer("activation_1")).isInstanceOf(FrozenLayer.class);
        assertThat(((FrozenLayer) frozen.getLayer("activation_1")).getInsideLayer().conf().getLayer())
                .isInstanceOf(io.github.mdunet.core.layers.direct.ConvNormActivation.class);
        Map<String, INDArray> before = ParameterSnapshot.of(frozen);
        Nd4j.getRandom().setSeed(4);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 2, 2, 64, 64);
        labels.get(NDArrayIndex.all(), NDArrayIndex.point(1)).assign(1);
        frozen.fit(new MultiDataSet(images, labels));
        frozen.fit(new MultiDataSet(images, labels));
        Map<String, INDArray> after = ParameterSnapshot.of(frozen);
        before.forEach((param, value) -> {
            String layer = param.substring(0, param.indexOf('.'));
            if (encoder.contains(layer)) {
                assertThat(after.get(param)).as("frozen " + param).isEqualTo(value);
            }
        });
        assertThat(after.get("activation_1.mean")).isEqualTo(before.get("activation_1.mean"));
        assertThat(after.get("dec1_1_conv_bn_act.W")).as("decoder trains")
                .isNotEqualTo(before.get("dec1_1_conv_bn_act.W"));

        ComputationGraph unfrozen = EncoderFreezer.unfreeze(frozenUNet, 0.1).graph();
        unfrozen.fit(new MultiDataSet(images, labels));
        Map<String, INDArray> trained = ParameterSnapshot.of(unfrozen);
        assertThat(trained.get("activation_1.W")).as("unfrozen encoder trains")
                .isNotEqualTo(after.get("activation_1.W"));
        assertThat(trained.get("activation_1.mean")).as("running mean updates again")
                .isNotEqualTo(after.get("activation_1.mean"));
    }

    /**
     * A FUSED U-Net saved before its standalone batch norms became {@code DirectBatchNorm} holds DL4J's stock layer
     * there, with the running variance stored as {@code log10stdev}; unfreezing it (and freezing it with trained batch
     * norms), which rebuild the graph from the configuration, take that variance as a variance.
     */
    @Test
    void aFusedUNetSavedWithStockStandaloneBatchNormsUnfreezesWithItsRunningVariance(@TempDir Path directory)
            throws IOException {
        UNet current = UNet.build(UNetConfig.builder().encoder(GraphEncoder.discovering(TestGraphs.smallClassifier(1)))
                .input(INPUT).numClasses(2).updater(new Adam(1e-2)).layers(BlockLayers.FUSED).build());
        ComputationGraphConfiguration earlier = current.graph().getConfiguration().clone();
        List<String> standalone = new ArrayList<>();
        earlier.getVertices().forEach((name, vertex) -> {
            if (vertex instanceof LayerVertex layerVertex
                    && layerVertex.getLayerConf().getLayer() instanceof DirectBatchNorm direct) {
                layerVertex.getLayerConf().setLayer(new BatchNormalization.Builder().nIn(direct.getNIn())
                        .nOut(direct.getNOut()).updater(direct.getIUpdater()).name(name).build());
                layerVertex.getLayerConf().variables(false).clear(); // init lists the stock layer's parameters
                standalone.add(name);
            }
        });
        assertThat(standalone).as("standalone batch norms of a FUSED U-Net").contains("dec1_skip_bn");
        ComputationGraph earlierGraph = new ComputationGraph(earlier);
        earlierGraph.init();
        Nd4j.getRandom().setSeed(5);
        for (String name : current.graph().getConfiguration().getVertices().keySet()) {
            if (current.graph().getLayer(name) != null && !standalone.contains(name)) {
                earlierGraph.getLayer(name).setParams(current.graph().getLayer(name).params());
            }
        }
        Map<String, INDArray> variances = new HashMap<>();
        for (String name : standalone) {
            var layer = earlierGraph.getLayer(name);
            INDArray variance = Nd4j.rand(DataType.FLOAT, layer.getParam("log10stdev").shape()).addi(0.5);
            variances.put(name, variance);
            layer.setParam("log10stdev", Transforms.log(variance, 10.0, true).muli(0.5));
            for (String key : List.of("gamma", "beta", "mean")) {
                layer.setParam(key, Nd4j.rand(DataType.FLOAT, layer.getParam(key).shape()).subi(0.5));
            }
        }
        Path file = directory.resolve("earlier.zip");
        current.withGraph(earlierGraph).save(file);
        UNet loaded = UNet.load(file);
        assertThat(loaded.graph().getLayer("dec1_skip_bn").conf().getLayer())
                .isNotInstanceOf(DirectBatchNorm.class);

        for (UNet rebuilt : List.of(EncoderFreezer.unfreeze(loaded, 0.1),
                EncoderFreezer.freeze(loaded, FrozenBatchNorm.TRAINED))) {
            for (String name : standalone) {
                assertThat(rebuilt.graph().getLayer(name).conf().getLayer()).isInstanceOf(DirectBatchNorm.class);
                assertThat(rebuilt.graph().getLayer(name).getParam("var").equalsWithEps(variances.get(name), 1e-5))
                        .as("running variance of " + name).isTrue();
                for (String key : List.of("gamma", "beta", "mean")) {
                    assertThat(rebuilt.graph().getLayer(name).getParam(key)).as(name + "." + key)
                            .isEqualTo(earlierGraph.getLayer(name).getParam(key));
                }
            }
            rebuilt.graph().fit(batch());
        }
    }

    /**
     * A trained graph of another U-Net is refused, and the graph built to take its parameters is closed, not left
     * holding native memory until the garbage collector finds it.
     */
    @Test
    void theGraphBuiltForAnotherUNetsParametersIsClosed() {
        UNet unet = unet();
        UNet other = UNet.build(unet.config().toBuilder().numClasses(3).build());
        long parameters = unet.numParams();
        assertThat(UnclosedBuffers.leftBy(() -> assertThatThrownBy(() -> EncoderFreezer.unfreeze(unet, other.graph(),
                0.1)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("the trained graph is not a graph of this U-Net")))
                .as("open buffers of the %d parameters", parameters)
                .noneMatch(buffer -> buffer.length() == parameters);
    }
}
