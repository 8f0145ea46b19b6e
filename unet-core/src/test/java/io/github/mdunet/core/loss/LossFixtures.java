package io.github.mdunet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Small labelled arrays in the {@code [rows, K]} layout CnnLossLayer hands a loss, and a finite-difference check. */
final class LossFixtures {

    /** Two examples of 2 x 2 output pixels: 8 rows (the loss sees rows only; tiny keeps the checks fast). */
    static final int EXAMPLES = 2;
    static final int HEIGHT = 2;
    static final int WIDTH = 2;
    static final int ROWS = EXAMPLES * HEIGHT * WIDTH;

    private LossFixtures() {
    }

    static INDArray preOutput(long seed, int classes) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, ROWS, classes).muli(1.5);
    }

    /** One-hot rows (softmax); every class occurs. */
    static INDArray oneHotLabels(long seed, int classes) {
        java.util.Random random = new java.util.Random(seed);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, ROWS, classes);
        for (int row = 0; row < ROWS; row++) {
            int k = row < classes ? row : random.nextInt(classes);
            labels.putScalar(row, k, 1.0);
        }
        return labels;
    }

    /** Independent 0/1 entries (sigmoid, K = 1 or multi-label). */
    static INDArray binaryLabels(long seed, int classes) {
        java.util.Random random = new java.util.Random(seed);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, ROWS, classes);
        for (int row = 0; row < ROWS; row++) {
            for (int k = 0; k < classes; k++) {
                labels.putScalar(row, k, random.nextBoolean() ? 1.0 : 0.0);
            }
        }
        return labels;
    }

    /** A per-row mask {@code [rows, 1]} with rows 1, 4 and 6 masked out. */
    static INDArray rowMask() {
        INDArray mask = Nd4j.ones(DataType.DOUBLE, ROWS, 1);
        for (int row : new int[] {1, 4, 6}) {
            mask.putScalar(row, 0, 0.0);
        }
        return mask;
    }

    /**
     * Central differences of {@code computeScore(average=false)} against {@code computeGradient}, entry by entry, in
     * double precision: relative error below 1e-6 or absolute error below 1e-9.
     */
    static void assertGradientMatchesScore(ILossFunction loss, INDArray labels, INDArray preOutput,
            IActivation activation, INDArray mask) {
        INDArray before = preOutput.dup();
        INDArray analytic = loss.computeGradient(labels, preOutput, activation, mask);
        assertThat(preOutput).as("computeGradient must not change preOutput").isEqualTo(before);
        assertThat(analytic.shape()).isEqualTo(preOutput.shape());
        double step = 1e-6;
        for (int row = 0; row < preOutput.rows(); row++) {
            for (int k = 0; k < preOutput.columns(); k++) {
                INDArray plus = preOutput.dup();
                plus.putScalar(row, k, plus.getDouble(row, k) + step);
                INDArray minus = preOutput.dup();
                minus.putScalar(row, k, minus.getDouble(row, k) - step);
                double numeric = (loss.computeScore(labels, plus, activation, mask, false)
                        - loss.computeScore(labels, minus, activation, mask, false)) / (2 * step);
                double exact = analytic.getDouble(row, k);
                double absolute = Math.abs(numeric - exact);
                double relative = absolute / Math.max(Math.abs(numeric), Math.abs(exact));
                assertThat(absolute < 1e-9 || relative < 1e-6)
                        .as("%s: d/dz[%d,%d] analytic %s vs numeric %s", loss, row, k, exact, numeric)
                        .isTrue();
            }
        }
    }
}
