package io.github.mdunet.core.loss;

import io.github.mdunet.core.layers.LayerSetting;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * What the class-weighted segmentation losses ({@link DiceLoss}, {@link CrossEntropyDiceLoss}, {@link FocalLoss},
 * {@link LovaszLoss}, {@link TverskyLoss}) share: the optional class weights with their checks, the input checks every
 * computation starts with, and value equality, {@code hashCode} and {@code toString} from the list of each subclass's
 * {@link #settings()}, which must name every saved field (one left out would not count for equality).
 * The fields are saved by their {@code @JsonProperty} under their names (DL4J's Jackson mapper would not see them
 * otherwise) and restored without checks, so every computation starts with {@link #checkSettings()} too.
 */
public abstract class ClassWeightedLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    /** One weight per class (length K), or {@code null} for uniform weights. */
    @JsonProperty
    double[] classWeights;

    ClassWeightedLoss() {
    }

    /** @param classWeights copied; checked by {@link #checkSettings()}, which the subclass's constructor runs */
    ClassWeightedLoss(double[] classWeights) {
        this.classWeights = classWeights == null ? null : classWeights.clone();
    }

    /**
     * Checks every setting, throwing an IllegalArgumentException that names the class and the field: run by the
     * constructors and at the start of every computation. A subclass adds the checks of its own fields, in the order
     * its constructor takes them.
     */
    void checkSettings() {
        LossSupport.checkClassWeightValues(owner(), classWeights);
    }

    /**
     * This loss's configuration values in a fixed order ({@link #classWeightsSetting()} for the class weights), which
     * give its {@link #equals}, {@link #hashCode} and {@link #toString} (and so its {@link #name()}).
     */
    abstract List<LayerSetting> settings();

    /** The class weights as a setting, a list (or null), so that equal weights compare equal. */
    final LayerSetting classWeightsSetting() {
        return new LayerSetting("classWeights",
                classWeights == null ? null : Arrays.stream(classWeights).boxed().toList());
    }

    @Override
    public final boolean equals(Object o) {
        ClassWeightedLoss other = LossSupport.sameClass(this, o);
        return other != null && settings().equals(other.settings());
    }

    @Override
    public final int hashCode() {
        return Objects.hash(getClass().getName(), settings());
    }

    /** The class and the {@link #settings()}: {@code DiceLoss(classWeights=null, smooth=1.0, pixelsPerExample=0)}. */
    @Override
    public final String toString() {
        return LayerSetting.describe(owner(), settings());
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
     * Checks the settings, labels against the output ({@code [rows, K]} both) and the class weights against K, and
     * returns the mask checked against the output (null for none).
     */
    final INDArray checkedInputs(INDArray labels, INDArray preOutput, INDArray mask) {
        checkSettings();
        String owner = owner();
        LossSupport.checkShapes(owner, labels, preOutput);
        LossSupport.checkClassWeights(owner, classWeights, preOutput.size(1));
        return LossSupport.checkedMask(owner, mask, preOutput);
    }
}
