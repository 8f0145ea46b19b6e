package io.github.mdunet.core.encoder;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.naming.StableTypeNames;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;
import org.nd4j.shade.jackson.databind.annotation.JsonTypeIdResolver;

/**
 * A backbone that adds its layers to a graph and declares its skip feature maps.
 *
 * <p>Tensor contract: reads {@code [N, input.channels, H, W]} from {@code inputVertex}; each {@link SkipTap}
 * it returns names a vertex of shape {@code [N, channels, ~H/stride, ~W/stride]}. Implementations are immutable
 * value types (records) so they can be saved with the U-Net configuration as its provenance, under the stable name
 * their module registers in {@link EncoderNames} (else their class name).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CUSTOM, include = JsonTypeInfo.As.PROPERTY,
        property = StableTypeNames.NAME_PROPERTY)
@JsonTypeIdResolver(EncoderTypeResolver.class)
public interface Encoder {

    /**
     * Adds the encoder's vertices to {@code graph}, fed from {@code inputVertex}.
     *
     * @return the skip taps and bottleneck, for this input shape
     */
    EncoderSpec addTo(GraphBuilder graph, String inputVertex, ImageShape input);

    /**
     * Adds the encoder's vertices with the layers {@code layers} asks for; the U-Net builder calls this one. The
     * default ignores {@code layers} and adds what {@link #addTo(GraphBuilder, String, ImageShape)} adds; encoders
     * built from conv-norm-activation blocks override it (skip taps may then name other vertices).
     */
    default EncoderSpec addTo(GraphBuilder graph, String inputVertex, ImageShape input, BlockLayers layers) {
        return addTo(graph, inputVertex, input);
    }

    /** How this encoder expects its input pixels; pretrained encoders return their training normalisation. */
    default InputNormalization inputNormalization() {
        return InputNormalization.UNIT_RANGE;
    }

    /** The input channel count this encoder expects, or 0 when it accepts any. */
    default int requiredInputChannels() {
        return 0;
    }
}
