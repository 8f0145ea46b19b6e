package io.github.mdunet.core.loss;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Validation and array helpers shared by the losses of this package. */
final class LossSupport {

    private LossSupport() {
    }

    /** Checks class weights: finite, not negative, not all zero. {@code null} means uniform. */
    static void checkClassWeightValues(String owner, double[] classWeights) {
        if (classWeights == null) {
            return;
        }
        if (classWeights.length == 0) {
            throw new IllegalArgumentException(owner + ".classWeights must hold one weight per class but was empty;"
                    + " use null for uniform weights");
        }
        double sum = 0;
        for (int k = 0; k < classWeights.length; k++) {
            double w = classWeights[k];
            if (!Double.isFinite(w) || w < 0) {
                throw new IllegalArgumentException(owner + ".classWeights[" + k + "] must be finite and >= 0 but was "
                        + w + " (classWeights " + Arrays.toString(classWeights) + ")");
            }
            sum += w;
        }
        if (sum == 0) {
            throw new IllegalArgumentException(owner + ".classWeights must not all be zero but was "
                    + Arrays.toString(classWeights));
        }
    }

    /** Labels and pre-activations must both be {@code [rows, classes]}, as {@code CnnLossLayer} hands them. */
    static void checkShapes(String owner, INDArray labels, INDArray preOutput) {
        if (labels.rank() != 2 || preOutput.rank() != 2 || !labels.equalShapes(preOutput)) {
            throw new IllegalArgumentException(owner + ": labels and preOutput must both have shape [rows, classes]"
                    + " (CnnLossLayer reshapes [N, K, H, W] to [N*H*W, K]) but labels had shape "
                    + Arrays.toString(labels.shape()) + " and preOutput " + Arrays.toString(preOutput.shape()));
        }
    }

    /** The class weights must have one entry per output channel; the error names both. */
    static void checkClassWeights(String owner, double[] classWeights, long numClasses) {
        if (classWeights != null && classWeights.length != numClasses) {
            throw new IllegalArgumentException(owner + ".classWeights has length " + classWeights.length + " "
                    + Arrays.toString(classWeights) + " but the output has " + numClasses
                    + " classes (channels); give exactly one weight per class");
        }
    }

    /** Checks the mask, per row {@code [rows, 1]} or per output {@code [rows, classes]}; returns it cast. */
    static INDArray checkedMask(String owner, INDArray mask, INDArray preOutput) {
        if (mask == null) {
            return null;
        }
        boolean perRow = mask.rank() == 2 && mask.size(0) == preOutput.size(0) && mask.size(1) == 1;
        boolean perOutput = mask.equalShapes(preOutput);
        if (!perRow && !perOutput) {
            throw new IllegalArgumentException(owner + ": the mask must have shape [rows, 1] or [rows, classes] = "
                    + Arrays.toString(preOutput.shape()) + " but had shape " + Arrays.toString(mask.shape()));
        }
        return mask.castTo(preOutput.dataType());
    }

    /** Multiplies {@code array} ({@code [rows, classes]}) in place by a per-row or per-output mask. */
    static INDArray applyMask(INDArray array, INDArray mask) {
        if (mask == null) {
            return array;
        }
        return mask.size(1) == 1 && array.size(1) != 1 ? array.muliColumnVector(mask) : array.muli(mask);
    }

    /**
     * {@code [rows, columns]} of {@code type}: 1 where an element counts (its entry of the per-row or per-output
     * {@code mask} is non-zero, or every element without a mask), 0 elsewhere. A row's maximum says whether its pixel
     * counts; the sum counts the elements.
     */
    static INDArray countedElements(INDArray mask, long rows, long columns, DataType type) {
        INDArray ones = Nd4j.ones(type, rows, columns);
        return mask == null ? ones : applyMask(ones, Transforms.abs(mask, true).gt(0.0).castTo(type));
    }

    /**
     * The number of groups the rows fall into: one per example when {@code pixelsPerExample > 0} (rows of an example
     * are contiguous in CnnLossLayer's reshape), else one for the whole minibatch.
     */
    static int groupCount(String owner, long rows, int pixelsPerExample) {
        if (pixelsPerExample == 0) {
            return 1;
        }
        if (rows % pixelsPerExample != 0) {
            throw new IllegalArgumentException(owner + ".pixelsPerExample is " + pixelsPerExample + " but the minibatch"
                    + " has " + rows + " rows, not a multiple of it; set it to the output's height*width, or to 0 for"
                    + " one Dice over the whole minibatch");
        }
        return Math.toIntExact(rows / pixelsPerExample);
    }

    static void checkSmooth(String owner, double smooth) {
        if (!(smooth > 0) || !Double.isFinite(smooth)) {
            throw new IllegalArgumentException(owner + ".smooth must be finite and > 0 but was " + smooth);
        }
    }

    /** {@code computeGradientAndScore} of a loss without a shared pass: its score, then its gradient. */
    static Pair<Double, INDArray> scoreThenGradient(ILossFunction loss, INDArray labels, INDArray preOutput,
                                                    IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(loss.computeScore(labels, preOutput, activationFn, mask, average),
                loss.computeGradient(labels, preOutput, activationFn, mask));
    }

    /** A term weight or exponent: finite and not negative; returns it. */
    static double checkedFiniteNonNegative(String owner, String field, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(owner + "." + field + " must be finite and >= 0 but was " + value);
        }
        return value;
    }

    /**
     * {@code o} as {@code self}'s class when it is exactly of that class, else {@code null}: the start of the losses'
     * {@code equals}.
     */
    @SuppressWarnings("unchecked")
    static <T> T sameClass(T self, Object o) {
        return o != null && o.getClass() == self.getClass() ? (T) o : null;
    }

    static void checkPixelsPerExample(String owner, int pixelsPerExample) {
        if (pixelsPerExample < 0) {
            throw new IllegalArgumentException(owner + ".pixelsPerExample must be >= 0 (0 = one group per minibatch)"
                    + " but was " + pixelsPerExample);
        }
    }

    /** Spreads per-group values {@code [groups]} evenly over each group's rows: {@code [rows, 1]}, same sums. */
    static INDArray spreadOverRows(INDArray groupValues, long rows) {
        long groups = groupValues.length();
        long rowsPerGroup = rows / groups;
        INDArray perRow = Nd4j.ones(groupValues.dataType(), groups, rowsPerGroup)
                .muliColumnVector(groupValues.reshape(groups, 1).div(rowsPerGroup));
        return perRow.reshape('c', rows, 1);
    }

    static INDArray weightRow(double[] classWeights, INDArray like) {
        return weightRow(classWeights).castTo(like.dataType());
    }

    /** The class weights as a {@code [1, K]} row of doubles, as DL4J's weighted losses take them. */
    static INDArray weightRow(double[] classWeights) {
        return Nd4j.createFromArray(classWeights).reshape(1, classWeights.length);
    }
}
