package io.github.mdunet.core.config;

import java.util.List;
import java.util.Locale;
import org.nd4j.shade.jackson.annotation.JsonSubTypes;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * How a decoder stage doubles (in general: multiplies by the stride ratio) the resolution of the map that comes
 * up from below. Tensor contract: {@code [N, C, h, w] -> [N, C', h*r, w*r]} with {@code C' = C/2} for the modes
 * with parameters and {@code C' = C} for {@link Bilinear}.
 *
 * <p>The one table of the modes' names: the JSON type names below, {@link #name()} (tables, command lines, result
 * files) and {@link #parse} are all built from the constants here. Code that depends on the mode dispatches through
 * {@link #accept}, so a new variant does not compile until every dispatch handles it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = UpsampleMode.PixelShuffle.class, name = UpsampleMode.PIXEL_SHUFFLE),
        @JsonSubTypes.Type(value = UpsampleMode.Transposed.class, name = UpsampleMode.TRANSPOSED),
        @JsonSubTypes.Type(value = UpsampleMode.BilinearConv.class, name = UpsampleMode.BILINEAR_CONV),
        @JsonSubTypes.Type(value = UpsampleMode.Bilinear.class, name = UpsampleMode.BILINEAR)
})
public sealed interface UpsampleMode {

    /** {@link PixelShuffle} without blur; also its JSON type name. */
    String PIXEL_SHUFFLE = "pixelShuffle";
    /** {@link PixelShuffle} with blur. */
    String PIXEL_SHUFFLE_BLUR = "pixelShuffleBlur";
    /** {@link Transposed}. */
    String TRANSPOSED = "transposed";
    /** {@link BilinearConv}. */
    String BILINEAR_CONV = "bilinearConv";
    /** {@link Bilinear}. */
    String BILINEAR = "bilinear";

    /**
     * Sub-pixel convolution (fastai's {@code PixelShuffle_ICNR}): a 1x1 convolution to {@code C'*r*r} channels with
     * ICNR initialisation, ReLU, pixel shuffle in PyTorch's channel order.
     *
     * @param blur replication pad + 2x2 average pool with stride 1 after the shuffle, against checkerboard artefacts
     */
    record PixelShuffle(boolean blur) implements UpsampleMode {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.pixelShuffle(this);
        }

        @Override
        public String name() {
            return blur ? PIXEL_SHUFFLE_BLUR : PIXEL_SHUFFLE;
        }

        @Override
        public boolean keepsChannels() {
            return false;
        }
    }

    /** Transposed convolution with kernel and stride {@code r}, then normalisation and ReLU. */
    record Transposed() implements UpsampleMode {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.transposed(this);
        }

        @Override
        public String name() {
            return TRANSPOSED;
        }

        @Override
        public boolean keepsChannels() {
            return false;
        }
    }

    /** Bilinear interpolation, then a 3x3 convolution, normalisation and ReLU. */
    record BilinearConv() implements UpsampleMode {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.bilinearConv(this);
        }

        @Override
        public String name() {
            return BILINEAR_CONV;
        }

        @Override
        public boolean keepsChannels() {
            return false;
        }
    }

    /** Bilinear interpolation only: no parameters, the channel count is kept. */
    record Bilinear() implements UpsampleMode {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.bilinear(this);
        }

        @Override
        public String name() {
            return BILINEAR;
        }

        @Override
        public boolean keepsChannels() {
            return true;
        }
    }

    /**
     * Calls the method of {@code visitor} for this variant: the exhaustive dispatch over modes (Java 17 has no pattern
     * switch). A new variant must implement this, and every visitor must then handle it, before anything compiles.
     */
    <R> R accept(Visitor<R> visitor);

    /** The short stable name of this mode, one of {@link #names()}: for tables, command lines and result files. */
    String name();

    /** Whether this mode keeps the channel count ({@link Bilinear}) rather than halving it. */
    boolean keepsChannels();

    /** Every named mode, in the order tables and {@code --help} list them. */
    static List<UpsampleMode> choices() {
        return List.of(new PixelShuffle(false), new PixelShuffle(true), new Transposed(), new BilinearConv(),
                new Bilinear());
    }

    /** The names {@link #parse} accepts: {@code pixelShuffle, pixelShuffleBlur, transposed, bilinearConv, bilinear}. */
    static List<String> names() {
        return choices().stream().map(UpsampleMode::name).toList();
    }

    /**
     * The mode named {@code name}: one of {@link #names()}, in any case, or as a constant ({@code PIXEL_SHUFFLE_BLUR}),
     * as the command lines accepted before.
     *
     * @throws IllegalArgumentException naming the text and the accepted names
     */
    static UpsampleMode parse(String name) {
        String key = name == null ? "" : name.trim().replace("_", "").toLowerCase(Locale.ROOT);
        for (UpsampleMode mode : choices()) {
            if (mode.name().toLowerCase(Locale.ROOT).equals(key)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("upsample mode must be one of " + names() + " but was '" + name + "'");
    }

    /** One method per upsample mode. */
    interface Visitor<R> {
        R pixelShuffle(PixelShuffle mode);

        R transposed(Transposed mode);

        R bilinearConv(BilinearConv mode);

        R bilinear(Bilinear mode);
    }
}
