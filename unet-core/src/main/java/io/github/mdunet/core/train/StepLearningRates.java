package io.github.mdunet.core.train;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A learning-rate schedule bound to a network's rates and a run's length: before step {@code step} of the run,
 * {@link #apply} sets each parameter's rate to its base rate times the schedule's factor at
 * {@code step / max(1, totalSteps - 1)}. {@link Trainer} applies it before every step ({@link EpochSteps});
 * unet-spark's trainer on the driver after every parameter average, for the workers' next steps.
 *
 * @param baseRates  each parameter's configured rate, keyed {@code layer/param} (as {@link #of} reads them)
 * @param schedule   the factor over the run's progress
 * @param totalSteps the run's steps, at least 1; step {@code max(1, totalSteps - 1)} and later ones get the last
 *                   factor
 */
public record StepLearningRates(Map<String, Double> baseRates, LearningRateSchedule schedule, long totalSteps) {

    public StepLearningRates {
        baseRates = Map.copyOf(baseRates);
        if (schedule == null) {
            throw new IllegalArgumentException("StepLearningRates.schedule must be set (e.g."
                    + " LearningRateSchedule.OneCycle.fastai())");
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("StepLearningRates.totalSteps must be >= 1 but was " + totalSteps);
        }
    }

    /** {@code graph}'s rates as configured now, under {@code schedule} over {@code totalSteps} steps. */
    public static StepLearningRates of(ComputationGraph graph, LearningRateSchedule schedule, long totalSteps) {
        return new StepLearningRates(Trainer.learningRates(graph), schedule, totalSteps);
    }

    /**
     * The schedule's factor before step {@code step} (0 is the first, at progress 0). A one-step run's only step is
     * its first: one-cycle runs it at the configured rate over {@code startDivisor}, not over {@code endDivisor}.
     */
    public double factorAt(long step) {
        return schedule.factorAt(Math.min(1.0, (double) step / Math.max(1, totalSteps - 1)));
    }

    /** Sets {@code graph}'s rates back to the base rates, as configured before the run (a factor of 1). */
    public void restore(ComputationGraph graph) {
        Trainer.applyLearningRates(graph, baseRates, 1.0);
    }

    /** Sets {@code graph}'s rates for step {@code step} and returns the factor it used. */
    public double apply(ComputationGraph graph, long step) {
        double factor = factorAt(step);
        Trainer.applyLearningRates(graph, baseRates, factor);
        return factor;
    }
}
