package io.github.mdunet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import io.github.mdunet.core.testing.LossGraphs;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * DL4J's own gradient check on {@code input [2, 2, 3, 4] -> 3x3 convolution (K channels) -> CnnLossLayer(loss)}:
 * the loss's gradient, reshaped back to NCHW by the layer and divided by the minibatch size by the updater, must
 * match finite differences of the network score through the convolution's weights.
 */
class LossGraphGradientCheckTest extends DoubleOneThreadTestBase {

    private static final int BATCH = 2;
    private static final int IN_CHANNELS = 2;
    private static final int HEIGHT = 3;
    private static final int WIDTH = 4;
    private static final int PIXELS = HEIGHT * WIDTH;

    static Stream<Arguments> losses() {
        return Stream.of(
                Arguments.of(new DiceLoss(new double[] {1.0, 2.0, 0.5}, 1.0, PIXELS), Activation.SOFTMAX, 3, false),
                Arguments.of(new DiceLoss(), Activation.SIGMOID, 1, true),
                Arguments.of(new TverskyLoss(new double[] {1.0, 2.0, 0.5}, 0.3, 0.7, 1.0, PIXELS), Activation.SOFTMAX,
                        3, true),
                Arguments.of(new TverskyLoss(null, 0.6, 0.2, 0.5, 0), Activation.SIGMOID, 1, false),
                Arguments.of(new FocalLoss(2.0, null, new double[] {0.25, 1.0, 2.0}), Activation.SOFTMAX, 3, true),
                Arguments.of(new FocalLoss(2.0, 0.25, null), Activation.SIGMOID, 1, false),
                Arguments.of(new CrossEntropyDiceLoss(1.0, 0.5, new double[] {1.0, 3.0, 0.5}, 1.0, PIXELS),
                        Activation.SOFTMAX, 3, true),
                Arguments.of(new CrossEntropyDiceLoss(0.5, 1.0, null, 1.0, 0), Activation.SIGMOID, 1, false),
                Arguments.of(new LovaszLoss(new double[] {1.0, 2.0, 0.5}, PIXELS, LovaszLoss.Surrogate.SOFTMAX),
                        Activation.SOFTMAX, 3, true),
                Arguments.of(new LovaszLoss(null, 0, LovaszLoss.Surrogate.SIGMOID_PROBABILITIES), Activation.SIGMOID,
                        1, false),
                Arguments.of(new LovaszLoss(new double[] {1.0, 3.0}, PIXELS, LovaszLoss.Surrogate.SIGMOID_HINGE),
                        Activation.SIGMOID, 2, true));
    }

    @ParameterizedTest(name = "{0}, {1}, K={2}, label mask {3}")
    @MethodSource("losses")
    void graphGradientsMatchFiniteDifferences(ILossFunction loss, Activation activation, int classes,
            boolean labelMask) {
        assertThat(gradientCheck(loss, activation, classes, labelMask)).as("gradient check of %s", loss).isTrue();
    }

    /** The check is sharp enough to catch a gradient that is 1% off (its "FAILED" log lines are expected). */
    @Test
    void gradientCheckCatchesASlightlyWrongGradient() {
        assertThat(gradientCheck(new DiceLossOffByOnePercent(), Activation.SOFTMAX, 3, false)).isFalse();
    }

    /** A deliberately wrong loss: Dice with its gradient scaled by 1.01. */
    static final class DiceLossOffByOnePercent extends DiceLoss {

        private static final long serialVersionUID = 1L;

        @Override
        public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
                INDArray mask) {
            return super.computeGradient(labels, preOutput, activationFn, mask).muli(1.01);
        }
    }

    private static boolean gradientCheck(ILossFunction loss, Activation activation, int classes, boolean labelMask) {
        ComputationGraphConfiguration configuration = LossGraphs.convolutionThenLoss(
                LossGraphs.settings(new NoOp()),
                InputType.convolutional(HEIGHT, WIDTH, IN_CHANNELS), "logits", classes,
                loss, activation);
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init();

        Nd4j.getRandom().setSeed(3);
        INDArray input = Nd4j.randn(DataType.DOUBLE, BATCH, IN_CHANNELS, HEIGHT, WIDTH);
        INDArray labels = labels(classes);
        INDArray mask = null;
        if (labelMask) {
            mask = Nd4j.ones(DataType.DOUBLE, BATCH, 1, HEIGHT, WIDTH);
            mask.putScalar(new long[] {0, 0, 1, 2}, 0.0);
            mask.putScalar(new long[] {1, 0, 0, 0}, 0.0);
        }
        return LossGraphs.gradientsMatch(graph, input, labels, mask);
    }

    /** One-hot [N, K, H, W] for K > 1 (every class present), 0/1 [N, 1, H, W] for K = 1. */
    private static INDArray labels(int classes) {
        java.util.Random random = new java.util.Random(5);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, BATCH, classes, HEIGHT, WIDTH);
        for (int n = 0; n < BATCH; n++) {
            for (int h = 0; h < HEIGHT; h++) {
                for (int w = 0; w < WIDTH; w++) {
                    if (classes == 1) {
                        labels.putScalar(new long[] {n, 0, h, w}, random.nextBoolean() ? 1.0 : 0.0);
                    } else {
                        labels.putScalar(new long[] {n, (h * WIDTH + w) % classes, h, w}, 1.0);
                    }
                }
            }
        }
        return labels;
    }
}
