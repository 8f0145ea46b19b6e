package io.github.mdunet.core.loss;

import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A class-weighted loss with a soft Dice term computed per group of rows ({@link DiceLoss},
 * {@link CrossEntropyDiceLoss}): the Dice smoothing and the group size, with their checks.
 */
public abstract class GroupedDiceLoss extends ClassWeightedLoss {

    private static final long serialVersionUID = 1L;
    static final double DEFAULT_SMOOTH = 1.0;

    /** Added to numerator and denominator of the Dice; keeps the gradient finite (absent classes count 0). */
    @JsonProperty
    double smooth = DEFAULT_SMOOTH;
    /** Output height*width for one group (one Dice) per example, or 0 for one group per minibatch. */
    @JsonProperty
    int pixelsPerExample;

    GroupedDiceLoss() {
    }

    GroupedDiceLoss(double[] classWeights, double smooth, int pixelsPerExample) {
        super(classWeights);
        this.smooth = smooth;
        this.pixelsPerExample = pixelsPerExample;
    }

    @Override
    void checkSettings() {
        super.checkSettings();
        LossSupport.checkSmooth(owner(), smooth);
        LossSupport.checkPixelsPerExample(owner(), pixelsPerExample);
    }

    /** The number of groups among the output's rows, checked against {@link #pixelsPerExample}. */
    final int groupCount(long rows) {
        return LossSupport.groupCount(owner(), rows, pixelsPerExample);
    }
}
