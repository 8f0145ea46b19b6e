package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.loss.FeatureLoss;
import io.github.mdunet.core.loss.MeanL1Loss;
import io.github.mdunet.core.loss.TinyFeatures;
import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Image-to-image U-Nets: the residual head starts close to the identity, the image losses are wired into the graph and
 * learn a toy denoising task, the feature loss's frozen network stays frozen, and the configuration refuses
 * combinations that cannot work.
 */
class UNetImageLossTest extends DoubleOneThreadTestBase {

    @TempDir
    Path directory;

    private static final int SIZE = 16;
    private static final TinyFeatures FEATURES = new TinyFeatures(3, List.of(1.0, 2.0));

    private static UNetConfig.Builder imageToImage() {
        return UNetConfig.builder().encoder(new ClassicEncoder(2, 8, Normalization.NONE))
                .input(new ImageShape(3, SIZE, SIZE)).numClasses(3).normalization(Normalization.NONE)
                .head(new HeadActivation.Residual()).updater(new Adam(3e-3)).dataType(DataType.DOUBLE);
    }

    /** Smooth colour gradients as targets, the same plus noise as inputs. */
    private static DataSet noisyImages(int count, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray targets = Nd4j.create(DataType.DOUBLE, count, 3, SIZE, SIZE);
        for (int n = 0; n < count; n++) {
            for (int c = 0; c < 3; c++) {
                double a = Nd4j.getRandom().nextDouble();
                double b = Nd4j.getRandom().nextDouble() - 0.5;
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        targets.putScalar(new long[] {n, c, y, x}, 0.2 + 0.5 * a + 0.3 * b * (x + y) / SIZE);
                    }
                }
            }
        }
        INDArray inputs = targets.add(Nd4j.randn(DataType.DOUBLE, count, 3, SIZE, SIZE).muli(0.1));
        return new DataSet(inputs, targets);
    }

    private static ILossFunction lossOf(UNet unet) {
        return ((CnnLossLayer) ((LayerVertex) unet.graph().getConfiguration().getVertices().get("output"))
                .getLayerConf().getLayer()).getLossFn();
    }

    @Test
    void aResidualHeadStartsCloseToTheIdentity() {
        UNet unet = UNet.build(imageToImage().build());
        INDArray images = Nd4j.rand(DataType.DOUBLE, 2, 3, SIZE, SIZE);
        INDArray correction = unet.predict(images).sub(images);
        assertThat(org.nd4j.linalg.ops.transforms.Transforms.abs(correction).meanNumber().doubleValue())
                .isGreaterThan(0).isLessThan(0.02);
        assertThat(unet.graph().getConfiguration().getVertices()).containsKey(VertexNames.HEAD_RESIDUAL);
        unet.graph().getLayer(VertexNames.HEAD).getParam("W").assign(0);
        assertThat(unet.predict(images)).as("with a zero head, exactly the input").isEqualTo(images);
    }

    @Test
    void meanL1LossIsWiredAndLearns() {
        UNet unet = UNet.build(imageToImage().loss(new Loss.L1()).build());
        assertThat(lossOf(unet)).isEqualTo(new MeanL1Loss(SIZE * SIZE));
        DataSet train = noisyImages(8, 1);
        double before = unet.graph().score(train);
        for (int step = 0; step < 40; step++) {
            unet.graph().fit(train);
        }
        assertThat(unet.graph().score(train)).isLessThan(0.9 * before);
        assertThat(before).as("the mean absolute error of the noise, 0.1 * sqrt(2 / pi)").isCloseTo(0.08,
                within(0.01));
    }

    @Test
    void featureLossLearnsAndItsNetworkStaysFrozen() {
        UNet unet = UNet.build(imageToImage().loss(new Loss.Perceptual(FEATURES, 1.0, 5.0)).build());
        FeatureLoss loss = (FeatureLoss) lossOf(unet);
        DataSet train = noisyImages(8, 1);
        double before = unet.graph().score(train);
        INDArray frozenBefore = loss.frozenParameters().dup();
        assertThat(frozenBefore).isEqualTo(FEATURES.build(DataType.DOUBLE).params());
        INDArray unetBefore = unet.graph().params().dup();
        for (int step = 0; step < 20; step++) {
            unet.graph().fit(train);
        }
        assertThat(unet.graph().score(train)).isLessThan(0.9 * before);
        assertThat(unet.graph().params()).isNotEqualTo(unetBefore);
        assertThat(loss.frozenParameters()).as("the feature network's parameters").isEqualTo(frozenBefore);
        assertThat(unet.numParams()).as("the feature network is not part of the U-Net")
                .isEqualTo(UNet.build(imageToImage().loss(new Loss.L1()).build()).numParams());
    }

    @Test
    void aModelWithTheFeatureLossSavesAndLoads() throws IOException {
        UNet unet = UNet.build(imageToImage().loss(new Loss.Perceptual(FEATURES, 0.5, 0)).build());
        DataSet train = noisyImages(4, 1);
        unet.graph().fit(train);
        Path file = directory.resolve("unet.zip");
        unet.save(file);
        UNet loaded = UNet.load(file);
        assertThat(loaded.config()).isEqualTo(unet.config());
        assertThat(lossOf(loaded)).isEqualTo(lossOf(unet));
        assertThat(loaded.graph().score(train)).isCloseTo(unet.graph().score(train), within(1e-6));
    }

    @Test
    void refusesCombinationsThatCannotWork() {
        assertThatThrownBy(() -> imageToImage().numClasses(1).build()).hasMessageContaining(
                "numClasses must equal input.channels (3) with a Residual head, which adds the input to the output,"
                        + " but was 1");
        assertThatThrownBy(() -> imageToImage().head(new HeadActivation.Softmax()).loss(new Loss.L1()).build())
                .hasMessageContaining("compares images and needs a regression head (one of Identity, SigmoidRange,"
                        + " Residual) but the head is Softmax[]");
        assertThatThrownBy(() -> imageToImage().loss(new Loss.Dice(List.of())).build())
                .hasMessageContaining("needs a classifying head (one of Softmax, Sigmoid) but the head is Residual[]");
        assertThatThrownBy(() -> imageToImage().head(new HeadActivation.Identity()).numClasses(1)
                .loss(new Loss.Perceptual(FEATURES, 1, 0)).build())
                .hasMessageContaining("numClasses must be 3 (the input channels of the perceptual loss's");
        assertThatThrownBy(() -> new Loss.Perceptual(FEATURES, 1, -2))
                .hasMessageContaining("Perceptual.gramWeight must be a finite number >= 0 but was -2.0");
        assertThatThrownBy(() -> new Loss.Perceptual(null, 1, 0))
                .hasMessageContaining("Perceptual.features must be set");
    }
}
