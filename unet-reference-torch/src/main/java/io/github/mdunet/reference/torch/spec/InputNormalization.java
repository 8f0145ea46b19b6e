package io.github.mdunet.reference.torch.spec;

import java.util.List;
import java.util.Objects;

/**
 * How raw 8-bit pixels become network input: {@code (raw * scale - mean[c]) / std[c]}, channels in
 * {@code channelOrder}. A one-element mean or std applies to every channel.
 */
public record InputNormalization(ChannelOrder channelOrder, double scale, List<Double> mean, List<Double> std) {

    public InputNormalization {
        Objects.requireNonNull(channelOrder, "inputNormalization.channelOrder");
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.isEmpty() || std.isEmpty()) {
            throw new IllegalArgumentException("inputNormalization.mean and .std need at least one value but had "
                    + mean.size() + " and " + std.size());
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("inputNormalization.std values must be > 0 but were " + std);
            }
        }
    }

    /** Checks that mean and std have one value or one per channel. */
    void checkChannels(int channels) {
        if ((mean.size() != 1 && mean.size() != channels) || (std.size() != 1 && std.size() != channels)) {
            throw new IllegalArgumentException("inputNormalization.mean and .std need 1 or " + channels
                    + " values (one per input channel) but had " + mean.size() + " and " + std.size());
        }
    }

    /** The normalised value of a raw pixel value in the given channel (in network channel order). */
    public float apply(int channel, int raw) {
        double m = mean.get(mean.size() == 1 ? 0 : channel);
        double s = std.get(std.size() == 1 ? 0 : channel);
        return (float) ((raw * scale - m) / s);
    }
}
