package io.github.mdunet.core.testing;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Numerical derivatives of a loss's score, to check the loss's {@code computeGradient} against. */
public final class LossNumericGradient {

    private LossNumericGradient() {
    }

    /**
     * {@code d score / d preOutput[row, column]} by the central difference with step {@code epsilon} (score averaged
     * over the examples, no mask); {@code preOutput} {@code [rows, columns]} is restored before returning.
     */
    public static double centralDifference(ILossFunction loss, INDArray labels, INDArray preOutput,
                                           IActivation activation, int row, int column, double epsilon) {
        double original = preOutput.getDouble(row, column);
        preOutput.putScalar(row, column, original + epsilon);
        double plus = loss.computeScore(labels, preOutput, activation, null, false);
        preOutput.putScalar(row, column, original - epsilon);
        double minus = loss.computeScore(labels, preOutput, activation, null, false);
        preOutput.putScalar(row, column, original);
        return (plus - minus) / (2 * epsilon);
    }
}
