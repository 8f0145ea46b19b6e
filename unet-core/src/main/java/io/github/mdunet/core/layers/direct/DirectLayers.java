package io.github.mdunet.core.layers.direct;

import java.util.Collection;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the configurations of this package's layers share, whatever DL4J base class they extend. */
final class DirectLayers {

    private DirectLayers() {
    }

    /** The input type as NCHW convolutional, or an IllegalStateException naming the layer and the type. */
    static InputType.InputTypeConvolutional convolutionalInput(DirectLayerConfiguration layer, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional convolutional)
                || convolutional.getFormat() != CNN2DFormat.NCHW) {
            throw new IllegalStateException(layer.describe() + " expects a convolutional NCHW input type but got "
                    + inputType);
        }
        return convolutional;
    }

    /** Wires a new runtime layer as DL4J's {@code instantiate} does: listeners, index, parameter views, conf. */
    static org.deeplearning4j.nn.api.Layer instantiated(org.deeplearning4j.nn.api.Layer runtime, Layer layer,
                                                        NeuralNetConfiguration conf,
                                                        Collection<TrainingListener> trainingListeners,
                                                        int layerIndex, INDArray layerParamsView,
                                                        boolean initializeParams) {
        runtime.setListeners(trainingListeners);
        runtime.setIndex(layerIndex);
        runtime.setParamsViewArray(layerParamsView);
        runtime.setParamTable(layer.initializer().init(conf, layerParamsView, initializeParams));
        runtime.setConf(conf);
        return runtime;
    }

    /**
     * A layer's memory besides its parameters, in elements: {@code inference} per example of working memory in a
     * forward pass; {@code fixedTraining} whatever the batch and {@code training} per example of working memory while
     * training (the forward and backward passes share DL4J's working memory); {@code kept} per example kept from the
     * forward pass for the backward pass (cache memory).
     */
    record WorkingMemory(long inference, long fixedTraining, long training, long kept) {

        /** No working memory and nothing kept. */
        static final WorkingMemory NONE = new WorkingMemory(0, 0, 0, 0);
    }

    /** The memory report of a layer of this package: parameters, their updater state, and {@code memory}. */
    static LayerMemoryReport memoryReport(Layer layer, InputType inputType, InputType output, long parameters,
                                          long updaterState, WorkingMemory memory) {
        return new LayerMemoryReport.Builder(layer.getLayerName(), layer.getClass(), inputType, output)
                .standardMemory(parameters, updaterState)
                .workingMemory(0, memory.inference(), memory.fixedTraining(), memory.training())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.cacheModeMapFor(memory.kept()))
                .build();
    }
}
