package io.github.mdunet.core.loss;

import io.github.mdunet.core.layers.LayerSetting;
import java.util.List;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
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
 * <li>sigmoid output (0/1 labels, K = 1 or multi-label), per channel:
 *     {@code -w_k [a y (1-p)^gamma log p + (1-a) (1-y) p^gamma log(1-p)]}, with {@code a = alpha}
 *     when {@code alpha} is set (the paper uses 0.25 with gamma 2), else both factors 1.</li>
 * </ul>
 * {@code gamma = 0} with no weights is plain cross-entropy: PyTorch's {@code F.cross_entropy} (softmax) and
 * {@code BCEWithLogitsLoss} (sigmoid), summed. Like DL4J's own losses the score is a sum over rows
 * ({@code average=true} divides by the number of rows), so {@code CnnLossLayer} reports the per-example sum over
 * pixels ({@link PixelMeanLoss} makes it a mean). With DL4J's softmax or sigmoid activation both forms are computed
 * from the logits ({@code preOutput}): {@code log p} by a stable log-softmax or log-sigmoid and the gradient with
 * respect to the logits in closed form, so a confidently wrong pixel keeps its full gradient (-1 on the true class's
 * logit at gamma 0, however large the logit gap) and its score grows with the gap (120 at a gap of 120, as in
 * PyTorch). HALF and BFLOAT16 are computed in FLOAT and cast back. Any other activation is taken to output
 * probabilities in [0, 1] and gets the sigmoid form on them, clipped to {@code [eps, 1 - eps]} with {@code eps} the
 * smallest margin that the data type keeps apart from 1 (1e-10 in DOUBLE, 1e-7 in FLOAT, 1e-3 in HALF, 1e-2 in
 * BFLOAT16). A mask ({@code [rows, 1]} or {@code [rows, K]}) zeroes the masked terms.
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

    /**
     * Cross-entropy from the logits (gamma 0, no alpha): softmax cross-entropy with a softmax output, binary
     * cross-entropy per channel with a sigmoid output, with the class weights ({@code null} for none).
     */
    public static FocalLoss crossEntropy(double[] classWeights) {
        return new FocalLoss(0, null, classWeights);
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
        INDArray scores = terms(labels, preOutput, activationFn, mask, false).scores();
        double score = scores.sumNumber().doubleValue();
        return average ? score / scores.size(0) : score;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return terms(labels, preOutput, activationFn, mask, false).scores().sum(true, 1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return terms(labels, preOutput, activationFn, mask, true).gradient();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        Terms terms = terms(labels, preOutput, activationFn, mask, true);
        double score = terms.scores().sumNumber().doubleValue();
        return new Pair<>(average ? score / terms.scores().size(0) : score, terms.gradient());
    }

    /**
     * What a mean of this loss divides its sum by, row by row {@code [rows, 1]} (the mean is the sum over rows
     * divided by the sum of these): with a softmax output 1 per counted pixel, or for weighted cross-entropy (gamma 0
     * with class weights) the weight of the pixel's class {@code sum_k w_k y_k}, so that the mean is PyTorch's
     * {@code F.cross_entropy(weight=w)}, {@code sum(w_y l) / sum(w_y)}; with gamma > 0 the class weights stay out of
     * the divisor, as in kornia's {@code focal_loss}. With any other output (sigmoid) the losses are per element, so
     * the count of the row's counted elements (K without a mask), as PyTorch's {@code BCEWithLogitsLoss} and
     * torchvision's {@code sigmoid_focal_loss} average over elements, class weights or not. A pixel (element) counts
     * when its mask entry is non-zero; with a per-output mask and softmax, when any of its entries is.
     */
    INDArray meanWeights(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray checkedMask = check(labels, preOutput, activationFn, mask);
        DataType type = preOutput.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
        INDArray counted = LossSupport.countedElements(checkedMask, preOutput.size(0), preOutput.size(1), type);
        if (Form.of(activationFn) != Form.SOFTMAX) {
            return counted.sum(true, 1);
        }
        INDArray countedRows = counted.max(true, 1);
        if (gamma != 0 || classWeights == null) {
            return countedRows;
        }
        return countedRows.muli(weighted(labels.castTo(type).dup()).sum(true, 1));
    }

    /**
     * The sum of {@link #meanWeights}: without a mask, and unless weighted cross-entropy divides by the weights, the
     * row count (softmax) or element count (sigmoid), with no array made (every step of the default head's loss).
     */
    double meanWeightTotal(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        boolean byWeights = Form.of(activationFn) == Form.SOFTMAX && gamma == 0 && classWeights != null;
        if (mask == null && !byWeights) {
            check(labels, preOutput, activationFn, null);
            long rows = preOutput.size(0);
            return Form.of(activationFn) == Form.SOFTMAX ? rows : (double) rows * preOutput.size(1);
        }
        return meanWeights(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
    }

    /** Per-element losses {@code [rows, K]}, weighted and masked, and (if asked) d(their sum)/d(preOutput). */
    private record Terms(INDArray scores, INDArray gradient) {
    }

    private Terms terms(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean withGradient) {
        INDArray checkedMask = check(labels, preOutput, activationFn, mask);
        Form form = Form.of(activationFn);
        if (form == Form.OTHER) {
            return new Terms(clippedScores(labels, preOutput, activationFn, checkedMask),
                    withGradient ? clippedGradient(labels, preOutput, activationFn, checkedMask) : null);
        }
        DataType type = preOutput.dataType();
        if (type == DataType.HALF || type == DataType.BFLOAT16) {
            // exp, log and the sums of the logit forms lose too much in 16 bits; DL4J casts the gradient back
            Terms wide = terms(labels.castTo(DataType.FLOAT), preOutput.castTo(DataType.FLOAT), activationFn,
                    checkedMask == null ? null : checkedMask.castTo(DataType.FLOAT), withGradient);
            return new Terms(wide.scores().castTo(type), wide.gradient() == null ? null : wide.gradient().castTo(type));
        }
        INDArray y = labels.castTo(type);
        return form == Form.SOFTMAX ? softmaxTerms(y, preOutput, checkedMask, withGradient)
                : sigmoidTerms(y, preOutput, checkedMask, withGradient);
    }

    /**
     * The softmax form from the logits z: {@code log p = z - logsumexp(z)} and {@code 1 - p = -expm1(log p)}, so
     * neither underflows to a clipped constant. With {@code c_j = w_j y_j m_j} and
     * {@code F_j = (1-p_j)^g - g (1-p_j)^(g-1) p_j log p_j} (which is {@code p_j} times the derivative of
     * {@code (1-p)^g log p}), {@code dL/dz_k = p_k sum_j c_j F_j - c_k F_k}: for one-hot labels
     * {@code w [g (1-p)^(g-1) p log p - (1-p)^g] (delta_ky - p_k)}, p - y at gamma 0. F is computed as
     * {@code (1-p)^g (1 - g p log p / (1-p))}, whose second factor lies in [1, 1 + g]: no division by p and
     * nothing infinite at p = 0 or p = 1.
     */
    private Terms softmaxTerms(INDArray y, INDArray logits, INDArray mask, boolean withGradient) {
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));
        if (gamma == 0) {
            return crossEntropyTerms(y, shifted, mask, withGradient);
        }
        INDArray logP = shifted.subColumnVector(Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false));
        INDArray oneMinusP = Transforms.expm1(logP, true).negi();
        INDArray focusing = Transforms.pow(oneMinusP, gamma, true);
        INDArray coefficients = weighted(y.dup());
        LossSupport.applyMask(coefficients, mask);
        INDArray scores = focusing.mul(logP).negi().muli(coefficients);
        if (!withGradient) {
            return new Terms(scores, null);
        }
        INDArray p = Transforms.exp(logP, true);
        INDArray ratio = p.mul(logP).divi(Transforms.max(oneMinusP, smallestNormal(logits.dataType()), true));
        INDArray h = focusing.muli(ratio.muli(gamma).rsubi(1.0)).muli(coefficients);
        INDArray gradient = p.mulColumnVector(h.sum(true, 1)).subi(h);
        return new Terms(scores, gradient);
    }

    /**
     * {@link #softmaxTerms} at gamma 0, cross-entropy, in fewer passes over the rows (the default softmax head's loss,
     * so every training step's): with {@code c_j = w_j y_j m_j}, scores {@code -c_j log p_j} and the gradient
     * {@code p_k sum_j c_j - c_k}, the general form's terms with {@code F = 1}; {@code shifted} is the logits less
     * their row maximum.
     */
    private Terms crossEntropyTerms(INDArray y, INDArray shifted, INDArray mask, boolean withGradient) {
        INDArray exp = Transforms.exp(shifted, true);
        INDArray sum = exp.sum(true, 1);
        INDArray coefficients = weighted(y.dup());
        LossSupport.applyMask(coefficients, mask);
        INDArray scores = shifted.subiColumnVector(Transforms.log(sum, true)).muli(coefficients).negi();
        if (!withGradient) {
            return new Terms(scores, null);
        }
        INDArray gradient = exp.diviColumnVector(sum).muliColumnVector(coefficients.sum(true, 1)).subi(coefficients);
        return new Terms(scores, gradient);
    }

    /**
     * The sigmoid form per element from the logit z: {@code log p = -softplus(-z)}, {@code log(1-p) = -softplus(z)}
     * with a softplus that does not overflow. d/dz of {@code -(1-p)^g log p} is {@code g p (1-p)^g log p -
     * (1-p)^(g+1)} and of {@code -p^g log(1-p)} is {@code p^(g+1) - g (1-p) p^g log(1-p)}: p - y at gamma 0 without
     * alpha, as PyTorch's {@code BCEWithLogitsLoss}.
     */
    private Terms sigmoidTerms(INDArray y, INDArray logits, INDArray mask, boolean withGradient) {
        INDArray logP = softplus(logits.neg()).negi();
        INDArray logOneMinusP = softplus(logits).negi();
        INDArray p = Transforms.exp(logP, true);
        INDArray oneMinusP = Transforms.exp(logOneMinusP, true);
        INDArray positive = y.mul(positiveFactor());
        INDArray negative = y.rsub(1.0).muli(negativeFactor());
        INDArray positiveFocusing = Transforms.pow(oneMinusP, gamma, true);
        INDArray negativeFocusing = Transforms.pow(p, gamma, true);
        INDArray scores = positiveFocusing.mul(logP).muli(positive)
                .addi(negativeFocusing.mul(logOneMinusP).muli(negative)).negi();
        weighted(scores);
        LossSupport.applyMask(scores, mask);
        if (!withGradient) {
            return new Terms(scores, null);
        }
        INDArray positiveSlope = p.mul(logP).muli(gamma).subi(oneMinusP).muli(positiveFocusing).muli(positive);
        INDArray negativeSlope = p.sub(oneMinusP.mul(logOneMinusP).muli(gamma)).muli(negativeFocusing)
                .muli(negative);
        INDArray gradient = weighted(positiveSlope.addi(negativeSlope));
        return new Terms(scores, LossSupport.applyMask(gradient, mask));
    }

    /** {@code log(1 + e^x)} as {@code max(x, 0) + log1p(e^-|x|)}: no overflow at large x, exact at large -x. */
    private static INDArray softplus(INDArray x) {
        INDArray tail = Transforms.log1p(Transforms.exp(Transforms.abs(x, true).negi(), false), false);
        return Transforms.relu(x, true).addi(tail);
    }

    /** {@code array} times the class weights, row by row, in place (unchanged without weights). */
    private INDArray weighted(INDArray array) {
        return classWeights == null ? array : array.muliRowVector(LossSupport.weightRow(classWeights, array));
    }

    private static double smallestNormal(DataType type) {
        return type == DataType.DOUBLE ? Double.MIN_NORMAL : Float.MIN_NORMAL;
    }

    /** The probability form for activations other than softmax and sigmoid: clipped, as the Javadoc says. */
    private INDArray clippedGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray y = labels.castTo(preOutput.dataType());
        INDArray p = clippedProbabilities(preOutput, activationFn);
        INDArray oneMinusP = p.rsub(1.0);
        INDArray logP = Transforms.log(p, true);
        // d/dp [-(1-p)^g log p] = -(1-p)^g / p + g (1-p)^(g-1) log p
        INDArray positive = Transforms.pow(oneMinusP, gamma, true).divi(p).negi()
                .addi(Transforms.pow(oneMinusP, gamma - 1, true).muli(logP).muli(gamma));
        // d/dp [-p^g log(1-p)] = p^g / (1-p) - g p^(g-1) log(1-p)
        INDArray logOneMinusP = Transforms.log(oneMinusP, true);
        INDArray negative = Transforms.pow(p, gamma, true).divi(oneMinusP)
                .subi(Transforms.pow(p, gamma - 1, true).muli(logOneMinusP).muli(gamma));
        INDArray dLossdP = positive.muli(y).muli(positiveFactor())
                .addi(negative.muli(y.rsub(1.0)).muli(negativeFactor()));
        LossSupport.applyMask(weighted(dLossdP), mask);
        return activationFn.backprop(preOutput.dup(), dLossdP).getFirst();
    }

    private INDArray clippedScores(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray y = labels.castTo(preOutput.dataType());
        INDArray p = clippedProbabilities(preOutput, activationFn);
        INDArray oneMinusP = p.rsub(1.0);
        INDArray positive = Transforms.pow(oneMinusP, gamma, true).muli(Transforms.log(p, true)).negi().muli(y);
        INDArray negative = Transforms.pow(p, gamma, true).muli(Transforms.log(oneMinusP, true)).negi()
                .muli(y.rsub(1.0));
        INDArray scores = positive.muli(positiveFactor()).addi(negative.muli(negativeFactor()));
        return LossSupport.applyMask(weighted(scores), mask);
    }

    private INDArray check(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray checkedMask = checkedInputs(labels, preOutput, mask);
        if (alpha != null && Form.of(activationFn) == Form.SOFTMAX) {
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

    /** Which formulas apply: from the logits for DL4J's softmax and sigmoid, from clipped probabilities otherwise. */
    private enum Form {
        SOFTMAX, SIGMOID, OTHER;

        static Form of(IActivation activationFn) {
            if (activationFn instanceof ActivationSoftmax) {
                return SOFTMAX;
            }
            return activationFn instanceof ActivationSigmoid ? SIGMOID : OTHER;
        }
    }

    private double positiveFactor() {
        return alpha == null ? 1.0 : alpha;
    }

    private double negativeFactor() {
        return alpha == null ? 1.0 : 1.0 - alpha;
    }

    @Override
    List<LayerSetting> settings() {
        return List.of(new LayerSetting("gamma", gamma), new LayerSetting("alpha", alpha), classWeightsSetting());
    }
}
