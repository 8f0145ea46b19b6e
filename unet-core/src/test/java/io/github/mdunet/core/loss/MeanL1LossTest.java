package io.github.mdunet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import io.github.mdunet.core.testing.LossGraphs;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;

/** The mean absolute error per example: hand-computed values, gradients, the refusal of a wrong row count. */
class MeanL1LossTest extends DoubleOneThreadTestBase {

    /** Two examples of 2 pixels, 2 channels: rows [(n, pixel)][channel]. */
    private static final INDArray LABELS = Nd4j.createFromArray(new double[][] {{0, 1}, {2, 3}, {4, 5}, {6, 7}});
    private static final INDArray OUTPUT = Nd4j.createFromArray(new double[][] {{1, 1}, {2, 1}, {4, 8}, {5, 7}});

    @Test
    void valuesMatchHandComputation() {
        // example 0: |1-0| + 0 + 0 + |1-3| = 3 over 4 values; example 1: 0 + 3 + 1 + 0 = 4 over 4 values
        MeanL1Loss loss = new MeanL1Loss(2);
        ActivationIdentity identity = new ActivationIdentity();
        assertThat(loss.computeScore(LABELS, OUTPUT, identity, null, false)).isCloseTo(0.75 + 1.0, within(1e-12));
        assertThat(loss.computeScore(LABELS, OUTPUT, identity, null, true)).isCloseTo(0.875, within(1e-12));
        assertThat(loss.computeScoreArray(LABELS, OUTPUT, identity, null).toDoubleVector())
                .containsExactly(new double[] {0.25, 0.5, 0.75, 0.25}, within(1e-12));
        assertThat(loss.computeGradient(LABELS, OUTPUT, identity, null).toDoubleMatrix())
                .isEqualTo(new double[][] {{0.25, 0}, {0, -0.25}, {0, 0.25}, {-0.25, 0}});
        INDArray rowMask = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}, {1}});
        assertThat(loss.computeScore(LABELS, OUTPUT, identity, rowMask, false))
                .as("a masked row leaves the sum, not the divisor").isCloseTo(0.25 + 1.0, within(1e-12));
    }

    @Test
    void isDl4jsMeanAbsoluteErrorAveragedOverPixelsExceptForDl4jsScoreArray() {
        MeanL1Loss loss = new MeanL1Loss(2);
        PixelMeanLoss dl4j = new PixelMeanLoss(new LossMAE(), 2);
        ActivationIdentity identity = new ActivationIdentity();
        assertThat(dl4j.computeScore(LABELS, OUTPUT, identity, null, false))
                .isCloseTo(loss.computeScore(LABELS, OUTPUT, identity, null, false), within(1e-12));
        assertThat(dl4j.computeGradient(LABELS, OUTPUT, identity, null))
                .isEqualTo(loss.computeGradient(LABELS, OUTPUT, identity, null));
        // DL4J M2.1's LossMAE score array is a sum over the 2 channels: when this fails, upstream has fixed it
        assertThat(dl4j.computeScoreArray(LABELS, OUTPUT, identity, null))
                .isEqualTo(loss.computeScoreArray(LABELS, OUTPUT, identity, null).mul(2));
    }

    @Test
    void refusesRowsThatAreNotWholeExamples() {
        assertThatThrownBy(() -> new MeanL1Loss(3).computeScore(LABELS, OUTPUT, new ActivationIdentity(), null,
                false)).hasMessageContaining("MeanL1Loss.pixelsPerExample is 3 but the minibatch has 4 rows");
        assertThatThrownBy(() -> new MeanL1Loss(0)).hasMessageContaining("pixelsPerExample must be >= 1");
    }

    @Test
    void graphGradientsMatchFiniteDifferences() {
        int height = 3;
        int width = 4;
        ComputationGraph graph = new ComputationGraph(LossGraphs.convolutionThenLoss(
                LossGraphs.settings(new NoOp()),
                InputType.convolutional(height, width, 2), "image", 3, new MeanL1Loss(height * width),
                Activation.SIGMOID));
        graph.init();
        Nd4j.getRandom().setSeed(3);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 2, 2, height, width);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 2, 3, height, width);
        assertThat(LossGraphs.gradientsMatch(graph, input, labels, null)).isTrue();
    }
}
