package io.github.mdunet.core.loss;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Focal loss (Lin et al. 2017, "Focal Loss for Dense Object Detection"), per pixel row {@code [rows, K]}:
 * <ul>
 * <li>softmax output (one-hot labels): {@code -sum_k w_k y_k (1 - p_k)^gamma log p_k};</li>
 * <li>any other output activation, meant for sigmoid (0/1 labels, K = 1 or multi-label), per channel:
 *     {@code -w_k [a y (1-p)^gamma log p + (1-a) (1-y) p^gamma log(1-p)]}, with {@code a = alpha}
 *     when {@code alpha} is set (the paper uses 0.25 with gamma 2), else both factors 1.</li>
 * </ul>
 * {@code gamma = 0} with no weights is plain cross-entropy. Like DL4J's own losses the score is a sum over rows
 * ({@code average=true} divides by the number of rows), so {@code CnnLossLayer} reports the per-example sum over
 * pixels. Probabilities are clipped to {@code [eps, 1 - eps]} to keep the logarithms and the gradient finite, with
 * {@code eps} the smallest margin that the data type keeps apart from 1: 1e-10 in DOUBLE, 1e-7 in FLOAT (where
 * {@code 1 - 1e-10} is 1.0; DL4J's binary cross-entropy clips at 1e-5), 1e-3 in HALF and 1e-2 in BFLOAT16.
 * A mask ({@code [rows, 1]} or {@code [rows, K]}) zeroes the masked terms.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FocalLoss extends ClassWeightedLoss {

    private static final long serialVersionUID = 1L;
    static final double DEFAULT_GAMMA = 2.0;

    /** Focusing parameter, {@code >= 0}; larger values down-weight well-classified pixels more. */
    @JsonProperty
    private double gamma = DEFAULT_GAMMA;
    /** Positive-class balance of the sigmoid form, in [0, 1], or {@code null} for none. Not used with softmax. */
    @JsonProperty
    private Double alpha;

    /** gamma 2, no alpha, no class weights. */
    public FocalLoss() {
    }

    /**
     * @param gamma        focusing parameter, {@code >= 0}
     * @param alpha        sigmoid-form positive-class balance in [0, 1], or {@code null}; must be null for softmax
     * @param classWeights one weight per class, or {@code null}
     */
    public FocalLoss(double gamma, Double alpha, double[] classWeights) {
        super(classWeights);
        this.gamma = gamma;
        this.alpha = alpha;
        checkSettings();
    }

    @Override
    void checkSettings() {
        LossSupport.checkedFiniteNonNegative(owner(), "gamma", gamma);
        if (alpha != null && !(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException(owner() + ".alpha must be in [0, 1] (or null for"
                    + " none) but was " + alpha);
        }
        super.checkSettings();
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        INDArray scores = scoreArray(labels, preOutput, activationFn, mask);
        double score = scores.sumNumber().doubleValue();
        return average ? score / scores.size(0) : score;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return scoreArray(labels, preOutput, activationFn, mask).sum(true, 1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray checkedMask = check(labels, preOutput, activationFn, mask);
        INDArray y = labels.castTo(preOutput.dataType());
        INDArray p = clippedProbabilities(preOutput, activationFn);
        INDArray oneMinusP = p.rsub(1.0);
        INDArray logP = Transforms.log(p, true);
        // d/dp [-(1-p)^g log p] = -(1-p)^g / p + g (1-p)^(g-1) log p
        INDArray positive = Transforms.pow(oneMinusP, gamma, true).divi(p).negi()
                .addi(Transforms.pow(oneMinusP, gamma - 1, true).muli(logP).muli(gamma));
        INDArray dLossdP;
        if (isSoftmax(activationFn)) {
            dLossdP = positive.muli(y);
        } else {
            // d/dp [-p^g log(1-p)] = p^g / (1-p) - g p^(g-1) log(1-p)
            INDArray logOneMinusP = Transforms.log(oneMinusP, true);
            INDArray negative = Transforms.pow(p, gamma, true).divi(oneMinusP)
                    .subi(Transforms.pow(p, gamma - 1, true).muli(logOneMinusP).muli(gamma));
            dLossdP = positive.muli(y).muli(positiveFactor())
                    .addi(negative.muli(y.rsub(1.0)).muli(negativeFactor()));
        }
        if (classWeights != null) {
            dLossdP.muliRowVector(LossSupport.weightRow(classWeights, dLossdP));
        }
        LossSupport.applyMask(dLossdP, checkedMask);
        return activationFn.backprop(preOutput.dup(), dLossdP).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        return LossSupport.scoreThenGradient(this, labels, preOutput, activationFn, mask, average);
    }

    /** Per-element losses {@code [rows, K]}, weighted and masked. */
    private INDArray scoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray checkedMask = check(labels, preOutput, activationFn, mask);
        INDArray y = labels.castTo(preOutput.dataType());
        INDArray p = clippedProbabilities(preOutput, activationFn);
        INDArray oneMinusP = p.rsub(1.0);
        INDArray positive = Transforms.pow(oneMinusP, gamma, true).muli(Transforms.log(p, true)).negi().muli(y);
        INDArray scores;
        if (isSoftmax(activationFn)) {
            scores = positive;
        } else {
            INDArray negative = Transforms.pow(p, gamma, true).muli(Transforms.log(oneMinusP, true)).negi()
                    .muli(y.rsub(1.0));
            scores = positive.muli(positiveFactor()).addi(negative.muli(negativeFactor()));
        }
        if (classWeights != null) {
            scores.muliRowVector(LossSupport.weightRow(classWeights, scores));
        }
        return LossSupport.applyMask(scores, checkedMask);
    }

    private INDArray check(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray checkedMask = checkedInputs(labels, preOutput, mask);
        if (alpha != null && isSoftmax(activationFn)) {
            throw new IllegalArgumentException(owner() + ".alpha is " + alpha + " but alpha only applies to the sigmoid"
                    + " (binary) form; with softmax set alpha to null and give per-class alphas as classWeights");
        }
        return checkedMask;
    }

    private static INDArray clippedProbabilities(INDArray preOutput, IActivation activationFn) {
        INDArray p = activationFn.getActivation(preOutput.dup(), true);
        double clip = clip(p.dataType());
        return Transforms.max(Transforms.min(p, 1.0 - clip, false), clip, false);
    }

    /** The clipping margin of {@code type}: {@code 1 - clip} must round to a value below 1, or 1 - p is 0. */
    static double clip(DataType type) {
        return switch (type) {
            case DOUBLE -> 1e-10;
            case HALF -> 1e-3;
            case BFLOAT16 -> 1e-2;
            default -> 1e-7;
        };
    }

    private static boolean isSoftmax(IActivation activationFn) {
        return activationFn instanceof ActivationSoftmax;
    }

    private double positiveFactor() {
        return alpha == null ? 1.0 : alpha;
    }

    private double negativeFactor() {
        return alpha == null ? 1.0 : 1.0 - alpha;
    }

    @Override
    public boolean equals(Object o) {
        FocalLoss other = LossSupport.sameClass(this, o);
        return other != null && Double.compare(gamma, other.gamma) == 0 && Objects.equals(alpha, other.alpha)
                && Arrays.equals(classWeights, other.classWeights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gamma, alpha, Arrays.hashCode(classWeights));
    }

    @Override
    public String toString() {
        return "FocalLoss(gamma=" + gamma + ", alpha=" + alpha + ", classWeights=" + Arrays.toString(classWeights)
                + ")";
    }
}
