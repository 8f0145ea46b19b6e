package io.github.mdunet.core.layers.direct;

import io.github.mdunet.core.layers.LayerSetting;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Batch normalisation over the channels of an NCHW array, {@code [N, C, H, W] -> [N, C, H, W]}, on libnd4j's ops
 * called directly: DL4J's {@code BatchNormalization} configuration (its parameters {@code gamma}, {@code beta},
 * {@code mean} and {@code var}, each {@code [C]}, their updaters, no regularisation), with the running variance
 * always stored as a variance ({@code useLogStd} false) and another runtime:
 * <ul>
 *   <li>the batch's statistics by {@link NativeOps#moments}, where DL4J's oneDNN helper takes ND4J's reductions over
 *       axes 0, 2 and 3;</li>
 *   <li>the backward pass by {@link NativeOps#batchNormBackprop}, where the helper calls libnd4j's
 *       {@code batchnorm_bp}; the output, which no one reads after this layer's backward pass, is its working array,
 *       so the input (in a U-Net an encoder's skip, which other layers still read) is left as it was;</li>
 *   <li>the running variance moves by the batch's unbiased variance, as PyTorch's and the fused blocks'
 *       ({@link ConvNormActivation}) do, where DL4J's moves by the biased one.</li>
 * </ul>
 * Like the stock layer, training keeps nothing but the output (the input is the layer before's output). Backprop
 * after an inference forward pass (as under {@code FrozenLayerWithBackprop}) differentiates the affine map of the
 * fixed running statistics, which then take zero steps. A convolutional input type ({@code CNN}, or {@code CNNFlat},
 * which DL4J's preprocessor reshapes to NCHW) is required.
 *
 * <p>Built by its constructors, by {@link #of} from a stock configuration, or by {@link #builder()}, DL4J's batch-norm
 * builder building this class. Two setters have no effect: {@link #setUseLogStd}, as DL4J's graph deserializer calls
 * it with {@code true} for a configuration saved before {@code init()}, which lists no parameters yet; and
 * {@link #setIDropout}, as DL4J's batch norm never applies dropout and DL4J's global dropout
 * ({@code NeuralNetConfiguration.Builder.dropOut}, {@code FineTuneConfiguration}) sets it on every layer (Jackson
 * restores it through the setter too, so no configuration holds one).
 *
 * <p>Refused when {@code instantiate} builds it (a configuration Jackson restored included): {@code lockGammaBeta},
 * an NHWC {@code cnn2DFormat}, {@code eps <= 0}, {@code decay} outside {@code [0, 1)}, no {@code nOut} or an
 * {@code nOut} other than {@code nIn}; and, when the graph is configured, an input that is not convolutional NCHW. A
 * graph configured with input types takes {@code nIn} and {@code nOut} from the input's channels, as for DL4J's
 * layers, whatever was set.
 */
public class DirectBatchNorm extends BatchNormalization implements DirectLayerConfiguration {

    /** The JSON property that names a DL4J layer's configuration class ({@code Layer}'s type information). */
    private static final String CLASS_PROPERTY = Layer.class.getAnnotation(JsonTypeInfo.class).property();

    /** DL4J's defaults: {@code eps} 1e-5 and {@code decay} 0.9; the variance stored as it is. */
    public DirectBatchNorm() {
        useLogStd = false;
    }

    /** With the given {@code eps} (> 0) and {@code decay} (in [0, 1): running = decay * running + ...). */
    public DirectBatchNorm(double eps, double decay) {
        this();
        this.eps = eps;
        this.decay = decay;
        checkSettings();
    }

    /**
     * A {@code DirectBatchNorm} with every setting of {@code settings} (name, nIn, nOut, eps, decay, updaters,
     * constraints...), restored through DL4J's JSON as a saved configuration is, the variance stored as a variance
     * (a constraint on {@code log10stdev} applies to {@code var}), without dropout (which DL4J's layer ignores).
     *
     * @throws IllegalArgumentException naming the field, as {@code instantiate} would
     */
    public static DirectBatchNorm of(BatchNormalization settings) {
        Objects.requireNonNull(settings, "settings: the stock batch norm to copy");
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ObjectNode json = mapper.valueToTree(settings);
        json.put(CLASS_PROPERTY, DirectBatchNorm.class.getName());
        DirectBatchNorm layer;
        try {
            layer = (DirectBatchNorm) mapper.treeToValue(json, Layer.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("DL4J's JSON of " + settings + " could not be read back", e);
        }
        layer.useLogStd = false;
        layer.iDropout = null;
        for (LayerConstraint constraint : layer.getConstraints() == null ? List.<LayerConstraint>of()
                : layer.getConstraints()) {
            Set<String> parameters = new HashSet<>(constraint.getParams());
            if (parameters.remove(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)) {
                parameters.add(BatchNormalizationParamInitializer.GLOBAL_VAR);
                constraint.setParams(parameters);
            }
        }
        layer.checkSettings();
        return layer;
    }

    /** DL4J's batch-norm builder, whose {@code build()} makes a {@code DirectBatchNorm} ({@link #of}). */
    public static Builder builder() {
        return new Builder();
    }

    /** The variance is always stored as a variance: {@code useLogStd} stays false whatever is asked. */
    @Override
    public void setUseLogStd(boolean ignored) {
        useLogStd = false;
    }

    /** No dropout, as in DL4J's batch norm, which ignores it: the dropout stays null whatever is asked. */
    @Override
    public void setIDropout(IDropout ignored) {
        iDropout = null;
    }

    /** Checks every setting; the message names the field, its value and what it may be. */
    private void checkSettings() {
        if (!(eps > 0)) {
            throw new IllegalArgumentException(describe() + ": eps must be > 0 but was " + eps);
        }
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException(describe() + ": decay must be in [0, 1) but was " + decay);
        }
        if (lockGammaBeta) {
            throw new IllegalArgumentException(describe() + ": lockGammaBeta is not supported (gamma and beta are"
                    + " always learnt); use DL4J's BatchNormalization for fixed gamma and beta");
        }
        if (cnn2DFormat != CNN2DFormat.NCHW) {
            throw new IllegalArgumentException(describe() + ": cnn2DFormat must be NCHW but was " + cnn2DFormat);
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNOutSet(getClass().getSimpleName(), getLayerName(), layerIndex, getNOut());
        if (nIn != nOut) {
            throw new IllegalArgumentException(describe() + ": nIn and nOut are the channels and must be equal, but"
                    + " nIn is " + nIn + " and nOut " + nOut + "; set both to the input's channels, or neither and give"
                    + " the graph its input types");
        }
        checkSettings();
        return DirectLayers.instantiated(new DirectBatchNormLayer(conf, networkDataType), this, conf,
                trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return DirectLayers.convolutionalInput(this, inputType);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        super.setNIn(DirectLayers.convolutionalInput(this, inputType), override);
    }

    /**
     * Parameters and updater state as DL4J's layer; activations: the output; nothing kept besides it; training: the
     * batch's statistics and, transiently, the input's gradient (the batch norm's backward pass works in the output,
     * also after an inference forward pass, where the output takes a copy of the input); inference none.
     */
    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType output = getOutputType(-1, inputType);
        long parameters = initializer().numParams(this);
        long updaterState = 0;
        for (String key : initializer().paramKeys(this)) {
            updaterState += getUpdaterByParam(key).stateSize(nOut);
        }
        return DirectLayers.memoryReport(this, inputType, output, parameters, updaterState,
                new DirectLayers.WorkingMemory(0, 2 * nOut, output.arrayElementsPerExample(), 0));
    }

    @Override
    public DirectBatchNorm clone() {
        return (DirectBatchNorm) super.clone();
    }

    /** Equal to another {@code DirectBatchNorm} of equal settings, never to DL4J's own layer. */
    @Override
    public boolean equals(Object o) {
        return o instanceof DirectBatchNorm && super.equals(o);
    }

    /** DL4J's layer's hash of the same settings: equal layers hash equally. */
    @Override
    public int hashCode() {
        return super.hashCode();
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof DirectBatchNorm;
    }

    /** The layer name, nIn, nOut, eps and decay. */
    @Override
    public String toString() {
        return LayerSetting.describe(getClass().getSimpleName(), layerName, List.of(new LayerSetting("nIn", nIn),
                new LayerSetting("nOut", nOut), new LayerSetting("eps", eps), new LayerSetting("decay", decay)));
    }

    /**
     * DL4J's batch-norm builder (every setting of {@link BatchNormalization.Builder}) whose {@link #build()} makes a
     * {@link DirectBatchNorm} by {@link DirectBatchNorm#of}; its {@code useLogStd} and dropout have no effect. Its
     * inherited setters return DL4J's builder type, so a chain's {@code build()} is typed {@code BatchNormalization}
     * (the object is a {@code DirectBatchNorm}).
     */
    public static final class Builder extends BatchNormalization.Builder {

        @Override
        public DirectBatchNorm build() {
            return of(super.build());
        }
    }
}
