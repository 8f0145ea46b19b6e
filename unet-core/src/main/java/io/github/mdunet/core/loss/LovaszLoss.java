package io.github.mdunet.core.loss;

import io.github.mdunet.core.layers.LayerSetting;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.annotation.JsonSetter;

/**
 * Lovasz loss (Berman, Rannen Triki and Blaschko 2018): the Lovasz extension of the Jaccard loss, a convex surrogate
 * of {@code 1 - IoU} that optimises the IoU itself. Per group of rows and counted class c: errors {@code e_i} sorted
 * from the largest, and {@code L_c = sum_i max(e_(i), 0) * g_i}, where {@code g_i} is how much the Jaccard loss grows
 * when the i-th largest error's pixel is added to the mistakes (Berman et al.'s {@code lovasz_grad}). The group's loss
 * is {@code sum_c w_c L_c / sum_c w_c} over the counted classes (uniform w when none are given). What the errors are
 * and which classes count is the {@link Surrogate}'s:
 * <ul>
 *   <li>{@link Surrogate#SOFTMAX} (softmax heads; smp's multiclass {@code LovaszLoss}, classes "present"): Lovasz-
 *   Softmax, {@code e_i = |y_ic - p_ic|} on the probabilities, the classes present in the group; exactly
 *   {@code 1 - IoU} of each class when the probabilities are 0 or 1.</li>
 *   <li>{@link Surrogate#SIGMOID_HINGE} (sigmoid heads; smp's binary {@code LovaszLoss}, Berman's
 *   {@code lovasz_hinge}): the hinge {@code e_i = 1 - z_ic * s_ic} on the logits z, with {@code s = +1} for
 *   foreground and -1 for background, every channel as a binary problem of its own (smp's multilabel mode pools the
 *   channels into one).</li>
 *   <li>{@link Surrogate#SIGMOID_PROBABILITIES} (models saved before the hinge): {@code |y_ic - p_ic|} on the sigmoid's
 *   probabilities, every channel.</li>
 * </ul>
 * For a sigmoid surrogate a channel without foreground in the group counts its largest error (Berman's
 * {@code lovasz_grad} without foreground: every pixel is a false alarm, the largest counts), so that false alarms on
 * an empty image are penalised. A label counts as foreground from 0.5.
 *
 * <p>Tensor contract, groups ({@code pixelsPerExample}) and {@link #computeScoreArray} are {@link DiceLoss}'s. A mask
 * ({@code [rows, 1]} or {@code [rows, K]}) leaves its zero entries out, as smp's {@code ignore_index}; its other
 * values only count them (the loss has no per-pixel weights). The gradient is the derivative of
 * {@code computeScore(average=false)} wherever no two errors of a class tie and no hinge error is 0: the loss is
 * piecewise linear in the errors. Computed on the host in double precision, since it sorts the errors (ordered as
 * floats: errors closer than a float's step may be taken in either order, which changes the loss by less than that).
 * It holds the labels, probabilities or logits and gradient as {@code double} arrays on the Java heap: 32 bytes per
 * output element.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LovaszLoss extends ClassWeightedLoss {

    private static final long serialVersionUID = 2L;

    /** What the loss sorts and which classes count, by head. */
    public enum Surrogate {
        /** Softmax heads: {@code |y - p|} on the probabilities, the classes present in the group. */
        SOFTMAX(false, false),
        /** Sigmoid heads: the hinge {@code 1 - z * (2y - 1)} on the logits, every channel. */
        SIGMOID_HINGE(true, true),
        /** Sigmoid heads of models saved before the hinge: {@code |y - p|} on the probabilities, every channel. */
        SIGMOID_PROBABILITIES(true, false);

        private final boolean absentClassesCount;
        private final boolean onLogits;

        Surrogate(boolean absentClassesCount, boolean onLogits) {
            this.absentClassesCount = absentClassesCount;
            this.onLogits = onLogits;
        }

        /** Whether a class without foreground in a group counts (its largest error) or is left out. */
        boolean absentClassesCount() {
            return absentClassesCount;
        }

        /** Whether the errors are hinge errors of the logits rather than distances of the probabilities. */
        boolean onLogits() {
            return onLogits;
        }
    }

    /** Output height*width for one group per example, or 0 for one group per minibatch. */
    @JsonProperty
    int pixelsPerExample;
    /** The errors and counted classes. */
    @JsonProperty
    Surrogate surrogate = Surrogate.SOFTMAX;

    /** Uniform class weights, one group per minibatch, softmax (for DL4J's JSON). */
    public LovaszLoss() {
    }

    /**
     * @param classWeights     one weight per class, or {@code null} for uniform
     * @param pixelsPerExample output height*width for one loss per example, or 0 for one per minibatch
     * @param surrogate        the errors and counted classes: {@link Surrogate#SOFTMAX} for a softmax head,
     *                         {@link Surrogate#SIGMOID_HINGE} for a sigmoid head
     */
    public LovaszLoss(double[] classWeights, int pixelsPerExample, Surrogate surrogate) {
        super(classWeights);
        this.pixelsPerExample = pixelsPerExample;
        this.surrogate = surrogate;
        checkSettings();
    }

    /**
     * Reads the files of the releases before the hinge, which saved whether absent classes count: true was a sigmoid
     * head on probabilities.
     */
    @JsonSetter("absentClassesCount")
    private void readAbsentClassesCount(boolean absentClassesCount) {
        surrogate = absentClassesCount ? Surrogate.SIGMOID_PROBABILITIES : Surrogate.SOFTMAX;
    }

    @Override
    void checkSettings() {
        super.checkSettings();
        LossSupport.checkPixelsPerExample(owner(), pixelsPerExample);
        if (surrogate == null) {
            throw new IllegalArgumentException(owner() + ".surrogate must be one of "
                    + Arrays.toString(Surrogate.values()) + " but was null");
        }
    }

    /**
     * Per-group losses and, when asked, the gradient of their sum by the loss's inputs (probabilities, or the logits
     * for the hinge), {@code [rows * classes]} row-major.
     */
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

    private INDArray gradient(Result result, INDArray preOutput, IActivation activationFn) {
        INDArray byInputs = Nd4j.createFromArray(result.lossGradient()).reshape('c', preOutput.size(0),
                preOutput.size(1)).castTo(preOutput.dataType());
        return surrogate.onLogits() ? byInputs : activationFn.backprop(preOutput.dup(), byInputs).getFirst();
    }

    private Result compute(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                           boolean withGradient) {
        INDArray checkedMask = checkedInputs(labels, preOutput, mask);
        int rows = Math.toIntExact(preOutput.size(0));
        int classes = Math.toIntExact(preOutput.size(1));
        int groups = LossSupport.groupCount(owner(), rows, pixelsPerExample);
        INDArray inputs = surrogate.onLogits() ? preOutput : activationFn.getActivation(preOutput.dup(), true);
        double[] v = inputs.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] y = labels.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] m = checkedMask == null ? null : checkedMask.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        boolean maskPerRow = checkedMask != null && checkedMask.size(1) == 1 && classes != 1;
        return compute(y, v, m, maskPerRow, rows, classes, groups, classWeights, surrogate, withGradient);
    }

    /**
     * The loss of row-major {@code [rows, classes]} labels and inputs (probabilities, or logits for the hinge) in
     * {@code groups} groups of contiguous rows, with a mask ({@code null}, per row or per output), class weights
     * ({@code null} for uniform) and the surrogate. Groups are computed in parallel: each writes only its own rows of
     * the gradient.
     */
    static Result compute(double[] y, double[] v, double[] mask, boolean maskPerRow, int rows, int classes,
                          int groups, double[] classWeights, Surrogate surrogate, boolean withGradient) {
        int rowsPerGroup = rows / groups;
        double[] groupLoss = new double[groups];
        double[] gradient = withGradient ? new double[Math.multiplyExact(rows, classes)] : null;
        IntStream.range(0, groups).parallel().forEach(g -> groupLoss[g] = groupLoss(y, v, mask, maskPerRow,
                g * rowsPerGroup, rowsPerGroup, classes, classWeights, surrogate, gradient));
        return new Result(groupLoss, gradient);
    }

    /** One group's loss; its gradient into {@code gradient} (null for none). */
    private static double groupLoss(double[] y, double[] v, double[] mask, boolean maskPerRow, int first,
                                    int rowsPerGroup, int classes, double[] classWeights, Surrogate surrogate,
                                    double[] gradient) {
        long[] keys = new long[rowsPerGroup];
        // d(class loss)/d(error) of each sorted pixel: its Jaccard increment, 0 for a hinge error at or below 0
        double[] slopes = new double[rowsPerGroup];
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
                keys[count++] = (long) descendingKey(error(surrogate, isForeground, v[row * classes + c])) << 32 | r;
                foreground += isForeground ? 1 : 0;
            }
            counted[c] = count > 0 && (foreground > 0 || surrogate.absentClassesCount());
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
                double increment = jaccard - previous;
                previous = jaccard;
                double error = error(surrogate, isForeground, v[row * classes + c]);
                // a hinge error below 0 (a pixel on the right side by more than the margin) neither costs nor moves
                slopes[i] = error > 0 || !surrogate.onLogits() ? increment : 0;
                classLoss[c] += Math.max(error, 0) * increment;
            }
            if (gradient != null) {
                for (int i = 0; i < count; i++) {
                    int row = first + (int) keys[i];
                    // d|y - p|/dp and d(1 - z s)/dz: -1 for a foreground pixel, +1 for a background one
                    gradient[row * classes + c] = y[row * classes + c] >= 0.5 ? -slopes[i] : slopes[i];
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

    /** The pixel's error: {@code |y - p|} on a probability, or the hinge {@code 1 - z * s} on a logit. */
    private static double error(Surrogate surrogate, boolean isForeground, double input) {
        return surrogate.onLogits() ? 1 - (isForeground ? input : -input) : Math.abs((isForeground ? 1 : 0) - input);
    }

    /** A key whose ascending int order is the descending order of {@code error} (floats of either sign). */
    private static int descendingKey(double error) {
        int bits = Float.floatToIntBits((float) (0 - error));
        return bits ^ (bits >> 31 & Integer.MAX_VALUE);
    }

    @Override
    List<LayerSetting> settings() {
        return List.of(classWeightsSetting(), new LayerSetting("pixelsPerExample", pixelsPerExample),
                new LayerSetting("surrogate", surrogate));
    }
}
