package io.github.mdunet.core.layers.direct;

import io.github.mdunet.core.layers.LayerSetting;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The configuration both parameterless joins share: a graph vertex that joins two or more NCHW inputs and applies an
 * activation differentiated from its output ({@link OutputActivation}), so it keeps one array, its output, for the
 * backward pass. {@link ResidualActivation} sums, {@link ConcatActivation} concatenates.
 */
public abstract class ActivatedJoin extends GraphVertex {

    /** Checked by the constructor, and again by {@link #outputActivation} when a restored join is instantiated. */
    @JsonProperty
    private IActivation activation = Activation.RELU.getActivationFunction();

    /** ReLU; for Jackson and subclasses. */
    ActivatedJoin() {
    }

    /** @throws IllegalArgumentException when the activation is not one of {@link OutputActivation#SUPPORTED} */
    ActivatedJoin(IActivation activation) {
        OutputActivation.of(activation, getClass().getSimpleName());
        this.activation = activation;
    }

    public IActivation getActivation() {
        return activation;
    }

    /** The checked activation, with the vertex's name in the error. */
    OutputActivation outputActivation(String name) {
        return OutputActivation.of(activation, getClass().getSimpleName() + " '" + name + "'");
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    /** No parameters or working memory; the activations are the output. */
    LayerMemoryReport outputOnlyReport(InputType input, InputType output) {
        return new LayerMemoryReport.Builder(null, getClass(), input, output)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** The activation and the subclass's own settings, for {@code equals}, {@code hashCode} and {@code toString}. */
    abstract List<LayerSetting> settings();

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((ActivatedJoin) o).settings().equals(settings());
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass().getName(), settings());
    }

    @Override
    public String toString() {
        return LayerSetting.describe(getClass().getSimpleName(), settings());
    }
}
