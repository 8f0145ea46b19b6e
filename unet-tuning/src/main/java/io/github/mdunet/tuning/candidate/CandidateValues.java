package io.github.mdunet.tuning.candidate;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The values one search candidate gives to the searched fields of a base {@link UNetConfig}.
 *
 * @param midChannelScale the mid block's channel scale
 * @param reduction       the decoder's channel reduction
 * @param upsample        the decoder's upsampling
 * @param midAttention    self-attention in the mid block
 */
public record CandidateValues(double midChannelScale, ChannelReduction reduction, UpsampleMode upsample,
                              boolean midAttention) implements Serializable {

    public CandidateValues {
        if (reduction == null || upsample == null) {
            throw new IllegalArgumentException("CandidateValues.reduction and upsample must be set but were "
                    + reduction + ", " + upsample);
        }
    }

    /** {@code base} with this candidate's values. */
    public UNetConfig applyTo(UNetConfig base) {
        return base.toBuilder()
                .midChannelScale(midChannelScale)
                .channelReduction(reduction)
                .upsample(upsample)
                .midAttention(midAttention)
                .build();
    }

    /** A stable text key: equal for candidates that build the same network (scale rounded to 4 decimals). */
    public String key() {
        return String.format(Locale.ROOT, "%.4f|%s|%s|%b", midChannelScale, reduction, upsample.name(),
                midAttention);
    }

    /**
     * A mid scale as {@link #key} tells scales apart: in units of its 4th decimal, rounded half up from the scale's
     * shortest decimal form as {@code %.4f} rounds it (the search's {@code MidChannelScales} counts distinct scales
     * with it).
     */
    public static long scaleKey(double midChannelScale) {
        return BigDecimal.valueOf(midChannelScale).setScale(4, RoundingMode.HALF_UP).unscaledValue().longValueExact();
    }

    /**
     * Arbiter serialises every candidate; core's {@link UpsampleMode} records are not serialisable, their names are.
     */
    private Object writeReplace() {
        return new SerialForm(midChannelScale, reduction, upsample.name(), midAttention);
    }

    private record SerialForm(double midChannelScale, ChannelReduction reduction, String upsample, boolean midAttention)
            implements Serializable {
        private Object readResolve() {
            return new CandidateValues(midChannelScale, reduction, UpsampleMode.parse(upsample), midAttention);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "midChannelScale=%.3f, %s, %s%s", midChannelScale, reduction,
                upsample.name(), midAttention ? ", mid attention" : "");
    }
}
