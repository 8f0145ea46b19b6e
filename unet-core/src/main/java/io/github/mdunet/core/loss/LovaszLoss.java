package io.github.mdunet.core.loss;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Lovasz-Softmax loss (Berman, Rannen Triki and Blaschko 2018; for a softmax head smp's multiclass
 * {@code LovaszLoss}, classes "present"; for a sigmoid head on probabilities, where smp uses the hinge on logits): the
 * Lovasz extension of the Jaccard loss, a convex surrogate of {@code 1 - IoU} that is exactly {@code 1 - IoU} of each
 * class when the probabilities are 0 or 1. Per group of rows and counted class c: the errors
 * {@code e_i = |y_ic - p_ic|} sorted from the largest, and {@code L_c = sum_i e_(i) * g_i}, where {@code g_i} is how
 * much the Jaccard loss grows when the i-th largest error's pixel is added to the mistakes (Berman et al.'s
 * {@code lovasz_grad}). The group's loss is {@code sum_c w_c L_c / sum_c w_c} over the counted classes (uniform w
 * when none are given): the present ones for a softmax head (one-hot labels; Berman's and smp's "present" classes),
 * and every class for a sigmoid head (0/1 labels, one or more channels; {@code absentClassesCount}), where a channel
 * without foreground in the group counts its largest probability (Berman's {@code lovasz_grad} without foreground:
 * every pixel is a false alarm, the largest counts), so that false alarms on an empty image are penalised. A label
 * counts as foreground from 0.5.
 *
 * <p>Tensor contract, groups ({@code pixelsPerExample}) and {@link #computeScoreArray} are {@link DiceLoss}'s. A mask
 * ({@code [rows, 1]} or {@code [rows, K]}) leaves its zero entries out, as smp's {@code ignore_index}; its other
 * values only count them (the loss has no per-pixel weights). The gradient is the derivative of
 * {@code computeScore(average=false)} wherever no two errors of a class tie: the loss is piecewise linear in the
 * errors. Computed on the host in double precision, since it sorts the errors (ordered as floats: errors closer
 * than a float's step, about 6e-8, may be taken in either order, which changes the loss by less than that). It holds
 * the labels, probabilities and gradient as {@code double} arrays on the Java heap: 32 bytes per output element.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LovaszLoss extends ClassWeightedLoss {

    private static final long serialVersionUID = 1L;

    /** Output height*width for one group per example, or 0 for one group per minibatch. */
    @JsonProperty
    int pixelsPerExample;
    /** Whether a class absent from a group's labels counts (sigmoid heads) or is left out (softmax heads). */
    @JsonProperty
    boolean absentClassesCount;

    /** Uniform class weights, one group per minibatch, present classes only (for DL4J's JSON). */
    public LovaszLoss() {
    }

    /**
     * @param classWeights       one weight per class, or {@code null} for uniform
     * @param pixelsPerExample   output height*width for one loss per example, or 0 for one per minibatch
     * @param absentClassesCount true for a sigmoid head: a class without foreground in a group counts its largest
     *                           probability; false for a softmax head: only the present classes count
     */
    public LovaszLoss(double[] classWeights, int pixelsPerExample, boolean absentClassesCount) {
        super(classWeights);
        this.pixelsPerExample = pixelsPerExample;
        this.absentClassesCount = absentClassesCount;
        checkSettings();
    }

    @Override
    void checkSettings() {
        super.checkSettings();
        LossSupport.checkPixelsPerExample(owner(), pixelsPerExample);
    }

    /** Per-group losses and, when asked, d(sum of group losses)/dp, {@code [rows * classes]} row-major. */
    record Result(double[] groupLoss, double[] lossGradient) {
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        return score(compute(labels, preOutput, activationFn, mask, false), average);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Result result = compute(labels, preOutput, activationFn, mask, false);
        return LossSupport.spreadOverRows(Nd4j.createFromArray(result.groupLoss()).castTo(preOutput.dataType()),
                preOutput.size(0));
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return gradient(compute(labels, preOutput, activationFn, mask, true), preOutput, activationFn);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        Result result = compute(labels, preOutput, activationFn, mask, true);
        return new Pair<>(score(result, average), gradient(result, preOutput, activationFn));
    }

    private static double score(Result result, boolean average) {
        double sum = Arrays.stream(result.groupLoss()).sum();
        return average ? sum / result.groupLoss().length : sum;
    }

    private static INDArray gradient(Result result, INDArray preOutput, IActivation activationFn) {
        INDArray dLdp = Nd4j.createFromArray(result.lossGradient()).reshape('c', preOutput.size(0),
                preOutput.size(1)).castTo(preOutput.dataType());
        return activationFn.backprop(preOutput.dup(), dLdp).getFirst();
    }

    private Result compute(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                           boolean withGradient) {
        INDArray checkedMask = checkedInputs(labels, preOutput, mask);
        int rows = Math.toIntExact(preOutput.size(0));
        int classes = Math.toIntExact(preOutput.size(1));
        int groups = LossSupport.groupCount(owner(), rows, pixelsPerExample);
        double[] p = activationFn.getActivation(preOutput.dup(), true).castTo(DataType.DOUBLE).dup('c').data()
                .asDouble();
        double[] y = labels.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] m = checkedMask == null ? null : checkedMask.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        boolean maskPerRow = checkedMask != null && checkedMask.size(1) == 1 && classes != 1;
        return compute(y, p, m, maskPerRow, rows, classes, groups, classWeights, absentClassesCount, withGradient);
    }

    /**
     * The loss of row-major {@code [rows, classes]} labels and probabilities in {@code groups} groups of contiguous
     * rows, with a mask ({@code null}, per row or per output), class weights ({@code null} for uniform) and whether
     * absent classes count. Groups are computed in parallel: each writes only its own rows of the gradient.
     */
    static Result compute(double[] y, double[] p, double[] mask, boolean maskPerRow, int rows, int classes,
                          int groups, double[] classWeights, boolean absentClassesCount, boolean withGradient) {
        int rowsPerGroup = rows / groups;
        double[] groupLoss = new double[groups];
        double[] gradient = withGradient ? new double[Math.multiplyExact(rows, classes)] : null;
        IntStream.range(0, groups).parallel().forEach(g -> groupLoss[g] = groupLoss(y, p, mask, maskPerRow,
                g * rowsPerGroup, rowsPerGroup, classes, classWeights, absentClassesCount, gradient));
        return new Result(groupLoss, gradient);
    }

    /** One group's loss; its gradient into {@code gradient} (null for none). */
    private static double groupLoss(double[] y, double[] p, double[] mask, boolean maskPerRow, int first,
                                    int rowsPerGroup, int classes, double[] classWeights, boolean absentClassesCount,
                                    double[] gradient) {
        long[] keys = new long[rowsPerGroup];
        double[] increments = new double[rowsPerGroup];
        double[] classLoss = new double[classes];
        boolean[] counted = new boolean[classes];
        double countedWeight = 0;
        for (int c = 0; c < classes; c++) {
            int count = 0;
            int foreground = 0;
            for (int r = 0; r < rowsPerGroup; r++) {
                int row = first + r;
                if (mask != null && mask[maskPerRow ? row : row * classes + c] == 0) {
                    continue;
                }
                boolean isForeground = y[row * classes + c] >= 0.5;
                double error = Math.abs((isForeground ? 1 : 0) - p[row * classes + c]);
                // ascending 1 - error is descending error; non-negative floats sort as their bits
                keys[count++] = (long) Float.floatToIntBits((float) (1 - error)) << 32 | r;
                foreground += isForeground ? 1 : 0;
            }
            counted[c] = count > 0 && (foreground > 0 || absentClassesCount);
            if (!counted[c]) {
                continue;
            }
            countedWeight += classWeights == null ? 1 : classWeights[c];
            Arrays.sort(keys, 0, count);
            // Jaccard loss of the first i+1 sorted pixels taken as mistakes: 1 - (F - f_i) / (F + b_i), with f_i and
            // b_i the foreground and background pixels among them (1 from the first pixel on when F = 0).
            double previous = 0;
            int foregroundSoFar = 0;
            int backgroundSoFar = 0;
            for (int i = 0; i < count; i++) {
                int row = first + (int) keys[i];
                boolean isForeground = y[row * classes + c] >= 0.5;
                foregroundSoFar += isForeground ? 1 : 0;
                backgroundSoFar += isForeground ? 0 : 1;
                double jaccard = 1 - (foreground - foregroundSoFar) / (double) (foreground + backgroundSoFar);
                increments[i] = jaccard - previous;
                previous = jaccard;
                classLoss[c] += Math.abs((isForeground ? 1 : 0) - p[row * classes + c]) * increments[i];
            }
            if (gradient != null) {
                for (int i = 0; i < count; i++) {
                    int row = first + (int) keys[i];
                    // d|y - p|/dp: -1 for a foreground pixel, +1 for a background one (weighted below)
                    gradient[row * classes + c] = y[row * classes + c] >= 0.5 ? -increments[i] : increments[i];
                }
            }
        }
        double loss = 0;
        for (int c = 0; c < classes; c++) {
            double share = !counted[c] || countedWeight == 0 ? 0
                    : (classWeights == null ? 1 : classWeights[c]) / countedWeight;
            loss += share * classLoss[c];
            if (gradient != null) {
                for (int r = 0; r < rowsPerGroup; r++) {
                    gradient[(first + r) * classes + c] *= share;
                }
            }
        }
        return loss;
    }

    @Override
    public boolean equals(Object o) {
        LovaszLoss other = LossSupport.sameClass(this, o);
        return other != null && pixelsPerExample == other.pixelsPerExample
                && absentClassesCount == other.absentClassesCount && Arrays.equals(classWeights, other.classWeights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(classWeights), pixelsPerExample, absentClassesCount);
    }

    @Override
    public String toString() {
        return "LovaszLoss(classWeights=" + Arrays.toString(classWeights) + ", pixelsPerExample=" + pixelsPerExample
                + ", absentClassesCount=" + absentClassesCount + ")";
    }
}
