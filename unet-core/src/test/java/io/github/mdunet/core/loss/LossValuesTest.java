package io.github.mdunet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** Loss values against hand computations (identity activation: the "pre-output" is the probability). */
class LossValuesTest extends DoubleOneThreadTestBase {

    private static final ActivationIdentity PROBABILITIES_GIVEN = new ActivationIdentity();

    /** Binary, 2 examples of 2 pixels: y = [1, 0 | 1, 1], p = [0.8, 0.2 | 0.6, 0.4]. */
    private static final INDArray BINARY_LABELS = Nd4j.createFromArray(1.0, 0.0, 1.0, 1.0).reshape(4, 1);
    private static final INDArray BINARY_PROBABILITIES = Nd4j.createFromArray(0.8, 0.2, 0.6, 0.4).reshape(4, 1);

    @Test
    void binaryDicePerMinibatchMatchesHandComputation() {
        // I = 0.8 + 0.6 + 0.4 = 1.8, sum p = 2.0, sum y = 3: 1 - (3.6 + 1) / (5 + 1)
        DiceLoss dice = new DiceLoss();
        assertThat(dice.computeScore(BINARY_LABELS, BINARY_PROBABILITIES, PROBABILITIES_GIVEN, null, false))
                .isCloseTo(1 - 4.6 / 6, within(1e-12));
        assertThat(dice.computeScoreArray(BINARY_LABELS, BINARY_PROBABILITIES, PROBABILITIES_GIVEN, null)
                .toDoubleVector()).containsExactly(new double[] {0.2333333 / 4, 0.2333333 / 4, 0.2333333 / 4,
                        0.2333333 / 4}, within(1e-7));
    }

    @Test
    void binaryDicePerExampleMatchesHandComputation() {
        // example 0: I = 0.8, sum p = 1, sum y = 1 -> 1 - 2.6/3; example 1: I = 1.0, sum p = 1, sum y = 2 -> 1 - 3/4
        double first = 1 - 2.6 / 3;
        double second = 0.25;
        DiceLoss dice = DiceLoss.perExample(1, 2);
        assertThat(dice.computeScore(BINARY_LABELS, BINARY_PROBABILITIES, PROBABILITIES_GIVEN, null, false))
                .isCloseTo(first + second, within(1e-12));
        assertThat(dice.computeScore(BINARY_LABELS, BINARY_PROBABILITIES, PROBABILITIES_GIVEN, null, true))
                .as("average = mean over examples").isCloseTo((first + second) / 2, within(1e-12));
        assertThat(dice.computeScoreArray(BINARY_LABELS, BINARY_PROBABILITIES, PROBABILITIES_GIVEN, null)
                .toDoubleVector()).containsExactly(new double[] {first / 2, first / 2, second / 2, second / 2},
                        within(1e-12));
    }

    @Test
    void multiClassDiceWithClassWeightsMatchesHandComputation() {
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {1, 0}});
        INDArray probabilities = Nd4j.createFromArray(new double[][] {{0.7, 0.3}, {0.4, 0.6}, {0.9, 0.1}});
        double class0 = 1 - (2 * 1.6 + 1) / (2.0 + 2 + 1); // 0.16
        double class1 = 1 - (2 * 0.6 + 1) / (1.0 + 1 + 1); // 0.2667
        assertThat(new DiceLoss().computeScore(labels, probabilities, PROBABILITIES_GIVEN, null, false))
                .isCloseTo((class0 + class1) / 2, within(1e-12));
        assertThat(new DiceLoss(new double[] {1, 3}, 1.0, 0).computeScore(labels, probabilities,
                PROBABILITIES_GIVEN, null, false)).isCloseTo((class0 + 3 * class1) / 4, within(1e-12));
    }

    /** TP = 1.8, FP = sum p - TP = 0.2, FN = sum y - TP = 1.2: 1 - (1.8 + 1) / (1.8 + 0.3 * 0.2 + 0.7 * 1.2 + 1). */
    @Test
    void binaryTverskyMatchesHandComputationAndWeighsMissesByBeta() {
        TverskyLoss recallFirst = new TverskyLoss(null, 0.3, 0.7, 1.0, 0);
        assertThat(recallFirst.computeScore(BINARY_LABELS, BINARY_PROBABILITIES, PROBABILITIES_GIVEN, null, false))
                .isCloseTo(1 - 2.8 / (1.8 + 0.06 + 0.84 + 1), within(1e-12));
        // These predictions miss more (FN 1.2) than they over-claim (FP 0.2): weighing misses more costs more.
        TverskyLoss precisionFirst = new TverskyLoss(null, 0.7, 0.3, 1.0, 0);
        assertThat(recallFirst.computeScore(BINARY_LABELS, BINARY_PROBABILITIES, PROBABILITIES_GIVEN, null, false))
                .isGreaterThan(precisionFirst.computeScore(BINARY_LABELS, BINARY_PROBABILITIES, PROBABILITIES_GIVEN,
                        null, false));
    }

    /** alpha = beta = 1/2 is Dice with twice Tversky's smoothing, per example, weighted and masked alike. */
    @Test
    void tverskyWithEqualHalvesIsDice() {
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}});
        INDArray probabilities = Nd4j.createFromArray(new double[][] {{0.7, 0.3}, {0.4, 0.6}, {0.9, 0.1},
            {0.2, 0.8}});
        INDArray mask = Nd4j.createFromArray(1.0, 1.0, 0.0, 1.0).reshape(4, 1);
        double[] weights = {1, 3};
        TverskyLoss tversky = new TverskyLoss(weights, 0.5, 0.5, 0.5, 2);
        DiceLoss dice = new DiceLoss(weights, 1.0, 2);
        assertThat(tversky.computeScore(labels, probabilities, PROBABILITIES_GIVEN, mask, false))
                .isCloseTo(dice.computeScore(labels, probabilities, PROBABILITIES_GIVEN, mask, false), within(1e-12));
        assertThat(tversky.computeGradient(labels, probabilities, PROBABILITIES_GIVEN, mask).ravel().toDoubleVector())
                .containsExactly(dice.computeGradient(labels, probabilities, PROBABILITIES_GIVEN, mask).ravel()
                        .toDoubleVector(), within(1e-12));
    }

    /** alpha = beta = 1 is the soft Jaccard loss, smp's JaccardLoss: 1 - (TP + 1) / (sum p + sum y - TP + 1). */
    @Test
    void tverskyWithOnesIsJaccard() {
        INDArray labels = Nd4j.createFromArray(1.0, 0.0, 1.0, 1.0).reshape(4, 1);
        INDArray probabilities = Nd4j.createFromArray(0.8, 0.3, 0.6, 0.1).reshape(4, 1);
        double tp = 0.8 + 0.6 + 0.1;
        double union = (0.8 + 0.3 + 0.6 + 0.1) + 3 - tp;
        assertThat(new TverskyLoss(null, 1, 1, 1.0, 0).computeScore(labels, probabilities, PROBABILITIES_GIVEN, null,
                false)).isCloseTo(1 - (tp + 1) / (union + 1), within(1e-12));
    }

    @Test
    void maskedPixelsLeaveDiceUnchanged() {
        INDArray labels = Nd4j.createFromArray(1.0, 0.0, 1.0, 1.0, 1.0).reshape(5, 1);
        INDArray probabilities = Nd4j.createFromArray(0.8, 0.2, 0.6, 0.4, 0.01).reshape(5, 1);
        INDArray mask = Nd4j.createFromArray(1.0, 1.0, 1.0, 1.0, 0.0).reshape(5, 1);
        assertThat(new DiceLoss().computeScore(labels, probabilities, PROBABILITIES_GIVEN, mask, false))
                .isCloseTo(1 - 4.6 / 6, within(1e-12));
    }

    /**
     * A 32 x 32 image holding classes 0 and 1 of 4, predicted with p(true) = 0.997: the absent classes 2 and 3 count 0
     * (as in smp), so the loss is the present classes' Dice over 4. They counted 1 - 1/(sum p + 1), about 0.48 each
     * for the 0.0009 a softmax leaves them per pixel.
     */
    @Test
    void aClassAbsentFromAnExampleCountsZero() {
        int pixels = 32 * 32;
        INDArray labels = Nd4j.zeros(pixels, 4);
        INDArray logits = Nd4j.zeros(pixels, 4);
        for (int row = 0; row < pixels; row++) {
            int k = row < pixels / 2 ? 0 : 1;
            labels.putScalar(row, k, 1);
            logits.putScalar(row, k, 7);
        }
        ActivationSoftmax softmax = new ActivationSoftmax();
        double p = Math.exp(7) / (Math.exp(7) + 3);
        double q = 1 / (Math.exp(7) + 3);
        // class 0: TP = 512 p, sum p = 512 p + 512 q, sum y = 512; class 1 alike
        double present = 1 - (2 * 512 * p + 1) / (512 * p + 512 * q + 512 + 1);
        assertThat(new DiceLoss(null, 1.0, pixels).computeScore(labels, logits, softmax, null, false))
                .isCloseTo(2 * present / 4, within(1e-12)).isLessThan(0.01);
        double tversky = 1 - (512 * p + 1) / (512 * p + 0.3 * 512 * q + 0.7 * 512 * (1 - p) + 1);
        assertThat(new TverskyLoss(null, 0.3, 0.7, 1.0, pixels).computeScore(labels, logits, softmax, null, false))
                .isCloseTo(2 * tversky / 4, within(1e-12));
        // a class whose only pixels are masked out is absent too (and class 0 loses its false positives there)
        INDArray mask = Nd4j.ones(pixels, 1);
        mask.get(NDArrayIndex.interval(pixels / 2, pixels), NDArrayIndex.all()).assign(0);
        double onlyClass0 = 1 - (2 * 512 * p + 1) / (512 * p + 512 + 1);
        assertThat(new DiceLoss(null, 1.0, pixels).computeScore(labels, logits, softmax, mask, false))
                .isCloseTo(onlyClass0 / 4, within(1e-12));
    }

    @Test
    void perfectPredictionHasNearZeroDice() {
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}});
        INDArray logits = labels.mul(40).subi(20);
        assertThat(new DiceLoss().computeScore(labels, logits, new ActivationSoftmax(), null, false))
                .isCloseTo(0, within(1e-8));
    }

    @Test
    void binaryFocalMatchesHandComputation() {
        // y = 1, p = 0.8: 0.25 * 0.2^2 * -ln 0.8; y = 0, p = 0.3: 0.75 * 0.3^2 * -ln 0.7
        INDArray labels = Nd4j.createFromArray(1.0, 0.0).reshape(2, 1);
        INDArray probabilities = Nd4j.createFromArray(0.8, 0.3).reshape(2, 1);
        FocalLoss focal = new FocalLoss(2.0, 0.25, null);
        double positive = 0.25 * 0.04 * -Math.log(0.8);
        double negative = 0.75 * 0.09 * -Math.log(0.7);
        assertThat(focal.computeScoreArray(labels, probabilities, PROBABILITIES_GIVEN, null).toDoubleVector())
                .containsExactly(new double[] {positive, negative}, within(1e-12));
        assertThat(focal.computeScore(labels, probabilities, PROBABILITIES_GIVEN, null, true))
                .isCloseTo((positive + negative) / 2, within(1e-12));
    }

    @Test
    void focalWithGammaZeroIsDl4jCrossEntropy() {
        INDArray softmaxLabels = LossFixtures.oneHotLabels(3, 3);
        INDArray softmaxLogits = LossFixtures.preOutput(5, 3);
        double[] weights = {0.5, 2.0, 1.0};
        assertThat(new FocalLoss(0, null, weights).computeScore(softmaxLabels, softmaxLogits,
                new ActivationSoftmax(), null, false))
                .isCloseTo(new LossMCXENT(Nd4j.createFromArray(weights).reshape(1, 3)).computeScore(softmaxLabels,
                        softmaxLogits, new ActivationSoftmax(), null, false), within(1e-9));

        INDArray binaryLabels = LossFixtures.binaryLabels(3, 1);
        INDArray binaryLogits = LossFixtures.preOutput(5, 1);
        assertThat(new FocalLoss(0, null, null).computeScore(binaryLabels, binaryLogits, new ActivationSigmoid(),
                null, false)).isCloseTo(new LossBinaryXENT().computeScore(binaryLabels, binaryLogits,
                        new ActivationSigmoid(), null, false), within(1e-9));
    }

    @Test
    void focalDownWeightsWellClassifiedPixels() {
        INDArray labels = Nd4j.createFromArray(1.0, 1.0).reshape(2, 1);
        INDArray probabilities = Nd4j.createFromArray(0.95, 0.3).reshape(2, 1);
        double[] focal = new FocalLoss().computeScoreArray(labels, probabilities, PROBABILITIES_GIVEN, null)
                .toDoubleVector();
        assertThat(focal[0] / -Math.log(0.95)).as("easy pixel keeps (1-p)^2 of its CE").isCloseTo(0.0025,
                within(1e-12));
        assertThat(focal[1] / -Math.log(0.3)).isCloseTo(0.49, within(1e-12));
    }

    @Test
    void crossEntropyTermIsTheMeanOverUnmaskedPixels() {
        INDArray labels = LossFixtures.oneHotLabels(3, 3);
        INDArray logits = LossFixtures.preOutput(5, 3);
        INDArray mask = LossFixtures.rowMask();
        LossMCXENT reference = new LossMCXENT();
        double unmaskedPixels = mask.sumNumber().doubleValue();
        CrossEntropyDiceLoss crossEntropyOnly = new CrossEntropyDiceLoss(1.0, 0.0, null, 1.0, 0);
        assertThat(crossEntropyOnly.computeScore(labels, logits, new ActivationSoftmax(), mask, false))
                .isCloseTo(reference.computeScore(labels, logits, new ActivationSoftmax(), mask, false)
                        / unmaskedPixels, within(1e-12));

        CrossEntropyDiceLoss diceOnly = new CrossEntropyDiceLoss(0.0, 1.0, null, 1.0, 0);
        assertThat(diceOnly.computeScore(labels, logits, new ActivationSoftmax(), mask, false))
                .isCloseTo(new DiceLoss().computeScore(labels, logits, new ActivationSoftmax(), mask, false),
                        within(1e-12));
    }

    /** With sigmoid the cross-entropy term is per element: its mean is over pixels and channels, ln 2 at p = 1/2. */
    @Test
    void sigmoidCrossEntropyTermIsTheMeanOverPixelsAndChannels() {
        INDArray labels = LossFixtures.binaryLabels(3, 3);
        INDArray logits = Nd4j.zeros(labels.dataType(), labels.rows(), 3);
        CrossEntropyDiceLoss crossEntropyOnly = new CrossEntropyDiceLoss(1.0, 0.0, new double[] {1, 2, 3}, 1.0,
                LossFixtures.HEIGHT * LossFixtures.WIDTH);
        // per example, as BCEWithLogitsLoss(weight=w): mean(w_k l) over the elements
        assertThat(crossEntropyOnly.computeScore(labels, logits, new ActivationSigmoid(), null, true))
                .isCloseTo(2 * Math.log(2), within(1e-12));
    }

    @Test
    void combinedLossIsTheWeightedSumPerExample() {
        INDArray labels = LossFixtures.oneHotLabels(3, 3);
        INDArray logits = LossFixtures.preOutput(5, 3);
        int pixels = LossFixtures.HEIGHT * LossFixtures.WIDTH;
        double[] weights = {1.0, 0.5, 2.0};
        // F.cross_entropy(weight=w) per example, sum(w_y l) / sum(w_y), summed over the examples
        double[] weightedRows = new LossMCXENT(Nd4j.createFromArray(weights).reshape(1, 3))
                .computeScoreArray(labels, logits, new ActivationSoftmax(), null).toDoubleVector();
        double[] rowWeights = labels.mulRowVector(Nd4j.createFromArray(weights)).sum(1).toDoubleVector();
        double crossEntropyPerExampleMean = 0;
        for (int example = 0; example < LossFixtures.EXAMPLES; example++) {
            double loss = 0;
            double weight = 0;
            for (int row = example * pixels; row < (example + 1) * pixels; row++) {
                loss += weightedRows[row];
                weight += rowWeights[row];
            }
            crossEntropyPerExampleMean += loss / weight;
        }
        double dice = new DiceLoss(weights, 1.0, pixels).computeScore(labels, logits, new ActivationSoftmax(),
                null, false);
        CrossEntropyDiceLoss combined = new CrossEntropyDiceLoss(0.4, 1.5, weights, 1.0, pixels);
        assertThat(combined.computeScore(labels, logits, new ActivationSoftmax(), null, false))
                .isCloseTo(0.4 * crossEntropyPerExampleMean + 1.5 * dice, within(1e-12));
    }

    /**
     * DL4J's softmax cross-entropy has no gradient for a per-output mask {@code [rows, K]}: one that is the same in
     * every column is the per-row mask it spells out, any other is refused before the first step.
     */
    @Test
    void crossEntropyDiceWithSoftmaxTakesPerOutputMasksOnlyWhenTheyArePerRow() {
        INDArray labels = LossFixtures.oneHotLabels(3, 3);
        INDArray logits = LossFixtures.preOutput(5, 3);
        INDArray rowMask = LossFixtures.rowMask();
        INDArray sameInEveryColumn = rowMask.repeat(1, 3);
        CrossEntropyDiceLoss loss = new CrossEntropyDiceLoss(1.0, 1.0, null, 1.0, LossFixtures.HEIGHT
                * LossFixtures.WIDTH);
        ActivationSoftmax softmax = new ActivationSoftmax();
        assertThat(loss.computeScore(labels, logits, softmax, sameInEveryColumn, false))
                .isCloseTo(loss.computeScore(labels, logits, softmax, rowMask, false), within(1e-12));
        assertThat(loss.computeGradient(labels, logits, softmax, sameInEveryColumn))
                .isEqualTo(loss.computeGradient(labels, logits, softmax, rowMask));

        INDArray perClass = sameInEveryColumn.dup();
        perClass.putScalar(2, 1, 0.0);
        assertThatThrownBy(() -> loss.computeGradient(labels, logits, softmax, perClass))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CrossEntropyDiceLoss")
                .hasMessageContaining("[8, 3]")
                .hasMessageContaining("row 2")
                .hasMessageContaining("[rows, 1]");
        assertThatThrownBy(() -> loss.computeScore(labels, logits, softmax, perClass, false))
                .hasMessageContaining("row 2");
    }
}
