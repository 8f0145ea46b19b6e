package io.github.mdunet.core.config;

import org.nd4j.shade.jackson.annotation.JsonSubTypes;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * How a decoder stage doubles (in general: multiplies by the stride ratio) the resolution of the map that comes
 * up from below. Tensor contract: {@code [N, C, h, w] -> [N, C', h*r, w*r]} with {@code C' = C/2} for the modes
 * with parameters and {@code C' = C} for {@link Bilinear}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = UpsampleMode.PixelShuffle.class, name = "pixelShuffle"),
        @JsonSubTypes.Type(value = UpsampleMode.Transposed.class, name = "transposed"),
        @JsonSubTypes.Type(value = UpsampleMode.BilinearConv.class, name = "bilinearConv"),
        @JsonSubTypes.Type(value = UpsampleMode.Bilinear.class, name = "bilinear")
})
public sealed interface UpsampleMode {

    /**
     * Sub-pixel convolution (fastai's {@code PixelShuffle_ICNR}): a 1x1 convolution to {@code C'*r*r} channels with
     * ICNR initialisation, ReLU, pixel shuffle in PyTorch's channel order.
     *
     * @param blur replication pad + 2x2 average pool with stride 1 after the shuffle, against checkerboard artefacts
     */
    record PixelShuffle(boolean blur) implements UpsampleMode {
    }

    /** Transposed convolution with kernel and stride {@code r}, then normalisation and ReLU. */
    record Transposed() implements UpsampleMode {
    }

    /** Bilinear interpolation, then a 3x3 convolution, normalisation and ReLU. */
    record BilinearConv() implements UpsampleMode {
    }

    /** Bilinear interpolation only: no parameters, the channel count is kept. */
    record Bilinear() implements UpsampleMode {
    }

    /** Whether this mode keeps the channel count ({@link Bilinear}) rather than halving it. */
    default boolean keepsChannels() {
        return this instanceof Bilinear;
    }
}
