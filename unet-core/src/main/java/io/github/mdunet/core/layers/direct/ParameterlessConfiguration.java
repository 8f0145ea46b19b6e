package io.github.mdunet.core.layers.direct;

import io.github.mdunet.core.layers.LayerChecks;
import io.github.mdunet.core.layers.LayerSetting;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration base of the direct layers without parameters: NCHW convolutional input and output, no parameters, a
 * memory report of the output alone (the backward pass needs nothing from the forward pass), and value equality on
 * the layer name plus each subclass's fields. Subclasses mark their fields {@code @JsonProperty} (DL4J's Jackson
 * mapper would not see them otherwise) and check them in {@link #checkSettings()}, which {@code instantiate} runs
 * again for a configuration Jackson restored.
 */
public abstract class ParameterlessConfiguration extends NoParamLayer implements DirectLayerConfiguration {

    /** For Jackson and subclasses. */
    protected ParameterlessConfiguration() {
    }

    /** The runtime layer. */
    abstract ParameterlessLayer<?> createRuntime(NeuralNetConfiguration conf, DataType dataType);

    /** Checks the subclass's own settings, throwing an IllegalArgumentException naming the field; none by default. */
    void checkSettings() {
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        LayerChecks.checkRestored(describe(), this::checkSettings);
        return DirectLayers.instantiated(createRuntime(conf, networkDataType), this, conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    /** The input type as NCHW convolutional, or an IllegalStateException naming the layer and the type. */
    InputType.InputTypeConvolutional convolutionalInput(InputType inputType) {
        return DirectLayers.convolutionalInput(this, inputType);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return DirectLayers.memoryReport(this, inputType, getOutputType(-1, inputType), 0, 0,
                DirectLayers.WorkingMemory.NONE);
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    /**
     * The subclass's own configuration values, in a fixed order, for {@link #equals}, {@link #hashCode} and
     * {@link #toString}. None by default.
     */
    List<LayerSetting> settings() {
        return List.of();
    }

    /** The class, the layer name and the {@link #settings()}: {@code DirectBilinearResize(layerName=up1, ...)}. */
    @Override
    public String toString() {
        return LayerSetting.describe(getClass().getSimpleName(), layerName, settings());
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o != null && getClass() == o.getClass()
                && Objects.equals(layerName, ((ParameterlessConfiguration) o).layerName)
                && settings().equals(((ParameterlessConfiguration) o).settings()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass().getName(), layerName, settings());
    }
}
