package io.github.mdunet.core.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The softmax head's default loss is cross-entropy from the logits, as PyTorch's {@code F.cross_entropy}: a
 * confidently wrong pixel's score grows with the logit gap (DL4J's {@code LossMCXENT}, the default before, clipped p
 * at 1e-10 and stopped at 23.03), and a pixel whose one-hot label row is all zero adds nothing to the loss or its
 * gradient ({@code LossMCXENT} scored it 0 but pushed it towards the uniform prediction).
 */
class SoftmaxHeadLossTest {

    private static INDArray row(double... values) {
        return Nd4j.createFromArray(new double[][] {values});
    }

    @Test
    void aConfidentlyWrongPixelScoresItsLogitGap() {
        ILossFunction loss = HeadActivations.defaultLoss(new HeadActivation.Softmax());
        for (double gap : new double[] {10, 40, 120}) {
            INDArray logits = row(gap, 0, 0);
            double expected = gap + Math.log1p(2 * Math.exp(-gap)); // -log softmax(z)_1 = logsumexp(z) - z_1
            assertThat(loss.computeScore(row(0, 1, 0), logits, new ActivationSoftmax(), null, false))
                    .as("gap %s", gap).isCloseTo(expected, within(1e-9));
            INDArray gradient = loss.computeGradient(row(0, 1, 0), logits.dup(), new ActivationSoftmax(), null);
            assertThat(gradient.getDouble(0, 1)).as("gap %s: p - y on the true class", gap).isCloseTo(-1, within(1e-4));
        }
    }

    @Test
    void anAllZeroLabelRowAddsNoGradient() {
        ILossFunction mean = HeadLosses.of(new HeadActivation.Softmax(), new Loss.HeadDefault(), 2);
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 0, 0}});
        INDArray logits = Nd4j.createFromArray(new double[][] {{0.5, -1, 2}, {1, 0.3, -0.2}});
        INDArray gradient = mean.computeGradient(labels, logits, new ActivationSoftmax(), null);
        assertThat(gradient.getRow(1).castTo(DataType.DOUBLE).toDoubleVector()).containsOnly(0.0);
        assertThat(gradient.getRow(0).sumNumber().doubleValue()).isCloseTo(0, within(1e-12));
    }
}
