package io.github.mdunet.core.layers;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A SameDiff layer on NCHW feature maps, the base of this package's layers: input {@code [N, C, H, W]}, output
 * {@code [N, C', H', W']} as documented by each subclass. It corrects the doubled gradients of DL4J 1.0.0-M2.1's
 * SameDiff layers (see {@code GradientHalvingRuntimeLayer}; the class was called {@code CorrectedSameDiffLayer}),
 * gives value equality that survives a JSON round trip, and builds the memory report from the parameter
 * shapes plus a per-layer estimate of SameDiff's intermediate arrays.
 *
 * <p>Weights are initialised with the layer's {@code weightInit} (or {@code paramWeightInit} per parameter), by
 * default {@link WeightInit#RELU} (He normal); the network-wide {@code weightInit} of
 * {@code NeuralNetConfiguration.Builder} is not applied to SameDiff layers in M2.1. Biases start at 0.
 *
 * <p>Subclasses mark every configuration field {@code @JsonProperty}: DL4J's Jackson mapper sees only public
 * getters and setters by itself, and silently resets a field it does not see to its default on restore. Jackson
 * writes the fields without the constructor's checks, so a subclass puts them in {@link #checkSettings()}, which
 * {@link #instantiate} runs again. {@link #inferChannels} forgets the cached parameter shapes when it sets the
 * input channels.
 */
public abstract class NchwSameDiffLayer extends SameDiffLayer {

    /** Sets {@code weightInit} to the default of every layer here, He (Kaiming) normal N(0, 2 / fanIn). */
    protected NchwSameDiffLayer() {
        this.weightInit = WeightInit.RELU;
    }

    /**
     * Checks the subclass's own settings, throwing an IllegalArgumentException that names the field: run by the
     * constructors, and by {@link #instantiate} for a configuration that Jackson restored. Nothing by default.
     */
    protected void checkSettings() {
    }

    /**
     * Same as {@link SameDiffLayer#instantiate}, after {@link #checkSettings()}, except for the runtime class,
     * which halves the gradients (see {@code GradientHalvingRuntimeLayer}).
     */
    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        LayerChecks.checkRestored(describe(), this::checkSettings);
        GradientHalvingRuntimeLayer ret = new GradientHalvingRuntimeLayer(conf, networkDataType);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        ret.setParamTable(paramTable);
        ret.setConf(conf);
        return ret;
    }

    /**
     * Runtime side of every layer in this package: DL4J's runtime SameDiff layer with its gradients halved and
     * a working {@code setParam}.
     *
     * <p>Why the halving: in DL4J 1.0.0-M2.1 the SameDiff graph that a {@code SameDiffLayer} builds ends in an
     * {@code ExternalErrorsFunction} whose {@code doDiff()} both registers the incoming epsilon as the output's
     * gradient and returns it, and {@code DifferentialFunction.diff()} then adds the returned value to the one
     * already registered. The output's gradient is therefore 2 x epsilon, and because backprop is linear in it,
     * every parameter gradient and the epsilon passed to the previous layer come back exactly doubled (gradient
     * checks fail with relative error 1/3; Adam hides it, SGD, clipping and normalisation do not). Halving both
     * restores the true gradient. The gradient-check and SGD-step tests of each layer fail if this is removed or
     * if a later DL4J version fixes the bug upstream (then delete this class).
     */
    static final class GradientHalvingRuntimeLayer extends org.deeplearning4j.nn.layers.samediff.SameDiffLayer {

        GradientHalvingRuntimeLayer(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            Pair<Gradient, INDArray> result = super.backpropGradient(epsilon, workspaceMgr);
            // The arrays in the Gradient are views of this layer's gradient view array, so halving them in
            // place halves what the updater reads.
            for (INDArray parameterGradient : result.getFirst().gradientForVariable().values()) {
                parameterGradient.muli(0.5);
            }
            if (result.getSecond() != null) {
                result.getSecond().muli(0.5);
            }
            return result;
        }

        /**
         * M2.1's {@code SameDiffLayer.setParam} validates the key and shape and then drops the value (so do
         * {@code ComputationGraph.setParam} and {@code setParamTable}); copy it into the parameter view.
         */
        @Override
        public void setParam(String key, INDArray val) {
            super.setParam(key, val);
            getParam(key).assign(val);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Shapes and validation shared by the subclasses

    /** Layer type and name for messages, e.g. {@code PixelShuffle 'decoder1-shuffle'}. */
    protected String describe() {
        return getClass().getSimpleName() + (layerName == null ? "" : " '" + layerName + "'");
    }

    /** The input type as NCHW convolutional, or an IllegalStateException naming the layer and the type. */
    protected InputType.InputTypeConvolutional convolutionalInput(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional convolutional)) {
            throw new IllegalStateException(describe() + " expects a convolutional (CNN, NCHW) input type but got "
                    + inputType);
        }
        if (convolutional.getFormat() != CNN2DFormat.NCHW) {
            throw new IllegalStateException(describe() + " supports only the NCHW data format but got " + inputType);
        }
        return convolutional;
    }

    /**
     * The channel count to use after {@code setNIn}: the input type's when the configured one is 0 or
     * {@code override} is set, else the configured one, which must then equal the input's. Forgets the cached
     * parameter shapes, which depend on it.
     */
    protected int inferChannels(String field, int configured, InputType inputType, boolean override) {
        long actual = convolutionalInput(inputType).getChannels();
        resetParamShapes();
        if (configured == 0 || override) {
            return Math.toIntExact(actual);
        }
        requireInputChannels(field, configured, actual);
        return configured;
    }

    /**
     * An IllegalStateException naming the layer, the field and both counts when the input's channels differ from the
     * configured ones; a configured 0 (not inferred yet) takes any input.
     */
    protected void requireInputChannels(String field, long configured, long actual) {
        if (configured != 0 && configured != actual) {
            throw new IllegalStateException(describe() + ": " + field + " is " + configured + " but the input has "
                    + actual + " channels");
        }
    }

    /** Forget the cached parameter shapes, which depend on the channels {@link #inferChannels} sets. */
    private void resetParamShapes() {
        setLayerParams(null);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    /** The NCHW output type of {@link #outputType}, after checking that the input type is NCHW convolutional. */
    @Override
    public final InputType getOutputType(int layerIndex, InputType inputType) {
        return outputType(convolutionalInput(inputType));
    }

    /**
     * The output type for an NCHW input, or an IllegalStateException naming the layer when the input does not fit
     * the configuration (its channels, say). The same checks run on every input array (see
     * {@link #validateInputShape}).
     */
    protected abstract InputType outputType(InputType.InputTypeConvolutional input);

    /** Checks rank 4 and hands {@code [C, H, W]} to {@link #validateInputShape}. */
    @Override
    public void validateInput(INDArray input) {
        if (input.rank() != 4) {
            throw new IllegalStateException(describe() + " expects a rank 4 NCHW input but got shape "
                    + Arrays.toString(input.shape()));
        }
        validateInputShape(input.size(1), input.size(2), input.size(3));
    }

    /**
     * Run-time check of one input's channels and spatial size, throwing IllegalStateException: by default the checks
     * of {@link #outputType}, so that an input array is held to the same rules as the InputType.
     */
    protected void validateInputShape(long channels, long height, long width) {
        outputType((InputType.InputTypeConvolutional) InputType.convolutional(height, width, channels,
                CNN2DFormat.NCHW));
    }

    /**
     * He normal (or the configured {@code weightInit}/{@code paramWeightInit}) into {@code target}.
     *
     * @param parameterName key into {@code paramWeightInit}, which wins over {@code weightInit}
     */
    protected void initWeights(String parameterName, INDArray target, double fanIn, double fanOut) {
        IWeightInit init;
        if (paramWeightInit != null && paramWeightInit.containsKey(parameterName)) {
            init = paramWeightInit.get(parameterName);
        } else if (weightInit != null) {
            init = weightInit.getWeightInitFunction();
        } else {
            init = new WeightInitRelu();
        }
        init.init(fanIn, fanOut, target.shape(), 'c', target);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Memory report

    /**
     * Elements of the intermediate arrays SameDiff holds for one example in a forward pass (an estimate;
     * training is counted as twice this plus the gradients of input and output).
     */
    protected abstract long intermediateElementsPerExample(InputType.InputTypeConvolutional input);

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType.InputTypeConvolutional input = convolutionalInput(inputType);
        InputType output = getOutputType(-1, inputType);
        long parameters = 0;
        for (long[] shape : getLayerParams().getParamShapes().values()) {
            parameters += Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }
        long updaterState = updater == null ? 0 : updater.stateSize(parameters);
        long inference = intermediateElementsPerExample(input);
        long training = 2 * inference + input.arrayElementsPerExample() + output.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, output)
                .standardMemory(parameters, updaterState)
                .workingMemory(0, inference, 0, training)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Value equality. Lombok's equals of the DL4J superclasses also compares the lazily computed parameter
    // shapes (null until first used), so a fresh layer would not equal a used one; compare the configuration.

    /**
     * The subclass's own configuration values (its fields, in a fixed order), compared by {@link #equals} and hashed
     * by {@link #hashCode} after the settings every layer has, and listed by {@link #toString}. None by default.
     */
    protected List<LayerSetting> settings() {
        return List.of();
    }

    /** The class, the layer name and the {@link #settings()}: {@code PixelShuffle(layerName=up1, upscaleFactor=2)}. */
    @Override
    public String toString() {
        return LayerSetting.describe(getClass().getSimpleName(), layerName, settings());
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || getClass() != o.getClass()) {
            return false;
        }
        NchwSameDiffLayer that = (NchwSameDiffLayer) o;
        return Objects.equals(layerName, that.layerName)
                && Objects.equals(iDropout, that.iDropout)
                && Objects.equals(constraints, that.constraints)
                && Objects.equals(regularization, that.regularization)
                && Objects.equals(regularizationBias, that.regularizationBias)
                && Objects.equals(updater, that.updater)
                && Objects.equals(biasUpdater, that.biasUpdater)
                && gradientNormalization == that.gradientNormalization
                && Double.compare(gradientNormalizationThreshold, that.gradientNormalizationThreshold) == 0
                && weightInit == that.weightInit
                && Objects.equals(paramWeightInit, that.paramWeightInit)
                && settings().equals(that.settings());
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass().getName(), layerName, iDropout, constraints, regularization, regularizationBias,
                updater, biasUpdater, gradientNormalization, gradientNormalizationThreshold, weightInit,
                paramWeightInit, settings());
    }
}
