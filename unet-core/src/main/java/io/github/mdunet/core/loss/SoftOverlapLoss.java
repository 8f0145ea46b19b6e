package io.github.mdunet.core.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss that is one soft overlap per group of rows ({@link DiceLoss}, {@link TverskyLoss}): the computations DL4J
 * calls, over the {@link SoftOverlap.Overlap} a subclass gives. The tensor contract is {@link DiceLoss}'s.
 */
public abstract class SoftOverlapLoss extends GroupedDiceLoss {

    private static final long serialVersionUID = 1L;

    SoftOverlapLoss() {
    }

    SoftOverlapLoss(double[] classWeights, double smooth, int pixelsPerExample) {
        super(classWeights, smooth, pixelsPerExample);
    }

    /** The overlap's weights and smoothing, from the subclass's settings. */
    abstract SoftOverlap.Overlap overlap();

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        SoftOverlap.Result result = compute(labels, preOutput, activationFn, mask, false);
        double score = result.groupLoss().sumNumber().doubleValue();
        return average ? score / result.groupLoss().length() : score;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        SoftOverlap.Result result = compute(labels, preOutput, activationFn, mask, false);
        return LossSupport.spreadOverRows(result.groupLoss(), preOutput.size(0));
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        SoftOverlap.Result result = compute(labels, preOutput, activationFn, mask, true);
        return activationFn.backprop(preOutput.dup(), result.lossGradient()).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        SoftOverlap.Result result = compute(labels, preOutput, activationFn, mask, true);
        double score = result.groupLoss().sumNumber().doubleValue();
        INDArray gradient = activationFn.backprop(preOutput.dup(), result.lossGradient()).getFirst();
        return new Pair<>(average ? score / result.groupLoss().length() : score, gradient);
    }

    private SoftOverlap.Result compute(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean withGradient) {
        INDArray checkedMask = checkedInputs(labels, preOutput, mask);
        int groups = groupCount(preOutput.size(0));
        INDArray probabilities = activationFn.getActivation(preOutput.dup(), true);
        return SoftOverlap.compute(labels, probabilities, checkedMask, classWeights, overlap(), groups, withGradient);
    }
}
