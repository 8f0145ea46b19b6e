package io.github.mdunet.core.loss;

import io.github.mdunet.core.layers.LayerSetting;
import java.util.List;
import org.nd4j.shade.jackson.annotation.JsonInclude;

/**
 * Soft Dice loss, {@code 1 - (2*sum(p*y) + smooth) / (sum(p) + sum(y) + smooth)} per class present in the group's
 * labels and 0 for a class absent from them (as smp's {@code DiceLoss}), averaged over all the classes with optional
 * class weights ({@code sum_k w_k D_k / sum_k w_k}). An image without foreground thus gives a sigmoid K = 1 head no
 * Dice loss, false positives included: pair Dice with cross-entropy ({@link CrossEntropyDiceLoss}) for such data.
 * Works with any output activation: softmax (one-hot labels {@code [N,K,H,W]}) for multi-class, sigmoid (0/1 labels,
 * K = 1 or multi-label) for binary.
 *
 * <p>Tensor contract: {@code CnnLossLayer} hands {@code [N*H*W, K]} rows, example after example. Dice is not a sum
 * over pixels, so the rows are split into groups and one Dice is computed per group:
 * <ul>
 * <li>{@code pixelsPerExample = H*W} (recommended when the output size is fixed): one group per example.
 *     {@code computeScore(average=false)} is the sum over examples, so the layer's reported score (which divides by
 *     N) is the mean per-example Dice loss; {@code average=true} divides by the number of examples.</li>
 * <li>{@code pixelsPerExample = 0} (default, any input size): the whole minibatch is one group, so the loss is the
 *     minibatch Dice and the layer reports it divided by N (gradients are scaled the same way: the effective
 *     learning rate shrinks with the batch size).</li>
 * </ul>
 * {@link #computeScoreArray} spreads each group's loss evenly over the group's rows (masked ones included): its
 * values are not per-pixel losses, but their per-example sum (what {@code computeScoreForExamples} takes) is the
 * example's Dice loss. A mask ({@code [rows, 1]} or {@code [rows, K]}) removes pixels from all three sums.
 * {@link #computeGradient} is the exact derivative of {@code computeScore(average=false)}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DiceLoss extends SoftOverlapLoss {

    private static final long serialVersionUID = 1L;

    /** Uniform class weights, smooth 1, one Dice per minibatch. */
    public DiceLoss() {
    }

    /**
     * @param classWeights     one weight per class, or {@code null} for uniform
     * @param smooth           additive smoothing, {@code > 0}
     * @param pixelsPerExample output height*width for a per-example Dice, or 0 for a per-minibatch Dice
     */
    public DiceLoss(double[] classWeights, double smooth, int pixelsPerExample) {
        super(classWeights, smooth, pixelsPerExample);
        checkSettings();
    }

    /** One Dice per example of {@code height x width} output pixels, uniform weights, smooth 1. */
    public static DiceLoss perExample(int height, int width) {
        return new DiceLoss(null, DEFAULT_SMOOTH, Math.multiplyExact(height, width));
    }

    @Override
    SoftOverlap.Overlap overlap() {
        return SoftOverlap.Overlap.dice(smooth);
    }

    @Override
    List<LayerSetting> settings() {
        return List.of(classWeightsSetting(), new LayerSetting("smooth", smooth),
                new LayerSetting("pixelsPerExample", pixelsPerExample));
    }
}
