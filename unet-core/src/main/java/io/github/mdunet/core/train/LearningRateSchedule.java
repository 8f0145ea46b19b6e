package io.github.mdunet.core.train;

import org.nd4j.shade.jackson.annotation.JsonSubTypes;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * A learning-rate schedule as a factor of each layer's configured learning rate, over training progress from 0 (first
 * step) to 1 (last step). Being a factor keeps per-layer ratios, such as a lower rate for a pretrained encoder.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LearningRateSchedule.Constant.class, name = "constant"),
        @JsonSubTypes.Type(value = LearningRateSchedule.OneCycle.class, name = "oneCycle"),
        @JsonSubTypes.Type(value = LearningRateSchedule.Cosine.class, name = "cosine"),
        @JsonSubTypes.Type(value = LearningRateSchedule.FlatCosine.class, name = "flatCosine")
})
public sealed interface LearningRateSchedule {

    /** The factor at {@code progress} in [0, 1]. */
    double factorAt(double progress);

    /** The configured rate throughout. */
    record Constant() implements LearningRateSchedule {
        @Override
        public double factorAt(double progress) {
            return 1.0;
        }
    }

    /**
     * fastai's {@code fit_one_cycle}: cosine warm-up from {@code 1/startDivisor} to 1 over the first
     * {@code warmupFraction} of training, then cosine annealing to {@code 1/endDivisor}.
     *
     * @param warmupFraction fraction of the steps spent warming up, in [0, 1) (fastai: 0.25)
     * @param startDivisor   the first step runs at the configured rate divided by this, >= 1 (fastai: 25)
     * @param endDivisor     the last step runs at the configured rate divided by this, >= 1 (fastai: 1e5)
     */
    record OneCycle(double warmupFraction, double startDivisor, double endDivisor) implements LearningRateSchedule {

        /** fastai's defaults. */
        public static OneCycle fastai() {
            return new OneCycle(0.25, 25, 1e5);
        }

        public OneCycle {
            if (!(warmupFraction >= 0 && warmupFraction < 1)) {
                throw new IllegalArgumentException("OneCycle.warmupFraction must be in [0, 1) but was "
                        + warmupFraction);
            }
            if (!(startDivisor >= 1) || !(endDivisor >= 1)) {
                throw new IllegalArgumentException("OneCycle.startDivisor and endDivisor must be >= 1 but were "
                        + startDivisor + " and " + endDivisor);
            }
        }

        @Override
        public double factorAt(double progress) {
            double p = Math.min(1, Math.max(0, progress));
            if (p < warmupFraction) {
                return cosine(1 / startDivisor, 1, p / warmupFraction);
            }
            return cosine(1, 1 / endDivisor, (p - warmupFraction) / (1 - warmupFraction));
        }
    }

    /**
     * Cosine annealing from the configured rate down to {@code minFactor} times it.
     *
     * @param minFactor the final factor, in [0, 1]
     */
    record Cosine(double minFactor) implements LearningRateSchedule {
        public Cosine {
            if (!(minFactor >= 0 && minFactor <= 1)) {
                throw new IllegalArgumentException("Cosine.minFactor must be in [0, 1] but was " + minFactor);
            }
        }

        @Override
        public double factorAt(double progress) {
            return cosine(1, minFactor, Math.min(1, Math.max(0, progress)));
        }
    }

    /**
     * fastai's {@code fit_flat_cos}: the configured rate for the first {@code flatFraction} of training, then cosine
     * annealing to {@code 1/endDivisor} of it.
     *
     * @param flatFraction fraction of the steps at the configured rate, in [0, 1) (fastai: 0.75)
     * @param endDivisor   the last step runs at the configured rate divided by this, >= 1 (fastai: 1e5)
     */
    record FlatCosine(double flatFraction, double endDivisor) implements LearningRateSchedule {

        /** fastai's defaults. */
        public static FlatCosine fastai() {
            return new FlatCosine(0.75, 1e5);
        }

        public FlatCosine {
            if (!(flatFraction >= 0 && flatFraction < 1)) {
                throw new IllegalArgumentException("FlatCosine.flatFraction must be in [0, 1) but was "
                        + flatFraction);
            }
            if (!(endDivisor >= 1)) {
                throw new IllegalArgumentException("FlatCosine.endDivisor must be >= 1 but was " + endDivisor);
            }
        }

        @Override
        public double factorAt(double progress) {
            double p = Math.min(1, Math.max(0, progress));
            return p < flatFraction ? 1 : cosine(1, 1 / endDivisor, (p - flatFraction) / (1 - flatFraction));
        }
    }

    /** Half a cosine from {@code from} (t = 0) to {@code to} (t = 1). */
    private static double cosine(double from, double to, double t) {
        return to + (from - to) * (1 + Math.cos(Math.PI * t)) / 2;
    }
}
