package io.github.mdunet.examples;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import picocli.CommandLine.Option;

/**
 * {@code --reduction}, {@code --mid-scale} and {@code --upsample}: the shape of the decoder as {@link UNetConfig}
 * names it ({@code channelReduction}, {@code midChannelScale}, {@code upsample}), with its defaults. A picocli mixin;
 * {@link UNetConfig} checks the values when the app builds its configuration.
 */
public final class DecoderOptions {

    @Option(names = "--reduction", description = "Decoder width rule: ${COMPLETION-CANDIDATES}.")
    ChannelReduction reduction = ChannelReduction.EQ_SKIP;

    @Option(names = "--mid-scale", description = "midChannelScale, in (0, " + UNetConfig.MAX_MID_CHANNEL_SCALE + "].")
    double midScale = 1.0;

    @Option(names = "--upsample", converter = UpsampleModeOption.class,
            completionCandidates = UpsampleModeOption.Names.class, defaultValue = UpsampleMode.PIXEL_SHUFFLE,
            description = "${COMPLETION-CANDIDATES}.")
    UpsampleMode upsample;

    public ChannelReduction reduction() {
        return reduction;
    }

    public double midScale() {
        return midScale;
    }

    public UpsampleMode upsample() {
        return upsample;
    }

    /** {@code builder} with the three settings. */
    public UNetConfig.Builder applyTo(UNetConfig.Builder builder) {
        return builder.channelReduction(reduction).midChannelScale(midScale).upsample(upsample);
    }
}
