package io.github.mdunet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The losses in FLOAT and HALF where those types run out of range or precision: focal loss at saturated outputs
 * (a probability of 1 - 1e-10 is 1.0 in float32) and Dice sums over a 320 x 320 map (more than half's largest value).
 */
class LowPrecisionLossTest {

    /** Rows {@code [logit; -1]} of a sigmoid head with labels {@code [label; 0]}. */
    private static INDArray sigmoidRows(double first, DataType type) {
        return Nd4j.createFromArray(new double[][] {{first}, {-1.0}}).castTo(type);
    }

    @Test
    void focalLossOfASaturatedSigmoidIsFiniteInFloat() {
        INDArray logits = sigmoidRows(20, DataType.FLOAT);
        for (double gamma : new double[] {0, 0.5, 2}) {
            for (double label : new double[] {1, 0}) {
                INDArray labels = sigmoidRows(label, DataType.FLOAT).putScalar(1, 0, 0.0);
                FocalLoss focal = new FocalLoss(gamma, null, null);
                double score = focal.computeScore(labels, logits, new ActivationSigmoid(), null, false);
                INDArray gradient = focal.computeGradient(labels, logits, new ActivationSigmoid(), null);
                double crossEntropy = new LossBinaryXENT().computeScore(labels, logits.dup(), new ActivationSigmoid(),
                        null, false);
                assertThat(score).as("gamma %s, y %s: score", gamma, label).isFinite()
                        .isGreaterThanOrEqualTo(0.0);
                assertThat(gradient.isNaN().any() || gradient.isInfinite().any())
                        .as("gamma %s, y %s: gradient %s", gamma, label, gradient).isFalse();
                if (label == 1) {
                    // a right answer costs (almost) nothing, as in DL4J's binary cross-entropy (clipped at 1e-5)
                    assertThat(score).as("gamma %s, y 1", gamma).isLessThanOrEqualTo(crossEntropy + 1e-6);
                } else {
                    // a confidently wrong one costs at least what DL4J's binary cross-entropy charges
                    assertThat(score).as("gamma %s, y 0", gamma).isGreaterThan(10.0);
                }
            }
        }
    }

    @Test
    void focalLossOfASaturatedSoftmaxIsFiniteInFloatAndGammaZeroIsCrossEntropy() {
        INDArray logits = Nd4j.createFromArray(new double[][] {{20, 0}, {0.3, -0.2}}).castTo(DataType.FLOAT);
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}}).castTo(DataType.FLOAT);
        for (double gamma : new double[] {0, 0.5, 2}) {
            FocalLoss focal = new FocalLoss(gamma, null, null);
            double score = focal.computeScore(labels, logits, new ActivationSoftmax(), null, false);
            INDArray gradient = focal.computeGradient(labels, logits, new ActivationSoftmax(), null);
            assertThat(score).as("gamma %s", gamma).isFinite().isPositive();
            assertThat(gradient.isNaN().any() || gradient.isInfinite().any())
                    .as("gamma %s: gradient %s", gamma, gradient).isFalse();
        }
        FocalLoss crossEntropy = new FocalLoss(0, null, null);
        INDArray expected = new LossMCXENT().computeGradient(labels, logits.dup(), new ActivationSoftmax(), null);
        INDArray actual = crossEntropy.computeGradient(labels, logits, new ActivationSoftmax(), null);
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).as("gamma 0 gradient %s vs cross-entropy %s",
                actual, expected).isLessThan(1e-6);
        assertThat(crossEntropy.computeScore(labels, logits, new ActivationSoftmax(), null, false))
                .isCloseTo(new LossMCXENT().computeScore(labels, logits.dup(), new ActivationSoftmax(), null, false),
                        within(1e-5));
    }

    @Test
    void focalLossWithGammaZeroIsCrossEntropyAtUnsaturatedLogitsInFloat() {
        INDArray logits = Nd4j.createFromArray(new double[][] {{2.5}, {-1.0}, {0.2}}).castTo(DataType.FLOAT);
        INDArray labels = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}}).castTo(DataType.FLOAT);
        FocalLoss crossEntropy = new FocalLoss(0, null, null);
        assertThat(crossEntropy.computeScore(labels, logits, new ActivationSigmoid(), null, false))
                .isCloseTo(new LossBinaryXENT().computeScore(labels, logits.dup(), new ActivationSigmoid(), null,
                        false), within(1e-5));
        INDArray expected = new LossBinaryXENT().computeGradient(labels, logits.dup(), new ActivationSigmoid(), null);
        assertThat(crossEntropy.computeGradient(labels, logits, new ActivationSigmoid(), null).sub(expected)
                .amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    /** 320 x 320 pixels, all foreground, p = sigmoid(2) = 0.88: the sums reach 180,000, beyond half's 65,504. */
    @Test
    void diceOverALargeMapInHalfIsDiceInFloat() {
        int height = 320;
        int width = 320;
        DiceLoss dice = DiceLoss.perExample(height, width);
        INDArray logits = Nd4j.valueArrayOf(new long[] {height * width, 1}, 2.0, DataType.FLOAT);
        INDArray labels = Nd4j.ones(DataType.FLOAT, height * width, 1);
        double floatScore = dice.computeScore(labels, logits, new ActivationSigmoid(), null, false);
        INDArray floatGradient = dice.computeGradient(labels, logits, new ActivationSigmoid(), null);

        INDArray halfLogits = logits.castTo(DataType.HALF);
        INDArray halfLabels = labels.castTo(DataType.HALF);
        double halfScore = dice.computeScore(halfLabels, halfLogits, new ActivationSigmoid(), null, false);
        INDArray halfGradient = dice.computeGradient(halfLabels, halfLogits, new ActivationSigmoid(), null);

        assertThat(floatScore).isCloseTo(1 - (2 * 0.8808 * height * width + 1) / (1.8808 * height * width + 1),
                within(1e-3));
        assertThat(halfScore).isCloseTo(floatScore, within(1e-3));
        assertThat(halfGradient.dataType()).isEqualTo(DataType.HALF);
        double expected = floatGradient.getDouble(0, 0);
        // -5.8e-7 is subnormal in half, which holds it to a multiple of 2^-24 = 6e-8 (before: 44 times too large)
        assertThat(halfGradient.getDouble(0, 0)).as("half gradient vs float %s", expected)
                .isCloseTo(expected, within(Math.pow(2, -24)));
    }
}
