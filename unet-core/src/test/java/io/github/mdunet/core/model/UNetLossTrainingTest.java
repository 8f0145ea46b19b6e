package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;
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
}
