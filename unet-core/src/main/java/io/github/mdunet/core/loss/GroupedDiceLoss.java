package io.github.mdunet.core.loss;

/**
 * A class-weighted loss with a soft Dice term computed per group of rows ({@link DiceLoss},
 * {@link CrossEntropyDiceLoss}): the Dice smoothing and the group size, with their checks. The fields keep their
 * names in the saved JSON.
 */
public abstract class GroupedDiceLoss extends ClassWeightedLoss {

    private static final long serialVersionUID = 1L;
    static final double DEFAULT_SMOOTH = 1.0;

    /** Added to numerator and denominator of the Dice; keeps empty classes at loss 0 and the gradient finite. */
    double smooth = DEFAULT_SMOOTH;
    /** Output height*width for one group (one Dice) per example, or 0 for one group per minibatch. */
    int pixelsPerExample;

    GroupedDiceLoss() {
    }

    public double getSmooth() {
        return smooth;
    }

    public void setSmooth(double smooth) {
        LossSupport.checkSmooth(owner(), smooth);
        this.smooth = smooth;
    }

    public int getPixelsPerExample() {
        return pixelsPerExample;
    }

    public void setPixelsPerExample(int pixelsPerExample) {
        LossSupport.checkPixelsPerExample(owner(), pixelsPerExample);
        this.pixelsPerExample = pixelsPerExample;
    }

    /** The number of groups among the output's rows, checked against {@link #pixelsPerExample}. */
    final int groupCount(long rows) {
        return LossSupport.groupCount(owner(), rows, pixelsPerExample);
    }
}
