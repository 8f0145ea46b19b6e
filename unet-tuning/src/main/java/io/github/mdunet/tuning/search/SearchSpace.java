package io.github.mdunet.tuning.search;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.tuning.candidate.CandidateValues;
import java.util.HashSet;
import java.util.List;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/**
 * What the search varies: {@code midChannelScale} (a range or explicit values), the channel reduction, and optionally
 * the upsampling mode and mid-block attention. Every other field comes from the search's base configuration.
 *
 * @param midChannelScales the mid scales to try
 * @param reductions       channel reductions to try, at least one
 * @param upsampleModes    upsampling modes to try, at least one
 * @param midAttention     mid-block attention settings to try ({@code [false]}, {@code [false, true]}, ...)
 */
public record SearchSpace(MidChannelScales midChannelScales, List<ChannelReduction> reductions,
                          List<UpsampleMode> upsampleModes, List<Boolean> midAttention) {

    public SearchSpace {
        if (midChannelScales == null) {
            throw new IllegalArgumentException("SearchSpace.midChannelScales must be set (new MidChannelScales.Range("
                    + "0.25, 2.0) or MidChannelScales.Values.of(0.5, 1.0, 2.0)) but was null");
        }
        reductions = requireNonEmpty("reductions", reductions, "e.g. List.of(ChannelReduction.values())");
        upsampleModes = requireNonEmpty("upsampleModes", upsampleModes,
                "e.g. List.of(new UpsampleMode.PixelShuffle(false))");
        midAttention = requireNonEmpty("midAttention", midAttention, "e.g. List.of(false)");
    }

    /** Mid scale 0.25 to 2 (a range) and the three reductions; pixel shuffle, no attention. */
    public static SearchSpace defaults() {
        return new SearchSpace(new MidChannelScales.Range(0.25, 2.0), List.of(ChannelReduction.values()),
                List.of(new UpsampleMode.PixelShuffle(false)), List.of(false));
    }

    /** This space with the mid scale ranging from {@code min} to {@code max}. */
    public SearchSpace withMidChannelScale(double min, double max) {
        return withMidChannelScales(new MidChannelScales.Range(min, max));
    }

    /** This space with exactly these mid scales. */
    public SearchSpace withMidChannelScales(double... values) {
        return withMidChannelScales(MidChannelScales.Values.of(values));
    }

    public SearchSpace withMidChannelScales(MidChannelScales value) {
        return new SearchSpace(value, reductions, upsampleModes, midAttention);
    }

    public SearchSpace withReductions(List<ChannelReduction> values) {
        return new SearchSpace(midChannelScales, values, upsampleModes, midAttention);
    }

    public SearchSpace withUpsampleModes(List<UpsampleMode> values) {
        return new SearchSpace(midChannelScales, reductions, values, midAttention);
    }

    public SearchSpace withMidAttention(List<Boolean> values) {
        return new SearchSpace(midChannelScales, reductions, upsampleModes, values);
    }

    /** This space as an Arbiter parameter space whose values are {@link CandidateValues}. */
    public ParameterSpace<CandidateValues> toParameterSpace() {
        return new CandidateSpace(this);
    }

    /**
     * The number of grid points with {@code scaleSteps} values of a mid-scale range (see {@link MidChannelScales}); at
     * most {@link Integer#MAX_VALUE}, as {@link #distinctCount}, so that a grid too large for Arbiter is refused by
     * its generator rather than counted negative.
     */
    public int gridSize(int scaleSteps) {
        long size = (long) midChannelScales.gridCount(scaleSteps) * reductions.size() * upsampleModes.size()
                * midAttention.size();
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /**
     * How many distinct candidates (distinct {@link CandidateValues#key}s) the space holds: the product of the distinct
     * mid scales, the reductions, upsampling modes and attention settings (none repeated), where a mid-scale range
     * holds every scale of the key's 4 decimals between its ends; at most {@link Integer#MAX_VALUE}. A random search
     * draws no more.
     */
    public int distinctCount() {
        long count = midChannelScales.distinctScales() * reductions.size() * upsampleModes.size()
                * midAttention.size();
        return (int) Math.min(Integer.MAX_VALUE, count);
    }

    /** At least one value and none twice (a repeat would train the same network twice), as the mid scales. */
    private static <T> List<T> requireNonEmpty(String field, List<T> values, String hint) {
        checkChoices("SearchSpace." + field, values, hint);
        return List.copyOf(values);
    }

    /**
     * Refuses a list of choices that is empty ({@code hint} says what to give) or repeats a value (it would train
     * the same networks twice), naming it as {@code setting}.
     */
    public static void checkChoices(String setting, List<?> values, String hint) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(setting + " must list at least one value (" + hint + ") but was "
                    + values);
        }
        if (new HashSet<>(values).size() != values.size()) {
            throw new IllegalArgumentException(setting + " must not repeat a value (it would train the same networks"
                    + " twice) but was " + values);
        }
    }
}
