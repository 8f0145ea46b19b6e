package io.github.mdunet.tuning.search;

import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.tuning.candidate.CandidateValues;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The values of {@code midChannelScale} a search tries: a continuous {@link Range} or explicit {@link Values}.
 * Explicit values are what a grid needs to hit round numbers such as fastai's rule ({@code NONE} at 2.0) and the seed
 * configuration ({@code EQ_SKIP} at 1.0): a range divided into {@code scaleSteps} values gives 0.25, 1.125, 2.0 for
 * [0.25, 2] in three steps.
 */
public sealed interface MidChannelScales {

    /**
     * The number of mid scales a grid search tries.
     *
     * @param scaleSteps the grid's {@link SearchStrategy.Grid#scaleSteps()}; used by a {@link Range} only
     */
    int gridCount(int scaleSteps);

    /**
     * How many scales a random search can draw that {@link CandidateValues#key} tells apart (it keeps 4 decimals).
     */
    long distinctScales();

    /**
     * Every scale from {@code min} to {@code max}: a grid takes {@code scaleSteps} evenly spaced values (both ends
     * included), a random search draws uniformly. Equal ends fix the scale.
     *
     * @param min lowest scale, in (0, {@link UNetConfig#MAX_MID_CHANNEL_SCALE}]
     * @param max highest scale, in [min, {@link UNetConfig#MAX_MID_CHANNEL_SCALE}]
     */
    record Range(double min, double max) implements MidChannelScales {
        public Range {
            check("MidChannelScales.Range.min", "MidChannelScales.Range.max", min, max);
        }

        /**
         * Refuses ends outside {@code 0 < min <= max <= MAX_MID_CHANNEL_SCALE}, named as {@code minSetting} and
         * {@code maxSetting}.
         */
        public static void check(String minSetting, String maxSetting, double min, double max) {
            if (!(min > 0 && min <= UNetConfig.MAX_MID_CHANNEL_SCALE)) {
                throw new IllegalArgumentException(minSetting + " must be in (0, " + UNetConfig.MAX_MID_CHANNEL_SCALE
                        + "] but was " + min);
            }
            if (!(max >= min && max <= UNetConfig.MAX_MID_CHANNEL_SCALE)) {
                throw new IllegalArgumentException(maxSetting + " must be in [" + min + ", "
                        + UNetConfig.MAX_MID_CHANNEL_SCALE + "] but was " + max);
            }
        }

        /** Whether the ends are equal, which fixes the scale: a grid then tries it once, whatever its steps. */
        public boolean fixed() {
            return min == max;
        }

        @Override
        public int gridCount(int scaleSteps) {
            return fixed() ? 1 : scaleSteps;
        }

        @Override
        public long distinctScales() {
            return CandidateValues.scaleKey(max) - CandidateValues.scaleKey(min) + 1;
        }
    }

    /**
     * Exactly these scales, in this order: a grid tries each once (whatever its {@code scaleSteps}), a random search
     * draws among them.
     *
     * @param values at least one, each in (0, {@link UNetConfig#MAX_MID_CHANNEL_SCALE}], no repeats
     */
    record Values(List<Double> values) implements MidChannelScales {
        public Values {
            check("MidChannelScales.Values.values", values);
            values = List.copyOf(values);
        }

        /** Refuses a list that is empty, holds a scale outside (0, MAX_MID_CHANNEL_SCALE] or repeats one. */
        public static void check(String setting, List<Double> values) {
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException(setting + " must list at least one scale (e.g. List.of(0.5, 1.0,"
                        + " 2.0)) but was " + values);
            }
            for (double value : values) {
                if (!(value > 0 && value <= UNetConfig.MAX_MID_CHANNEL_SCALE)) {
                    throw new IllegalArgumentException(setting + " must each be in (0, "
                            + UNetConfig.MAX_MID_CHANNEL_SCALE + "] but " + values + " holds " + value);
                }
            }
            if (new LinkedHashSet<>(values).size() != values.size()) {
                throw new IllegalArgumentException(setting + " must not repeat a scale but was " + values);
            }
        }

        /** {@code Values(List.of(values))}. */
        public static Values of(double... values) {
            return new Values(Arrays.stream(values).boxed().toList());
        }

        @Override
        public int gridCount(int scaleSteps) {
            return values.size();
        }

        @Override
        public long distinctScales() {
            return values.stream().map(CandidateValues::scaleKey).distinct().count();
        }
    }
}
