package io.github.mdunet.core.loss;

import io.github.mdunet.core.layers.LayerSetting;
import java.util.Arrays;
import java.util.List;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * {@code crossEntropyWeight * CE + diceWeight * Dice}, computed per group of rows exactly as {@link DiceLoss} groups
 * them ({@code pixelsPerExample = H*W}: per example; 0: per minibatch). CE is {@link FocalLoss#crossEntropy} with
 * the class weights: softmax cross-entropy for a softmax output, binary cross-entropy per channel for a sigmoid one,
 * both from the logits (a confidently wrong pixel keeps its gradient, p - y, as in PyTorch); the Dice term is
 * {@link DiceLoss}'s with the same class weights and {@code smooth}.
 *
 * <p>Unlike a bare per-pixel loss in a {@code CnnLossLayer} (a sum over pixels), the CE term here is the
 * <b>mean</b> over the group's unmasked pixels, so both terms are of order 1 and the two weights mean what they
 * say whatever the image size. The mean is PyTorch's over the group, as {@link PixelMeanLoss}'s over the batch: with
 * softmax and class weights {@code sum(w_y l) / sum(w_y)} ({@code F.cross_entropy(weight=w)}), with sigmoid over the
 * group's unmasked elements, pixels times K ({@code BCEWithLogitsLoss}). {@code computeScore(average=false)} sums
 * the group losses; {@code average=true} divides by the number of groups. {@link #computeScoreArray} gives each row
 * its CE share plus an even share of the group's Dice, so per-example sums are the per-example losses.
 *
 * <p>Masks: per row {@code [rows, 1]}, or per output {@code [rows, K]} with a sigmoid output. With softmax a
 * {@code [rows, K]} mask must hold one value per row (it is used as that per-row mask): a softmax pixel is one
 * cross-entropy term, which a per-class mask cannot split, so any other is refused before the first step.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CrossEntropyDiceLoss extends GroupedDiceLoss {

    private static final long serialVersionUID = 1L;

    /** Factor of the per-pixel mean cross-entropy, {@code >= 0}. */
    @JsonProperty
    private double crossEntropyWeight = 1.0;
    /** Factor of the soft Dice loss, {@code >= 0}. */
    @JsonProperty
    private double diceWeight = 1.0;

    /** Weights 1 and 1, uniform class weights, smooth 1, one group per minibatch. */
    public CrossEntropyDiceLoss() {
    }

    /**
     * @param crossEntropyWeight factor of the mean cross-entropy, {@code >= 0}
     * @param diceWeight         factor of the Dice loss, {@code >= 0}
     * @param classWeights       one weight per class, or {@code null}
     * @param smooth             Dice smoothing, {@code > 0}
     * @param pixelsPerExample   output height*width for per-example terms, or 0 for per-minibatch
     */
    public CrossEntropyDiceLoss(double crossEntropyWeight, double diceWeight, double[] classWeights, double smooth,
            int pixelsPerExample) {
        super(classWeights, smooth, pixelsPerExample);
        this.crossEntropyWeight = crossEntropyWeight;
        this.diceWeight = diceWeight;
        checkSettings();
    }

    @Override
    void checkSettings() {
        LossSupport.checkedFiniteNonNegative(owner(), "crossEntropyWeight", crossEntropyWeight);
        LossSupport.checkedFiniteNonNegative(owner(), "diceWeight", diceWeight);
        super.checkSettings();
    }

    /** Per-group loss {@code [groups]}, each row's CE share {@code [rows, 1]} and the Dice term. */
    private record Terms(INDArray groupLoss, INDArray crossEntropyPerRow, SoftOverlap.Result dice, int groups) {
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        Terms terms = terms(labels, preOutput, activationFn, mask);
        double score = terms.groupLoss().sumNumber().doubleValue();
        return average ? score / terms.groups() : score;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Terms terms = terms(labels, preOutput, activationFn, mask);
        INDArray dicePerRow = LossSupport.spreadOverRows(terms.dice().groupLoss(), preOutput.size(0)).muli(diceWeight);
        return terms.crossEntropyPerRow().muli(crossEntropyWeight).addi(dicePerRow);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray checkedMask = checkedMask(labels, preOutput, activationFn, mask);
        int groups = groupCount(preOutput.size(0));
        long rows = preOutput.size(0);
        long classes = preOutput.size(1);
        long rowsPerGroup = rows / groups;

        INDArray crossEntropyGradient = crossEntropy()
                .computeGradient(labels, preOutput.dup(), activationFn, checkedMask).dup('c');
        INDArray perGroup = crossEntropyGradient.reshape('c', groups, rowsPerGroup, classes);
        Broadcast.div(perGroup, meanDivisors(labels, preOutput, activationFn, checkedMask, groups), perGroup, 0);

        INDArray probabilities = activationFn.getActivation(preOutput.dup(), true);
        SoftOverlap.Result dice = SoftOverlap.compute(labels, probabilities, checkedMask, classWeights,
                SoftOverlap.Overlap.dice(smooth), groups,
                true);
        INDArray diceGradient = activationFn.backprop(preOutput.dup(), dice.lossGradient()).getFirst();
        return perGroup.reshape('c', rows, classes).muli(crossEntropyWeight).addi(diceGradient.muli(diceWeight));
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        return LossSupport.scoreThenGradient(this, labels, preOutput, activationFn, mask, average);
    }

    private Terms terms(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray checkedMask = checkedMask(labels, preOutput, activationFn, mask);
        int groups = groupCount(preOutput.size(0));
        long rowsPerGroup = preOutput.size(0) / groups;

        INDArray crossEntropyRows = crossEntropy().computeScoreArray(labels, preOutput.dup(), activationFn,
                checkedMask).dup('c');
        INDArray pixels = meanDivisors(labels, preOutput, activationFn, checkedMask, groups);
        INDArray crossEntropyPerRow = crossEntropyRows.reshape('c', groups, rowsPerGroup)
                .diviColumnVector(pixels.reshape(groups, 1)).reshape('c', preOutput.size(0), 1);
        INDArray crossEntropyPerGroup = crossEntropyPerRow.reshape('c', groups, rowsPerGroup).sum(1);

        INDArray probabilities = activationFn.getActivation(preOutput.dup(), true);
        SoftOverlap.Result dice = SoftOverlap.compute(labels, probabilities, checkedMask, classWeights,
                SoftOverlap.Overlap.dice(smooth), groups,
                false);
        INDArray groupLoss = crossEntropyPerGroup.mul(crossEntropyWeight).addi(dice.groupLoss().mul(diceWeight));
        return new Terms(groupLoss, crossEntropyPerRow, dice, groups);
    }

    /**
     * The checked mask; for a softmax output a per-output mask {@code [rows, K]} must hold one value per row (a
     * softmax pixel is one cross-entropy term) and becomes that per-row mask {@code [rows, 1]}.
     */
    private INDArray checkedMask(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray checked = checkedInputs(labels, preOutput, mask);
        if (checked == null || !(activationFn instanceof ActivationSoftmax) || checked.size(1) == 1) {
            return checked;
        }
        INDArray perRow = checked.getColumn(0, true);
        INDArray differs = Transforms.abs(checked.subColumnVector(perRow), false).max(1);
        if (differs.maxNumber().doubleValue() > 0) {
            long row = differs.argMax().getLong(0);
            throw new IllegalArgumentException(owner() + ": a per-output mask " + Arrays.toString(checked.shape())
                    + " with a softmax output must hold the same value in every column of a row (a softmax pixel is"
                    + " one cross-entropy term, which a per-class mask cannot split), but row " + row + " is "
                    + checked.getRow(row) + "; give a per-pixel mask [rows, 1] (labels [N, 1, H, W]) instead");
        }
        return perRow.dup();
    }

    /**
     * What each group's cross-entropy sum is divided by {@code [groups]}: the group's total of
     * {@link FocalLoss#meanWeights} (counted pixels; their class weights for softmax with class weights; counted
     * elements for sigmoid), 1 where it is 0 (the sum is 0 there).
     */
    private INDArray meanDivisors(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            int groups) {
        INDArray perRow = crossEntropy().meanWeights(labels, preOutput, activationFn, mask)
                .castTo(preOutput.dataType());
        INDArray perGroup = perRow.reshape('c', groups, preOutput.size(0) / groups).sum(1);
        return perGroup.addi(perGroup.eq(0.0).castTo(perGroup.dataType()));
    }

    private FocalLoss crossEntropy() {
        return FocalLoss.crossEntropy(classWeights);
    }

    @Override
    List<LayerSetting> settings() {
        return List.of(new LayerSetting("crossEntropyWeight", crossEntropyWeight),
                new LayerSetting("diceWeight", diceWeight), classWeightsSetting(), new LayerSetting("smooth", smooth),
                new LayerSetting("pixelsPerExample", pixelsPerExample));
    }
}
