package io.github.mdunet.zoo.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.loss.FeatureLoss;
import io.github.mdunet.core.model.StableNameMigration;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.LossNumericGradient;
import io.github.mdunet.zoo.Weights;
import io.github.mdunet.zoo.ZooBackbone;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The VGG16 feature maps of the perceptual loss: fastai's layers, their shapes, the loss's gradient through the
 * random-weight network against finite differences in double precision, the network staying frozen while a U-Net
 * trains, and weights read from a file.
 */
class Vgg16FeaturesTest {

    @TempDir
    Path directory;

    @AfterEach
    void restoreResourcesDirectory() {
        DL4JResources.resetBaseDirectoryLocation();
    }

    /**
     * fastai's lesson taps {@code blocks[2:5]} of {@code vgg16_bn}, {@code blocks} being the layers just before each
     * max pool: the ReLUs before pools 3, 4 and 5 ({@code relu3_3}, {@code relu4_3}, {@code relu5_3}). In the zoo's
     * VGG16 each convolution carries its ReLU, so the taps are the convolutions that the third to fifth max pools read.
     * An earlier version tapped those before pools 2 to 4 ("4", "8", "12"), which is not fastai's loss (found by
     * review): this pins the taps to the zoo's graph, not to a list typed twice.
     */
    @Test
    void tapsTheReluBeforePoolsThreeToFiveAsFastaisLesson() {
        ComputationGraphConfiguration zoo = ZooBackbone.VGG16.zooConfiguration(3);
        List<String> beforeMaxPools = zoo.getVertices().keySet().stream()
                .filter(name -> name.matches("\\d+")).sorted(Comparator.comparingInt(Integer::parseInt))
                .filter(name -> layerOf(zoo, name) instanceof SubsamplingLayer pool
                        && pool.getPoolingType() == PoolingType.MAX)
                .map(pool -> zoo.getVertexInputs().get(pool).get(0)).toList();
        assertThat(beforeMaxPools).containsExactly("1", "4", "8", "12", "16");
        assertThat(Vgg16Features.TAPPED_VERTICES).isEqualTo(beforeMaxPools.subList(2, 5));
        for (String tap : Vgg16Features.TAPPED_VERTICES) {
            assertThat(layerOf(zoo, tap)).as("vertex %s", tap).isInstanceOf(ConvolutionLayer.class);
            assertThat(((ConvolutionLayer) layerOf(zoo, tap)).getActivationFn()).as("vertex %s", tap)
                    .isInstanceOf(ActivationReLU.class);
        }
        assertThat(Vgg16Features.OUTPUTS).containsExactly("relu3_3", "relu4_3", "relu5_3");
        assertThat(Vgg16Features.FASTAI_LAYER_WEIGHTS).containsExactly(5.0, 15.0, 2.0);
    }

    private static org.deeplearning4j.nn.conf.layers.Layer layerOf(ComputationGraphConfiguration graph,
                                                                   String vertex) {
        return graph.getVertices().get(vertex) instanceof LayerVertex layer ? layer.getLayerConf().getLayer() : null;
    }

    @Test
    void mapsBeforePoolsThreeToFiveOnANonSquareImage() throws IOException {
        ComputationGraph graph = Vgg16Features.fastai(Weights.random()).build(DataType.FLOAT);
        INDArray[] maps = graph.output(Nd4j.rand(DataType.FLOAT, 2, 3, 24, 40));
        assertThat(maps).hasSize(3);
        assertThat(maps[0].shape()).containsExactly(2, 256, 6, 10);
        assertThat(maps[1].shape()).containsExactly(2, 512, 3, 5);
        assertThat(maps[2].shape()).containsExactly(2, 512, 1, 2);
        assertThat(maps[2].minNumber().doubleValue()).as("after the ReLU").isGreaterThanOrEqualTo(0);
        assertThat(graph.params()).as("the seed decides the random weights")
                .isEqualTo(Vgg16Features.fastai(Weights.random()).build(DataType.FLOAT).params());
    }

    @Test
    void gradientThroughTheNetworkMatchesCentralDifferences() {
        int size = 16;
        int pixels = size * size;
        FeatureLoss loss = new FeatureLoss(new Vgg16Features(Weights.random(), List.of(5.0, 15.0, 2.0), 3),
                InputNormalization.UNIT_RANGE, 1.0, 50.0, size, size);
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            Nd4j.getRandom().setSeed(11);
            INDArray labels = Nd4j.rand(DataType.DOUBLE, pixels, 3);
            INDArray output = Nd4j.rand(DataType.DOUBLE, pixels, 3);
            ActivationIdentity identity = new ActivationIdentity();
            INDArray gradient = loss.computeGradient(labels, output, identity, null);
            Random random = new Random(4);
            double epsilon = 1e-6;
            for (int check = 0; check < 8; check++) {
                int row = random.nextInt(pixels);
                int channel = random.nextInt(3);
                double numeric = LossNumericGradient.centralDifference(loss, labels, output, identity, row, channel,
                        epsilon);
                assertThat(gradient.getDouble(row, channel)).as("d loss / d output[%d, %d]", row, channel)
                        .isCloseTo(numeric, within(1e-4 * Math.max(1e-3, Math.abs(numeric))));
            }
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    @Test
    void theNetworkStaysFrozenWhileTheUNetTrains() throws IOException {
        Vgg16Features features = Vgg16Features.fastai(Weights.random());
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 4, Normalization.NONE))
                .input(new ImageShape(3, 16, 16)).numClasses(3).normalization(Normalization.NONE)
                .head(new HeadActivation.Residual()).loss(new Loss.Perceptual(features, 1, 0))
                .updater(new Adam(1e-2)).build());
        FeatureLoss loss = (FeatureLoss) ((CnnLossLayer) ((LayerVertex) unet.graph().getConfiguration()
                .getVertices().get("output")).getLayerConf().getLayer()).getLossFn();
        Nd4j.getRandom().setSeed(2);
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16), Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16));
        INDArray unetBefore = unet.graph().params().dup();
        unet.graph().fit(batch);
        INDArray frozen = loss.frozenParameters().dup();
        assertThat(frozen).isEqualTo(features.build(DataType.FLOAT).params());
        unet.graph().fit(batch);
        assertThat(loss.frozenParameters()).isEqualTo(frozen);
        assertThat(unet.graph().params()).isNotEqualTo(unetBefore);

        Path file = directory.resolve("unet.zip");
        unet.save(file);
        assertThat(UNet.load(file).config()).isEqualTo(unet.config());
    }

    @Test
    void weightsComeFromAFileWhenAskedFor() throws IOException {
        ComputationGraph standIn = new Vgg16Features(Weights.random(), List.of(1.0, 1.0, 1.0), 99)
                .build(DataType.FLOAT);
        Path file = directory.resolve("vgg16-features.zip");
        ModelSerializer.writeModel(standIn, file.toFile(), false);
        ComputationGraph loaded = new Vgg16Features(Weights.ownFile(file.toString()), List.of(1.0, 1.0, 1.0), 5)
                .build(DataType.FLOAT);
        assertThat(loaded.params()).isEqualTo(standIn.params());

        DL4JResources.setBaseDirectory(directory.toFile());
        assertThatThrownBy(() -> Vgg16Features.fastai(Weights.imagenet()).build(DataType.FLOAT))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("VGG16 IMAGENET weights not found")
                .hasMessageContaining("vgg16_dl4j_inference.zip");
    }

    @Test
    void refusesLayerWeightsThatDoNotFit() {
        assertThatThrownBy(() -> new Vgg16Features(Weights.random(), List.of(1.0, 2.0), 1))
                .hasMessageContaining("one weight per map [relu3_3, relu4_3, relu5_3] but has 2");
        assertThatThrownBy(() -> new Vgg16Features(Weights.random(), List.of(1.0, -2.0, 1.0), 1))
                .hasMessageContaining("layerWeights[1] must be a finite number >= 0 but was -2.0");
    }

    @Test
    void isSavedAsVgg16AndAFormatFourFileWithItsClassNameIsMigrated() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Loss.Perceptual loss = new Loss.Perceptual(new Vgg16Features(Weights.random(), List.of(5.0, 15.0, 2.0), 4),
                1.0, 0);
        ObjectNode config = json.createObjectNode();
        config.set("loss", json.valueToTree(loss));
        assertThat(config.get("loss").get("features").get("type").asText()).isEqualTo("vgg16");
        // The taps are not saved: a file saved when they were the maps before pools 2-4 reads as one saved now.
        assertThat(config.get("loss").get("features").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("type", "weights", "layerWeights", "seed");
        assertThat(json.treeToValue(config.get("loss"), Loss.class)).isEqualTo(loss);

        ObjectNode features = (ObjectNode) config.get("loss").get("features");
        features.remove("type");
        features.put("@class", Vgg16Features.class.getName());
        new StableNameMigration().upgrade(4, config);
        assertThat(features.get("type").asText()).isEqualTo("vgg16");
        assertThat(features.has("@class")).isFalse();
    }
}
