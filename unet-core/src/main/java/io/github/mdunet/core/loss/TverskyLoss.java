package io.github.mdunet.core.loss;

import io.github.mdunet.core.layers.LayerSetting;
import java.util.List;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Soft Tversky loss (Salehi et al. 2017; as smp's {@code TverskyLoss} with its gamma 1, but with this project's Dice
 * smoothing): {@code 1 - (TP + smooth) / (TP + alpha*FP + beta*FN + smooth)} per class present in the group's labels
 * and 0 for a class absent from them (as smp's, which derives from its {@code DiceLoss}), with
 * {@code TP = sum(p*y)}, {@code FP = sum(p*(1-y))} and {@code FN = sum((1-p)*y)}, averaged over all the classes with
 * optional class weights. {@code beta > alpha} weighs missed pixels more than false alarms, for small structures where
 * recall matters (the paper's choice: alpha 0.3, beta 0.7); alpha = beta = 0.5 with smooth s is {@link DiceLoss}
 * with smooth 2s. Its tensor contract, groups ({@code pixelsPerExample}) and mask are {@link DiceLoss}'s.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TverskyLoss extends SoftOverlapLoss {

    private static final long serialVersionUID = 1L;

    /** The weight of false positives. */
    @JsonProperty
    double alpha = 0.5;
    /** The weight of false negatives. */
    @JsonProperty
    double beta = 0.5;

    /** alpha = beta = 0.5, uniform class weights, smooth 1, one index per minibatch (for DL4J's JSON). */
    public TverskyLoss() {
    }

    /**
     * @param classWeights     one weight per class, or {@code null} for uniform
     * @param alpha            the weight of false positives, finite and >= 0
     * @param beta             the weight of false negatives, finite and >= 0; {@code alpha + beta > 0}
     * @param smooth           additive smoothing, {@code > 0}
     * @param pixelsPerExample output height*width for one index per example, or 0 for one per minibatch
     */
    public TverskyLoss(double[] classWeights, double alpha, double beta, double smooth, int pixelsPerExample) {
        super(classWeights, smooth, pixelsPerExample);
        this.alpha = alpha;
        this.beta = beta;
        checkSettings();
    }

    @Override
    void checkSettings() {
        super.checkSettings();
        LossSupport.checkedFiniteNonNegative(owner(), "alpha", alpha);
        LossSupport.checkedFiniteNonNegative(owner(), "beta", beta);
        if (alpha + beta == 0) {
            throw new IllegalArgumentException(owner() + ".alpha and beta must not both be 0 (the index would be 1"
                    + " whatever the prediction); the paper's choice is alpha 0.3, beta 0.7");
        }
    }

    @Override
    SoftOverlap.Overlap overlap() {
        return new SoftOverlap.Overlap(alpha, beta, smooth);
    }

    @Override
    List<LayerSetting> settings() {
        return List.of(classWeightsSetting(), new LayerSetting("alpha", alpha), new LayerSetting("beta", beta),
                new LayerSetting("smooth", smooth), new LayerSetting("pixelsPerExample", pixelsPerExample));
    }
}
