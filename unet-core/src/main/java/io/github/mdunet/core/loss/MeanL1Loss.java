package io.github.mdunet.core.loss;

import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Mean absolute error per example: {@code mean over channels and pixels of |y' - y|}, where {@code y'} is the
 * activation of the output (PyTorch's {@code F.l1_loss}). Unlike DL4J's {@code LossL1} in a {@code CnnLossLayer} (a
 * sum over pixels), its value does not grow with the image size, so scores compare across sizes and with PSNR. It is
 * the same mean as {@link PixelMeanLoss} over DL4J's {@code LossMSE} (the regression heads' default loss), over
 * pixels and channels; {@code PixelMeanLoss} over DL4J's {@code LossMAE} would be this loss too, but in M2.1
 * {@code LossMAE.computeScoreArray} sums over channels (it divides the summed {@code [rows, 1]} array by its width,
 * 1) while its score and gradient are means (a test pins this).
 *
 * <p>Tensor contract: {@code CnnLossLayer} hands {@code [N*H*W, C]} rows; {@code pixelsPerExample = H*W}.
 * {@link #computeScoreArray} gives each row {@code sum_c |y' - y| / (C * H * W)}, so an example's rows add up to its
 * loss; {@code computeScore(average=false)} is the sum over examples. A mask ({@code [rows, 1]} or
 * {@code [rows, C]}) removes values from the sums without changing the divisor. The derivative of
 * {@code |d|} at {@code d = 0} is taken as 0.
 */
public class MeanL1Loss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    /** Output height*width: how many rows make one example. Restored without checks: every computation checks it. */
    @JsonProperty
    private int pixelsPerExample = 1;

    /** For Jackson; use {@link #MeanL1Loss(int)}. */
    public MeanL1Loss() {
    }

    /** @param pixelsPerExample the output's height times width, >= 1 */
    public MeanL1Loss(int pixelsPerExample) {
        this.pixelsPerExample = pixelsPerExample;
        checkSettings();
    }

    private void checkSettings() {
        if (pixelsPerExample < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".pixelsPerExample must be >= 1 (the"
                    + " output's height*width) but was " + pixelsPerExample);
        }
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        double score = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? score / examples(preOutput) : score;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray difference = difference(labels, preOutput, activationFn);
        INDArray absolute = LossSupport.applyMask(Transforms.abs(difference, false), checkedMask(mask, preOutput));
        return absolute.sum(true, 1).divi(divisor(preOutput));
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray difference = difference(labels, preOutput, activationFn);
        INDArray gradient = LossSupport.applyMask(Transforms.sign(difference, false), checkedMask(mask, preOutput))
                .divi(divisor(preOutput));
        return activationFn.backprop(preOutput.dup(), gradient).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        return LossSupport.scoreThenGradient(this, labels, preOutput, activationFn, mask, average);
    }

    private INDArray difference(INDArray labels, INDArray preOutput, IActivation activationFn) {
        checkSettings();
        LossSupport.checkShapes(getClass().getSimpleName(), labels, preOutput);
        examples(preOutput);
        return activationFn.getActivation(preOutput.dup(), true).subi(labels.castTo(preOutput.dataType()));
    }

    private INDArray checkedMask(INDArray mask, INDArray preOutput) {
        return LossSupport.checkedMask(getClass().getSimpleName(), mask, preOutput);
    }

    private double divisor(INDArray preOutput) {
        return (double) preOutput.size(1) * pixelsPerExample;
    }

    private long examples(INDArray preOutput) {
        long rows = preOutput.size(0);
        if (rows % pixelsPerExample != 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".pixelsPerExample is " + pixelsPerExample
                    + " but the minibatch has " + rows + " rows, not a multiple of it: set it to the output's"
                    + " height*width");
        }
        return rows / pixelsPerExample;
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((MeanL1Loss) o).pixelsPerExample == pixelsPerExample;
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass(), pixelsPerExample);
    }

    @Override
    public String toString() {
        return "MeanL1Loss(pixelsPerExample=" + pixelsPerExample + ")";
    }
}
