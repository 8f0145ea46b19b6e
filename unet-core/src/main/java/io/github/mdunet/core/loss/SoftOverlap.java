package io.github.mdunet.core.loss;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The soft Tversky index over groups of contiguous rows as a loss, and its gradient with respect to the
 * probabilities. For group g and class k, with m the mask, {@code TP = sum(m*p*y)}, {@code FP = sum(m*p) - TP} and
 * {@code FN = sum(m*y) - TP}: {@code L = 1 - (TP + s) / (TP + alpha*FP + beta*FN + s)} for a class present in the
 * group's counted labels ({@code sum(m*y) > 0}), 0 for an absent one (as smp's {@code DiceLoss} and
 * {@code TverskyLoss}, which multiply each class's loss by {@code y_true.sum > 0}: an absent class has no overlap to
 * score, and {@code 1 - s/(sum(m*p) + s)} would charge it about 1 for the small probabilities a softmax spreads over
 * it); the group's loss is {@code sum_k w_k L_k / sum_k w_k} over all classes, present or not (uniform w when none
 * are given). Dice is the case alpha = beta = 1/2 with half
 * the smoothing ({@link Overlap#dice}): {@code 1 - (2*TP + s) / (sum(m*p) + sum(m*y) + s)}. HALF and BFLOAT16 inputs
 * are computed in FLOAT and the results cast back: the sums over one image (over 65,504 for a 320 x 320 map) exceed
 * half's range.
 */
final class SoftOverlap {

    /** Per-group loss {@code [groups]} and, if asked, d(sum of group losses)/dp {@code [rows, classes]}. */
    record Result(INDArray groupLoss, INDArray lossGradient) {
    }

    /**
     * The Tversky index's weights of false positives and false negatives and its additive smoothing.
     *
     * @param alpha  the weight of false positives, >= 0
     * @param beta   the weight of false negatives, >= 0
     * @param smooth added to numerator and denominator, > 0
     */
    record Overlap(double alpha, double beta, double smooth) {

        /** Soft Dice with {@code smooth} added to {@code 2*TP} and to {@code sum(p) + sum(y)}. */
        static Overlap dice(double smooth) {
            return new Overlap(0.5, 0.5, smooth / 2);
        }
    }

    private SoftOverlap() {
    }

    static Result compute(INDArray labels, INDArray probabilities, INDArray mask, double[] classWeights,
            Overlap overlap, int groups, boolean withGradient) {
        DataType type = probabilities.dataType();
        if (type == DataType.HALF || type == DataType.BFLOAT16) {
            Result wide = compute(labels.castTo(DataType.FLOAT), probabilities.castTo(DataType.FLOAT),
                    mask == null ? null : mask.castTo(DataType.FLOAT), classWeights, overlap, groups, withGradient);
            return new Result(wide.groupLoss().castTo(type),
                    wide.lossGradient() == null ? null : wide.lossGradient().castTo(type));
        }
        long rows = probabilities.size(0);
        long classes = probabilities.size(1);
        long rowsPerGroup = rows / groups;
        double alpha = overlap.alpha();
        double beta = overlap.beta();
        INDArray y = labels.castTo(probabilities.dataType());
        INDArray maskedP = LossSupport.applyMask(probabilities.dup('c'), mask);
        INDArray maskedY = LossSupport.applyMask(y.dup('c'), mask);

        INDArray truePositives = maskedP.mul(y).reshape('c', groups, rowsPerGroup, classes).sum(1);
        INDArray predicted = maskedP.reshape('c', groups, rowsPerGroup, classes).sum(1);
        INDArray actual = maskedY.reshape('c', groups, rowsPerGroup, classes).sum(1);
        INDArray numerator = truePositives.add(overlap.smooth());
        // TP + alpha*(P - TP) + beta*(Y - TP) + s = (1 - alpha - beta)*TP + alpha*P + beta*Y + s
        INDArray denominator = truePositives.mul(1 - alpha - beta).addi(predicted.mul(alpha)).addi(actual.mul(beta))
                .addi(overlap.smooth());

        INDArray normalisedWeights = classWeights == null
                ? Nd4j.valueArrayOf(new long[] {1, classes}, 1.0 / classes, probabilities.dataType())
                : LossSupport.weightRow(classWeights, probabilities).divi(sumOf(classWeights));
        // as smp's DiceLoss: a class absent from a group's (counted) labels has no overlap to score and counts 0
        INDArray present = actual.gt(0.0).castTo(probabilities.dataType());
        INDArray overlapLoss = numerator.div(denominator).rsubi(1).muli(present);
        INDArray groupLoss = overlapLoss.mulRowVector(normalisedWeights).sum(1);
        if (!withGradient) {
            return new Result(groupLoss, null);
        }
        // dL/dp_i = m_i * (alpha * N - y_i * (D - (1 - alpha - beta) * N)) / D^2, per group and class.
        INDArray squared = denominator.mul(denominator);
        INDArray constantTerm = numerator.mul(alpha).divi(squared).muliRowVector(normalisedWeights).muli(present);
        INDArray labelTerm = denominator.sub(numerator.mul(1 - alpha - beta)).divi(squared)
                .muliRowVector(normalisedWeights).muli(present);
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
