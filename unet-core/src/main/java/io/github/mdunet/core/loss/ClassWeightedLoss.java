package io.github.mdunet.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * What the class-weighted segmentation losses ({@link DiceLoss}, {@link CrossEntropyDiceLoss}, {@link FocalLoss})
 * share: the optional class weights with their checks, and the input checks every computation starts with.
 * The field keeps its name in the saved JSON.
 */
public abstract class ClassWeightedLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    /** One weight per class (length K), or {@code null} for uniform weights. */
    double[] classWeights;

    ClassWeightedLoss() {
    }

    public double[] getClassWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    public void setClassWeights(double[] classWeights) {
        this.classWeights = LossSupport.validatedClassWeights(owner(), classWeights);
    }

    @Override
    public String name() {
        return toString();
    }

    /** The class name, first word of every message. */
    final String owner() {
        return getClass().getSimpleName();
    }

    /**
     * Checks labels against the output ({@code [rows, K]} both) and the class weights against K, and returns the
     * mask checked against the output (null for none).
     */
    final INDArray checkedInputs(INDArray labels, INDArray preOutput, INDArray mask) {
        String owner = owner();
        LossSupport.checkShapes(owner, labels, preOutput);
        LossSupport.checkClassWeights(owner, classWeights, preOutput.size(1));
        return LossSupport.checkedMask(owner, mask, preOutput);
    }
}
