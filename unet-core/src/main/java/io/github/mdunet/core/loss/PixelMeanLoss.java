package io.github.mdunet.core.loss;

import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A per-pixel loss averaged over each example's pixels instead of summed: the wrapped loss's score, score array and
 * gradient divided by {@code pixelsPerExample} (the output's height times width). In a {@code CnnLossLayer}, which
 * divides by the batch size, the score is then the mean over all pixels of the batch, as PyTorch's
 * {@code F.cross_entropy} reports it: comparable across image sizes, and the gradient is that of the mean, so an
 * optimiser's epsilon and a learning rate tuned in PyTorch mean the same here. With a labels mask the mean is over
 * the pixels the mask counts (a row counts when any of its mask entries is non-zero), as PyTorch's
 * {@code ignore_index} with its mean reduction: the divisor is the batch's counted pixels per example.
 *
 * <p>The loss sees rows, not examples: a minibatch whose row count is not a multiple of {@code pixelsPerExample}
 * is refused, but one image k times larger than configured (at batch size 1) has as many rows as a batch of k and
 * cannot be told from it; its score is then k times the per-pixel mean.
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
                / pixelsPerMean(mask, preOutput);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return checkedPerPixel().computeScoreArray(labels, preOutput, activationFn, mask)
                .divi(pixelsPerMean(mask, preOutput));
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return checkedPerPixel().computeGradient(labels, preOutput, activationFn, mask)
                .divi(pixelsPerMean(mask, preOutput));
    }

    /**
     * What an example's summed loss is divided by: {@code pixelsPerExample} without a mask; with one, the rows the
     * mask counts per example of the batch ({@code counted * pixelsPerExample / rows}), so that the batch's mean is
     * over the counted pixels; {@code pixelsPerExample} when the mask counts none (the sum is 0 then).
     */
    private double pixelsPerMean(INDArray mask, INDArray preOutput) {
        long rows = preOutput.size(0);
        if (rows % pixelsPerExample != 0) {
            throw new IllegalArgumentException("PixelMeanLoss.pixelsPerExample is " + pixelsPerExample
                    + " (the output's height times width it was built for) but the minibatch has " + rows
                    + " pixels (rows), not a multiple of it: the images are not of the size the loss was built"
                    + " for; build the network's loss for the output's height*width, or feed images of that size");
        }
        if (mask == null) {
            return pixelsPerExample;
        }
        double counted = Transforms.abs(mask.reshape(rows, -1), true).max(1).gt(0.0).castTo(DataType.DOUBLE)
                .sumNumber().doubleValue();
        return counted == 0 ? pixelsPerExample : counted * pixelsPerExample / rows;
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
