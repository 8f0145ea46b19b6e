package io.github.mdunet.reference.torch.spec;

/**
 * The factor on the base learning rate at each optimizer step. Step indices start at 0; progress
 * p = step / (totalSteps - 1), or 0 for a single step.
 */
public sealed interface LrSchedule permits LrSchedule.OneCycle, LrSchedule.Constant {

    /** The learning-rate factor at this step (0-based) of totalSteps. */
    double factor(long step, long totalSteps);

    /** The {@code type} in recipe.json. */
    String type();

    /** Factor 1 throughout. */
    record Constant() implements LrSchedule {

        public static final String TYPE = "constant";

        @Override
        public double factor(long step, long totalSteps) {
            return 1.0;
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * One cycle with cosine annealing (fastai's fit_one_cycle): for p < warmupFraction the factor goes from
     * 1 / startDivisor to 1 by cosAnneal over p / warmupFraction; after that from 1 to 1 / endDivisor over
     * (p - warmupFraction) / (1 - warmupFraction); cosAnneal(a, b, t) = b + (a - b) * (1 + cos(pi * t)) / 2.
     */
    record OneCycle(double warmupFraction, double startDivisor, double endDivisor) implements LrSchedule {

        public static final String TYPE = "oneCycle";

        public OneCycle {
            if (!(warmupFraction >= 0 && warmupFraction < 1)) {
                throw new IllegalArgumentException("schedule.warmupFraction must be in [0, 1) but was "
                        + warmupFraction);
            }
            if (!(startDivisor > 0) || !(endDivisor > 0)) {
                throw new IllegalArgumentException("schedule.startDivisor and schedule.endDivisor must be > 0 but were "
                        + startDivisor + " and " + endDivisor);
            }
        }

        @Override
        public double factor(long step, long totalSteps) {
            if (totalSteps < 1 || step < 0 || step >= totalSteps) {
                throw new IllegalArgumentException("step must be in [0, " + totalSteps + ") but was " + step);
            }
            return factorAtProgress(totalSteps == 1 ? 0.0 : (double) step / (totalSteps - 1));
        }

        /** The factor at a progress p in [0, 1]. */
        public double factorAtProgress(double progress) {
            if (progress < warmupFraction) {
                return cosAnneal(1.0 / startDivisor, 1.0, progress / warmupFraction);
            }
            return cosAnneal(1.0, 1.0 / endDivisor, (progress - warmupFraction) / (1.0 - warmupFraction));
        }

        @Override
        public String type() {
            return TYPE;
        }

        static double cosAnneal(double start, double end, double t) {
            return end + (start - end) * (1 + Math.cos(Math.PI * t)) / 2;
        }
    }
}
