package io.github.mdunet.core.loss;

import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A per-pixel loss averaged over each example's pixels instead of summed. In a {@code CnnLossLayer}, which divides
 * by the batch size, the score is then the mean over the batch as PyTorch reports it: comparable across image sizes,
 * and the gradient is that of the mean, so an optimiser's epsilon and a learning rate tuned in PyTorch mean the same
 * here. The wrapped loss's score, score array and gradient are divided by what PyTorch's mean divides by, spread
 * over the batch's examples:
 * <ul>
 * <li>softmax cross-entropy ({@code LossMCXENT}, {@link FocalLoss}): the pixels, as {@code F.cross_entropy};</li>
 * <li>weighted cross-entropy ({@link FocalLoss} with gamma 0 and class weights, softmax): the summed class weights
 *     of the pixels' true classes, as {@code F.cross_entropy(weight=w)}: {@code sum(w_y l) / sum(w_y)};</li>
 * <li>focal loss with gamma > 0 (softmax): the pixels, class weights or not, as kornia's {@code focal_loss};</li>
 * <li>per-element losses of a sigmoid output ({@link FocalLoss}, DL4J's {@code LossBinaryXENT}): the pixels times
 *     the channels K, as {@code BCEWithLogitsLoss} and torchvision's {@code sigmoid_focal_loss} (K = 1: the
 *     pixels);</li>
 * <li>any other loss (DL4J's {@code LossMSE}, which already averages over the channels): the pixels.</li>
 * </ul>
 * With a labels mask only the pixels (elements) the mask counts enter the divisor (a pixel counts when any of its
 * mask entries is non-zero), as PyTorch's {@code ignore_index} with its mean reduction. The divisor is the batch's,
 * as PyTorch's: {@code total * pixelsPerExample / rows} per example, with {@code pixelsPerExample} (the output's
 * height times width) when the total is 0.
 *
 * <p>The loss sees rows, not examples: a minibatch whose row count is not a multiple of {@code pixelsPerExample}
 * is refused, but one image k times larger than configured (at batch size 1) has as many rows as a batch of k and
 * cannot be told from it; its score and gradient are then k times the per-pixel mean's (a batch of n such images:
 * k times, as the layer divides by n). So feed images of the size the loss was built for: {@code Trainer} and
 * {@code LearningRateFinder} refuse other sizes ({@code TrainingBatches}).
 *
 * <p>Rows are pixels, {@code [N*H*W, K]}, as {@code CnnLossLayer} hands them to its loss.
 */
public class PixelMeanLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    /** The per-pixel loss whose sum over an example's pixels is averaged. */
    @JsonProperty
    private ILossFunction perPixel;
    /** Output height times width, {@code >= 1}. */
    @JsonProperty
    private int pixelsPerExample = 1;

    /** For Jackson. */
    public PixelMeanLoss() {
    }

    /**
     * @param perPixel         a loss that sums over rows (pixels), such as DL4J's {@code LossMCXENT}
     * @param pixelsPerExample output height times width, {@code >= 1}
     */
    public PixelMeanLoss(ILossFunction perPixel, int pixelsPerExample) {
        this.perPixel = perPixel;
        this.pixelsPerExample = pixelsPerExample;
        checkedPerPixel();
    }

    /** The per-pixel loss, after checking both settings (Jackson restores them without checks). */
    private ILossFunction checkedPerPixel() {
        if (perPixel == null) {
            throw new IllegalArgumentException("PixelMeanLoss.perPixel must be set, e.g. new LossMCXENT()");
        }
        if (pixelsPerExample < 1) {
            throw new IllegalArgumentException("PixelMeanLoss.pixelsPerExample must be >= 1 (the output's height"
                    + " times width) but was " + pixelsPerExample);
        }
        return perPixel;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        return checkedPerPixel().computeScore(labels, preOutput, activationFn, mask, average)
                / divisor(labels, preOutput, activationFn, mask);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return checkedPerPixel().computeScoreArray(labels, preOutput, activationFn, mask)
                .divi(divisor(labels, preOutput, activationFn, mask));
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return checkedPerPixel().computeGradient(labels, preOutput, activationFn, mask)
                .divi(divisor(labels, preOutput, activationFn, mask));
    }

    /**
     * What an example's summed loss is divided by: the batch's total mean weight spread over its examples,
     * {@code total * pixelsPerExample / rows}, so that the layer's division by the batch size leaves the sum over the
     * batch divided by the total. The total is {@link #meanWeightTotal}; {@code pixelsPerExample} when it is 0 (the
     * sum is 0 then).
     */
    private double divisor(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        long rows = preOutput.size(0);
        if (rows % pixelsPerExample != 0) {
            throw new IllegalArgumentException("PixelMeanLoss.pixelsPerExample is " + pixelsPerExample
                    + " (the output's height times width it was built for) but the minibatch has " + rows
                    + " pixels (rows), not a multiple of it: the images are not of the size the loss was built"
                    + " for; build the network's loss for the output's height*width, or feed images of that size");
        }
        double total = meanWeightTotal(labels, preOutput, activationFn, mask);
        return total == 0 ? pixelsPerExample : total * pixelsPerExample / rows;
    }

    /**
     * The batch's total of what the mean divides by: {@link FocalLoss}'s own mean weights (counted pixels, their
     * class weights for weighted cross-entropy, or counted elements for the sigmoid form); for DL4J's
     * {@code LossBinaryXENT} (per element, the sigmoid head's loss in files saved before) the counted elements; for
     * any other loss (DL4J's {@code LossMCXENT}, {@code LossMSE}, which already averages over the channels) the
     * counted pixels, a pixel counting when any of its mask entries is non-zero.
     */
    private double meanWeightTotal(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (perPixel instanceof FocalLoss focal) {
            return focal.meanWeightTotal(labels, preOutput, activationFn, mask);
        }
        long rows = preOutput.size(0);
        if (mask == null) {
            return perPixel instanceof LossBinaryXENT ? (double) rows * preOutput.size(1) : rows;
        }
        INDArray counted = LossSupport.countedElements(mask.reshape(rows, -1), rows, preOutput.size(1),
                DataType.DOUBLE);
        return (perPixel instanceof LossBinaryXENT ? counted : counted.max(1)).sumNumber().doubleValue();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        return LossSupport.scoreThenGradient(this, labels, preOutput, activationFn, mask, average);
    }

    @Override
    public String name() {
        return "PixelMean(" + perPixel.name() + ")";
    }

    public ILossFunction getPerPixel() {
        return perPixel;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelMeanLoss that && pixelsPerExample == that.pixelsPerExample
                && perPixel.equals(that.perPixel);
    }

    @Override
    public int hashCode() {
        return Objects.hash(perPixel, pixelsPerExample);
    }

    @Override
    public String toString() {
        return name() + " over " + pixelsPerExample + " pixels";
    }
}
