package io.github.mdunet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The focal loss from the logits: a confidently wrong pixel keeps the gradient and the score PyTorch gives it
 * ({@code F.cross_entropy}, {@code BCEWithLogitsLoss} at gamma 0), in FLOAT and DOUBLE, however large the logit gap.
 * Clipped probabilities made the gradient fade to 0 beyond a gap of about 16 and the score flat.
 */
class FocalLossLogitsTest {

    private static final double[] GAPS = {5, 16, 20, 40, 120};

    /** One pixel's softmax logits, favouring class 1 over class 0 by {@code gap}. */
    private static INDArray logitsFavouringClassOne(double gap, DataType type) {
        return Nd4j.createFromArray(new double[][] {{0, gap}}).castTo(type);
    }

    /** One pixel's one-hot labels: class 0 of 2. */
    private static INDArray classZero(DataType type) {
        return Nd4j.createFromArray(new double[][] {{1, 0}}).castTo(type);
    }

    /** FLOAT and DOUBLE, each at every gap of {@link #GAPS}. */
    static Stream<Arguments> typesAndGaps() {
        return Stream.of(DataType.FLOAT, DataType.DOUBLE)
                .flatMap(type -> DoubleStream.of(GAPS).mapToObj(gap -> Arguments.of(type, gap)));
    }

    @ParameterizedTest
    @MethodSource("typesAndGaps")
    void aConfidentlyWrongSoftmaxPixelKeepsTheCrossEntropyGradient(DataType type, double gap) {
        INDArray logits = logitsFavouringClassOne(gap, type);
        INDArray labels = classZero(type);
        double p = 1 / (1 + Math.exp(gap));
        INDArray gradient = new FocalLoss(0, null, null).computeGradient(labels, logits, new ActivationSoftmax(),
                null);
        INDArray reference = new LossMCXENT().computeGradient(labels, logits.dup(), new ActivationSoftmax(), null);
        assertThat(gradient.toDoubleVector()).as("%s gap %s vs p - y", type, gap)
                .containsExactly(new double[] {p - 1, 1 - p}, within(1e-6));
        assertThat(gradient.toDoubleVector()).as("%s gap %s vs LossMCXENT", type, gap)
                .containsExactly(reference.toDoubleVector(), within(1e-6));

        INDArray weighted = new FocalLoss(0, null, new double[] {3, 0.5}).computeGradient(labels, logits,
                new ActivationSoftmax(), null);
        assertThat(weighted.getDouble(0, 0)).as("%s gap %s, class weight 3", type, gap)
                .isCloseTo(3 * (p - 1), within(1e-5));
        // gamma 2: (1-p)^2 is about 1 for a wrong pixel, so its gradient is cross-entropy's too
        INDArray focused = new FocalLoss(2, null, null).computeGradient(labels, logits, new ActivationSoftmax(),
                null);
        double expected = (2 * (1 - p) * p * Math.log(p) - Math.pow(1 - p, 2)) * (1 - p);
        assertThat(focused.getDouble(0, 0)).as("%s gap %s, gamma 2", type, gap).isCloseTo(expected, within(1e-5));
    }

    @ParameterizedTest
    @MethodSource("typesAndGaps")
    void theSoftmaxScoreGrowsWithTheLogitGapAsPyTorchs(DataType type, double gap) {
        INDArray logits = logitsFavouringClassOne(gap, type);
        INDArray labels = classZero(type);
        // F.cross_entropy: logsumexp(z) - z_y = gap + log(1 + e^-gap)
        assertThat(new FocalLoss(0, null, null).computeScore(labels, logits, new ActivationSoftmax(), null,
                false)).as("%s gap %s", type, gap).isCloseTo(gap + Math.log1p(Math.exp(-gap)), within(1e-4));
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void aConfidentlyWrongSigmoidPixelKeepsTheBinaryCrossEntropyGradient(DataType type) {
        for (double gap : new double[] {5, 12, 16, 20, 40, 120}) {
            // label 1 at logit -gap, and label 0 at logit +gap: BCEWithLogits gives sigmoid(z) - y
            INDArray logits = Nd4j.createFromArray(new double[][] {{-gap}, {gap}}).castTo(type);
            INDArray labels = Nd4j.createFromArray(new double[][] {{1}, {0}}).castTo(type);
            double q = 1 / (1 + Math.exp(gap));
            FocalLoss crossEntropy = new FocalLoss(0, null, null);
            assertThat(crossEntropy.computeGradient(labels, logits, new ActivationSigmoid(), null).toDoubleVector())
                    .as("%s gap %s", type, gap).containsExactly(new double[] {q - 1, 1 - q}, within(1e-6));
            assertThat(crossEntropy.computeScore(labels, logits, new ActivationSigmoid(), null, false))
                    .as("%s gap %s", type, gap).isCloseTo(2 * (gap + Math.log1p(Math.exp(-gap))), within(1e-4));
        }
    }
}
