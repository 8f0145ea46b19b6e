package io.github.mdunet.core.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An {@link NchwSameDiffLayer} without parameters (a fixed map of its NCHW input, such as a resize or a pixel
 * shuffle): it defines and initialises nothing.
 */
public abstract class ParameterlessSameDiffLayer extends NchwSameDiffLayer {

    /** For Jackson and subclasses. */
    protected ParameterlessSameDiffLayer() {
    }

    @Override
    public final void defineParameters(SDLayerParams params) {
        // no parameters
    }

    @Override
    public final void initializeParameters(Map<String, INDArray> params) {
        // no parameters
    }
}
