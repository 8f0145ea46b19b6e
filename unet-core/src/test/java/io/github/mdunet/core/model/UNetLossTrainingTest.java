package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.loss.CrossEntropyDiceLoss;
import io.github.mdunet.core.loss.DiceLoss;
import io.github.mdunet.core.loss.FocalLoss;
import io.github.mdunet.core.loss.LovaszLoss;
import io.github.mdunet.core.loss.TverskyLoss;
import io.github.mdunet.core.testing.BrightShapes;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/** Each configured loss is the one in the graph, and a U-Net trained with it learns the bright shapes. */
class UNetLossTrainingTest {

    static Stream<Arguments> losses() {
        return Stream.of(Arguments.of(new Loss.Dice(List.of()), DiceLoss.class),
                Arguments.of(new Loss.Focal(2, List.of(0.5, 1.0)), FocalLoss.class),
                Arguments.of(new Loss.CrossEntropyDice(1, 1, List.of()), CrossEntropyDiceLoss.class),
                Arguments.of(new Loss.Tversky(0.3, 0.7, List.of()), TverskyLoss.class),
                Arguments.of(new Loss.Lovasz(List.of()), LovaszLoss.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void lossIsWiredAndLearns(Loss loss, Class<?> lossClass) {
        DataSet train = BrightShapes.generate(16, 32, 1);
        DataSet validation = BrightShapes.generate(8, 32, 2);
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(2, 8, Normalization.BATCH))
                .input(new ImageShape(1, 32, 32)).numClasses(2).loss(loss).updater(new Adam(1e-2)).build());
        CnnLossLayer output = (CnnLossLayer) ((LayerVertex) unet.graph().getConfiguration().getVertices()
                .get("output")).getLayerConf().getLayer();
        // per-pixel losses are averaged over the pixels by PixelMeanLoss
        var wired = output.getLossFn() instanceof io.github.mdunet.core.loss.PixelMeanLoss mean
                ? mean.getPerPixel() : output.getLossFn();
        assertThat(wired).isInstanceOf(lossClass);
        for (int step = 0; step < 60; step++) {
            unet.graph().fit(train);
        }
        assertThat(BrightShapes.foregroundIoU(unet.predict(validation.getFeatures()), validation.getLabels()))
                .isGreaterThan(0.7);
    }

    /** A one-channel sigmoid head trained with the Lovasz hinge on its logits learns the shapes too. */
    @Test
    void aSigmoidHeadLearnsWithTheLovaszHinge() {
        DataSet train = foregroundOnly(BrightShapes.generate(16, 32, 1));
        DataSet validation = foregroundOnly(BrightShapes.generate(8, 32, 2));
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(2, 8, Normalization.BATCH))
                .input(new ImageShape(1, 32, 32)).numClasses(1).head(new HeadActivation.Sigmoid())
                .loss(new Loss.Lovasz(List.of())).updater(new Adam(1e-2)).build());
        for (int step = 0; step < 60; step++) {
            unet.graph().fit(train);
        }
        INDArray predicted = unet.predict(validation.getFeatures()).gt(0.5).castTo(DataType.DOUBLE);
        INDArray truth = validation.getLabels().gt(0.5).castTo(DataType.DOUBLE);
        double intersection = predicted.mul(truth).sumNumber().doubleValue();
        double union = predicted.add(truth).gt(0).castTo(DataType.DOUBLE).sumNumber().doubleValue();
        assertThat(intersection / union).isGreaterThan(0.7);
    }

    /** The shape channel of the one-hot labels: a sigmoid head's 0/1 masks {@code [N, 1, H, W]}. */
    private static DataSet foregroundOnly(DataSet oneHot) {
        INDArray labels = oneHot.getLabels().get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2)).dup();
        return new DataSet(oneHot.getFeatures(), labels);
    }
}
