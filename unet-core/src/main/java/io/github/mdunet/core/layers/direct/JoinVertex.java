package io.github.mdunet.core.layers.direct;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime side both {@link ActivatedJoin}s share: no layer, no parameters, no masks, and the output of the last
 * training forward pass kept for the backward pass (and dropped by it and by {@link #clear()}).
 */
abstract class JoinVertex extends BaseGraphVertex {

    final OutputActivation activation;
    /** The configuration's class name, for messages. */
    private final String kind;
    /** The output of the last training forward pass; null otherwise. */
    INDArray output;

    JoinVertex(ComputationGraph graph, String name, int index, DataType dataType, OutputActivation activation,
               Class<? extends ActivatedJoin> configuration) {
        super(graph, name, index, null, null, dataType);
        this.activation = activation;
        this.kind = configuration.getSimpleName();
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    /** @throws IllegalStateException naming the vertex when the inputs are not set */
    void checkForward() {
        if (!canDoForward()) {
            throw new IllegalStateException(describe() + ": cannot do the forward pass, inputs not set");
        }
    }

    /**
     * The output kept by the training forward pass, released here.
     *
     * @throws IllegalStateException naming the vertex when there is no epsilon or no training forward pass
     */
    INDArray takeOutputForBackward() {
        if (!canDoBackward()) {
            throw new IllegalStateException(describe() + ": cannot do the backward pass, epsilon not set");
        }
        if (output == null) {
            throw new IllegalStateException(describe() + ": the backward pass needs a training forward pass first");
        }
        INDArray kept = output;
        output = null;
        return kept;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException(describe() + " has no parameters, so no gradient view");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return new Pair<>(null, currentMaskState);
    }

    @Override
    public void clear() {
        super.clear();
        output = null;
    }

    /** The configuration's class and the vertex's name, for messages. */
    String describe() {
        return kind + " '" + getVertexName() + "'";
    }

    @Override
    public String toString() {
        return kind + "Vertex(id=" + getVertexIndex() + ", name=\"" + getVertexName() + "\", activation="
                + activation.kind() + ")";
    }
}
