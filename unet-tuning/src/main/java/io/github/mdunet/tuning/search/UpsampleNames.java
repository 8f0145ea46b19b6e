package io.github.mdunet.tuning.search;

import io.github.mdunet.core.config.UpsampleMode;
import java.util.List;

/** Short stable names of the {@link UpsampleMode}s, for tables and command lines. */
public final class UpsampleNames {

    /** Every name {@link #parse} accepts. */
    public static final List<String> NAMES = List.of("pixelShuffle", "pixelShuffleBlur", "transposed", "bilinearConv",
            "bilinear");

    private UpsampleNames() {
    }

    public static String nameOf(UpsampleMode mode) {
        if (mode instanceof UpsampleMode.PixelShuffle shuffle) {
            return shuffle.blur() ? "pixelShuffleBlur" : "pixelShuffle";
        }
        if (mode instanceof UpsampleMode.Transposed) {
            return "transposed";
        }
        if (mode instanceof UpsampleMode.BilinearConv) {
            return "bilinearConv";
        }
        return "bilinear";
    }

    /** @throws IllegalArgumentException naming the text and the accepted names */
    public static UpsampleMode parse(String name) {
        return switch (name == null ? "" : name.trim()) {
            case "pixelShuffle" -> new UpsampleMode.PixelShuffle(false);
            case "pixelShuffleBlur" -> new UpsampleMode.PixelShuffle(true);
            case "transposed" -> new UpsampleMode.Transposed();
            case "bilinearConv" -> new UpsampleMode.BilinearConv();
            case "bilinear" -> new UpsampleMode.Bilinear();
            default -> throw new IllegalArgumentException("upsample mode must be one of " + NAMES + " but was '"
                    + name + "'");
        };
    }
}
