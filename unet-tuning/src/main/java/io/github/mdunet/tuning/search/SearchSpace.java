package io.github.mdunet.tuning.search;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import java.util.List;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/**
 * What the search varies: {@code midChannelScale} over a continuous range, the channel reduction, and optionally the
 * upsampling mode and mid-block attention. Every other field comes from the search's base configuration.
 *
 * @param minMidChannelScale lowest mid scale, in (0, 4]
 * @param maxMidChannelScale highest mid scale, in [min, 4]; equal to min to fix it
 * @param reductions         channel reductions to try, at least one
 * @param upsampleModes      upsampling modes to try, at least one
 * @param midAttention       mid-block attention settings to try ({@code [false]}, {@code [false, true]}, ...)
 */
public record SearchSpace(double minMidChannelScale, double maxMidChannelScale, List<ChannelReduction> reductions,
                          List<UpsampleMode> upsampleModes, List<Boolean> midAttention) {

    public SearchSpace {
        if (!(minMidChannelScale > 0 && minMidChannelScale <= UNetConfig.MAX_MID_CHANNEL_SCALE)) {
            throw new IllegalArgumentException("SearchSpace.minMidChannelScale must be in (0, "
                    + UNetConfig.MAX_MID_CHANNEL_SCALE + "] but was " + minMidChannelScale);
        }
        if (!(maxMidChannelScale >= minMidChannelScale && maxMidChannelScale <= UNetConfig.MAX_MID_CHANNEL_SCALE)) {
            throw new IllegalArgumentException("SearchSpace.maxMidChannelScale must be in [" + minMidChannelScale + ", "
                    + UNetConfig.MAX_MID_CHANNEL_SCALE + "] but was " + maxMidChannelScale);
        }
        reductions = requireNonEmpty("reductions", reductions, "e.g. List.of(ChannelReduction.values())");
        upsampleModes = requireNonEmpty("upsampleModes", upsampleModes, "e.g. List.of(new UpsampleMode.PixelShuffle(false))");
        midAttention = requireNonEmpty("midAttention", midAttention, "e.g. List.of(false)");
    }

    /** Mid scale 0.25 to 2 and the three reductions; pixel shuffle, no attention. */
    public static SearchSpace defaults() {
        return new SearchSpace(0.25, 2.0, List.of(ChannelReduction.values()),
                List.of(new UpsampleMode.PixelShuffle(false)), List.of(false));
    }

    public SearchSpace withMidChannelScale(double min, double max) {
        return new SearchSpace(min, max, reductions, upsampleModes, midAttention);
    }

    public SearchSpace withReductions(List<ChannelReduction> values) {
        return new SearchSpace(minMidChannelScale, maxMidChannelScale, values, upsampleModes, midAttention);
    }

    public SearchSpace withUpsampleModes(List<UpsampleMode> values) {
        return new SearchSpace(minMidChannelScale, maxMidChannelScale, reductions, values, midAttention);
    }

    public SearchSpace withMidAttention(List<Boolean> values) {
        return new SearchSpace(minMidChannelScale, maxMidChannelScale, reductions, upsampleModes, values);
    }

    /** This space as an Arbiter parameter space whose values are {@link CandidateValues}. */
    public ParameterSpace<CandidateValues> toParameterSpace() {
        return new CandidateSpace(this);
    }

    /** The number of grid points with {@code scaleSteps} values of the mid scale (1 when the scale is fixed). */
    public int gridSize(int scaleSteps) {
        int scales = minMidChannelScale == maxMidChannelScale ? 1 : scaleSteps;
        return scales * reductions.size() * upsampleModes.size() * midAttention.size();
    }

    private static <T> List<T> requireNonEmpty(String field, List<T> values, String hint) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("SearchSpace." + field + " must list at least one value (" + hint
                    + ") but was " + values);
        }
        return List.copyOf(values);
    }
}
