package io.github.mdunet.core.testing;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies of a graph's parameters, to compare before and after training. */
public final class ParameterSnapshot {

    private ParameterSnapshot() {
    }

    /** Every parameter of {@code graph} (batch-norm statistics included), copied, keyed {@code layer.param}. */
    public static Map<String, INDArray> of(ComputationGraph graph) {
        Map<String, INDArray> parameters = new HashMap<>();
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            layer.paramTable().forEach((key, value) -> parameters.put(name + "." + key, value.dup()));
        }
        return parameters;
    }
}
