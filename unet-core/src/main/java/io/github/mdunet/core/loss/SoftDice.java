package io.github.mdunet.core.loss;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Soft Dice over groups of contiguous rows, and its gradient with respect to the probabilities. For group g and
 * class k, with m the mask: {@code D = 1 - (2*sum(m*p*y) + s) / (sum(m*p) + sum(m*y) + s)}; the group's loss is
 * {@code sum_k w_k D_k / sum_k w_k} (uniform w when none are given). HALF and BFLOAT16 inputs are computed in FLOAT
 * and the results cast back: the sums over one image (over 65,504 for a 320 x 320 map) exceed half's range.
 */
final class SoftDice {

    /** Per-group loss {@code [groups]} and, if asked, d(sum of group losses)/dp {@code [rows, classes]}. */
    record Result(INDArray groupLoss, INDArray lossGradient) {
    }

    private SoftDice() {
    }

    static Result compute(INDArray labels, INDArray probabilities, INDArray mask, double[] classWeights, double smooth,
            int groups, boolean withGradient) {
        DataType type = probabilities.dataType();
        if (type == DataType.HALF || type == DataType.BFLOAT16) {
            Result wide = compute(labels.castTo(DataType.FLOAT), probabilities.castTo(DataType.FLOAT),
                    mask == null ? null : mask.castTo(DataType.FLOAT), classWeights, smooth, groups, withGradient);
            return new Result(wide.groupLoss().castTo(type),
                    wide.lossGradient() == null ? null : wide.lossGradient().castTo(type));
        }
        long rows = probabilities.size(0);
        long classes = probabilities.size(1);
        long rowsPerGroup = rows / groups;
        INDArray y = labels.castTo(probabilities.dataType());
        INDArray maskedP = LossSupport.applyMask(probabilities.dup('c'), mask);
        INDArray maskedY = LossSupport.applyMask(y.dup('c'), mask);

        INDArray intersection = maskedP.mul(y).reshape('c', groups, rowsPerGroup, classes).sum(1);
        INDArray predicted = maskedP.reshape('c', groups, rowsPerGroup, classes).sum(1);
        INDArray actual = maskedY.reshape('c', groups, rowsPerGroup, classes).sum(1);
        INDArray numerator = intersection.mul(2).addi(smooth);
        INDArray denominator = predicted.add(actual).addi(smooth);

        INDArray normalisedWeights = classWeights == null
                ? Nd4j.valueArrayOf(new long[] {1, classes}, 1.0 / classes, probabilities.dataType())
                : LossSupport.weightRow(classWeights, probabilities).divi(sumOf(classWeights));
        INDArray diceLoss = numerator.div(denominator).rsubi(1);
        INDArray groupLoss = diceLoss.mulRowVector(normalisedWeights).sum(1);
        if (!withGradient) {
            return new Result(groupLoss, null);
        }
        // dD/dp_i = m_i * (numerator - 2 * y_i * denominator) / denominator^2, per group and class.
        INDArray constantTerm = numerator.div(denominator.mul(denominator)).muliRowVector(normalisedWeights);
        INDArray labelTerm = denominator.rdiv(2.0).muliRowVector(normalisedWeights);
        INDArray y3 = y.dup('c').reshape('c', groups, rowsPerGroup, classes);
        INDArray gradient = Nd4j.zeros(probabilities.dataType(), groups, rowsPerGroup, classes);
        Broadcast.add(gradient, constantTerm, gradient, 0, 2);
        INDArray labelPart = Broadcast.mul(y3, labelTerm, y3.ulike(), 0, 2);
        gradient.subi(labelPart);
        return new Result(groupLoss, LossSupport.applyMask(gradient.reshape('c', rows, classes), mask));
    }

    private static double sumOf(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }
}
