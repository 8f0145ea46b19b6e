package io.github.mdunet.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.optim.TorchAdam;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The copies that workers and executors make of a U-Net: ParallelWrapper and ParallelInference rebuild each worker's
 * graph from the configuration's JSON, Spark ships the configuration with Java (or Kryo) serialisation. Every custom
 * layer (sub-pixel convolution with ICNR and blur, pixel shuffle, bilinear resize, self-attention, attention gate),
 * the TorchAdam updater and the per-pixel losses must come back equal, with non-default values, and compute the same;
 * on both layer paths ({@link BlockLayers#FUSED}'s direct layers and {@link BlockLayers#STOCK}'s SameDiff layers).
 */
class ReplicaTest {

    /** The default path: fused conv-norm-activation blocks, direct batch norm, pixel shuffle, blur and resize. */
    @Nested
    class Fused extends Contract {
        Fused() {
            super(BlockLayers.FUSED, "ConvNormActivation", "DirectBatchNorm", "DirectBlur",
                    "DirectBilinearResize", "SelfAttention", "AttentionGate");
        }
    }

    /** DL4J's stock layers and the SameDiff layers. */
    @Nested
    class Stock extends Contract {
        Stock() {
            super(BlockLayers.STOCK, "SubPixelConvolution", "BilinearResize", "SelfAttention", "AttentionGate");
        }
    }

    /** The checks, for one layer path and the custom layers its graph must hold. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Contract {

        private final BlockLayers layers;
        private final List<String> customLayers;
        private UNet unet;
        private INDArray input;

        Contract(BlockLayers layers, String... customLayers) {
            this.layers = layers;
            this.customLayers = List.of(customLayers);
        }

        @BeforeAll
        void build() {
            unet = UNet.build(UNetConfig.builder()
                    .layers(layers)
                    .encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                    .input(new ImageShape(3, 34, 42)) // not a multiple of the stride: the decoder resizes
                    .numClasses(3)
                    .upsample(new UpsampleMode.PixelShuffle(true))
                    .midAttention(true)
                    .attentionGates(1)
                    .lastCross(true)
                    .loss(new Loss.CrossEntropyDice(0.7, 0.3, List.of(1.0, 2.0, 3.0)))
                    .updater(new TorchAdam(2.5e-3, 0.85, 0.995, 1e-7))
                    .seed(5)
                    .build());
            unet.graph().fit(new org.nd4j.linalg.dataset.DataSet(Nd4j.rand(DataType.FLOAT, 2, 3, 34, 42),
                    oneHot(2, 3, 34, 42)));
            input = Nd4j.rand(DataType.FLOAT, 2, 3, 34, 42);
        }

        private static INDArray oneHot(int n, int classes, int height, int width) {
            INDArray labels = Nd4j.zeros(DataType.FLOAT, n, classes, height, width);
            for (int i = 0; i < n; i++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        labels.putScalar(new int[] {i, (x + y) % classes, y, x}, 1f);
                    }
                }
            }
            return labels;
        }

        @Test
        void theGraphUsesEveryCustomLayer() {
            List<String> layerClasses = unet.graph().getConfiguration().getVertices().values().stream()
                    .map(vertex -> vertex instanceof org.deeplearning4j.nn.conf.graph.LayerVertex layer
                            ? layer.getLayerConf().getLayer().getClass().getSimpleName() : "")
                    .toList();
            assertThat(layerClasses).containsAll(customLayers);
        }

        @Test
        void aWorkerCopyRebuiltFromJsonIsEqualAndComputesTheSame() {
            ComputationGraphConfiguration original = unet.graph().getConfiguration();
            ComputationGraphConfiguration copy = ComputationGraphConfiguration.fromJson(original.toJson());
            assertThat(copy).isEqualTo(original);
            assertThat(copy.toJson()).isEqualTo(original.toJson());
            assertSameOutput(replica(copy));
        }

        @Test
        void aCopyShippedWithJavaSerialisationIsEqualAndComputesTheSame() throws Exception {
            ComputationGraphConfiguration copy = javaRoundTrip(unet.graph().getConfiguration());
            assertThat(copy).isEqualTo(unet.graph().getConfiguration());
            assertThat(copy.toJson()).isEqualTo(unet.graph().getConfiguration().toJson());
            assertSameOutput(replica(copy));
        }

        @Test
        void theUpdaterAndTheLossSurviveJavaSerialisationWithTheirValues() throws Exception {
            var layers = unet.graph().getConfiguration().getVertices().values().stream()
                    .filter(v -> v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex)
                    .map(v -> ((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getLayerConf().getLayer()).toList();
            var updater = layers.stream().map(layer -> layer.getUpdaterByParam("W")).filter(u -> u != null)
                    .findFirst().orElseThrow();
            assertThat(updater).isInstanceOf(TorchAdam.class);
            assertThat(javaRoundTrip(updater)).isEqualTo(updater);
            var output = (CnnLossLayer) layers.stream().filter(layer -> layer instanceof CnnLossLayer)
                    .findFirst().orElseThrow();
            var loss = output.getLossFn();
            assertThat(loss.getClass().getName()).startsWith("io.github.mdunet.core.loss.");
            assertThat(javaRoundTrip(loss)).isEqualTo(loss);
            assertThat(javaRoundTrip(loss).toString()).isEqualTo(loss.toString());
        }

        @Test
        void clonedGraphsComputeTheSame() {
            assertSameOutput(unet.graph().clone());
        }

        /** As DL4J's DefaultTrainer builds a worker: the configuration, then the original's parameters and updater. */
        private ComputationGraph replica(ComputationGraphConfiguration configuration) {
            ComputationGraph graph = new ComputationGraph(configuration);
            graph.init();
            graph.setParams(unet.graph().params().dup());
            graph.getUpdater().setStateViewArray(unet.graph().getUpdater().getStateViewArray().dup());
            return graph;
        }

        private void assertSameOutput(ComputationGraph replica) {
            INDArray expected = unet.graph().outputSingle(false, input);
            INDArray actual = replica.outputSingle(false, input);
            assertThat(actual.equalsWithEps(expected, 1e-6)).as("replica output equals the original's").isTrue();
            assertThat(replica.getUpdater().getStateViewArray().equalsWithEps(
                    unet.graph().getUpdater().getStateViewArray(), 0)).isTrue();
        }

        @SuppressWarnings("unchecked")
        private static <T> T javaRoundTrip(T value) throws IOException, ClassNotFoundException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        }
    }
}
