package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A labels mask {@code [N, 1, H, W]} (ignored mask values, as PyTorch's {@code ignore_index}) reaches every
 * segmentation head and loss of a built U-Net: what the labels say at a masked pixel changes neither the score nor
 * the gradient, while without the mask it changes both.
 */
class UNetLabelsMaskTest {

    private static final int BATCH = 2;
    private static final int SIZE = 16;

    static Stream<Arguments> headsAndLosses() {
        List<Arguments> softmax = List.of(
                Arguments.of(new HeadActivation.Softmax(), new Loss.HeadDefault(), 3),
                Arguments.of(new HeadActivation.Softmax(), new Loss.Dice(List.of()), 3),
                Arguments.of(new HeadActivation.Softmax(), new Loss.Focal(2.0, List.of()), 3),
                Arguments.of(new HeadActivation.Softmax(), new Loss.CrossEntropyDice(1.0, 1.0, List.of()), 3),
                Arguments.of(new HeadActivation.Softmax(), new Loss.Tversky(0.3, 0.7, List.of()), 3),
                Arguments.of(new HeadActivation.Softmax(), new Loss.Lovasz(List.of()), 3),
                Arguments.of(new HeadActivation.Sigmoid(), new Loss.HeadDefault(), 1),
                Arguments.of(new HeadActivation.Sigmoid(), new Loss.Dice(List.of()), 1));
        return Stream.of(BlockLayers.values()).flatMap(layers -> softmax.stream()
                .map(row -> Arguments.of(row.get()[0], row.get()[1], row.get()[2], layers)));
    }

    @ParameterizedTest(name = "{0} + {1}, {2} outputs, {3}")
    @MethodSource("headsAndLosses")
    void labelsUnderTheMaskChangeNeitherScoreNorGradient(HeadActivation head, Loss loss, int outputs,
                                                         BlockLayers layers) {
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                .input(new ImageShape(3, SIZE, SIZE)).numClasses(outputs).head(head).loss(loss).layers(layers)
                .build());
        Nd4j.getRandom().setSeed(7);
        INDArray features = Nd4j.rand(DataType.FLOAT, BATCH, 3, SIZE, SIZE);
        INDArray mask = Nd4j.rand(DataType.FLOAT, BATCH, 1, SIZE, SIZE).gt(0.3).castTo(DataType.FLOAT);
        INDArray labels = labels(outputs, Nd4j.rand(DataType.FLOAT, BATCH, 1, SIZE, SIZE));
        // Other labels where the mask is 0, the same where it is 1.
        INDArray otherLabels = labels.mul(mask).add(labels(outputs, Nd4j.rand(DataType.FLOAT, BATCH, 1, SIZE, SIZE))
                .mul(mask.rsub(1)));
        assertThat(otherLabels.equalsWithEps(labels, 1e-6)).as("the labels differ under the mask").isFalse();

        Step masked = step(unet.graph(), features, labels, mask);
        Step maskedOther = step(unet.graph(), features, otherLabels, mask);
        assertThat(maskedOther.score()).isCloseTo(masked.score(), within(1e-6));
        assertThat(maskedOther.gradient().equalsWithEps(masked.gradient(), 1e-6)).isTrue();

        Step unmasked = step(unet.graph(), features, labels, null);
        Step unmaskedOther = step(unet.graph(), features, otherLabels, null);
        assertThat(unmaskedOther.gradient().equalsWithEps(unmasked.gradient(), 1e-6))
                .as("without the mask the same labels do change the gradient").isFalse();
    }

    /** One-hot labels of random classes for {@code outputs > 1}, else 0/1. */
    private static INDArray labels(int outputs, INDArray uniform) {
        if (outputs == 1) {
            return uniform.gt(0.5).castTo(DataType.FLOAT);
        }
        INDArray classIds = uniform.mul(outputs).castTo(DataType.INT32).castTo(DataType.FLOAT);
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, BATCH, outputs, SIZE, SIZE);
        for (int k = 0; k < outputs; k++) {
            oneHot.get(all(), interval(k, k + 1)).assign(classIds.eq(k).castTo(DataType.FLOAT));
        }
        return oneHot;
    }

    private record Step(double score, INDArray gradient) {
    }

    private static Step step(ComputationGraph graph, INDArray features, INDArray labels, INDArray mask) {
        graph.setInputs(features);
        graph.setLabels(labels);
        graph.setLayerMaskArrays(null, mask == null ? null : new INDArray[] {mask});
        graph.computeGradientAndScore();
        return new Step(graph.score(), graph.gradient().gradient().dup());
    }
}
