package io.github.mdunet.core.train;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link LearningRateFinder} recorded: each step's learning rate, loss and smoothed loss, in order, and why it
 * stopped. The suggestions read the smoothed losses of the {@link #window()}, as fastai's {@code lr_find} does.
 *
 * @param steps        the steps taken, rates increasing; the last may be the one whose smoothed loss diverged; a
 *                     step whose loss was not finite is not among them
 * @param plannedSteps the steps the sweep would have taken had the loss not diverged
 * @param stop         how it stopped
 * @param stopReason   why it stopped, for people: all steps done, or the step and rate where the loss diverged
 */
public record LearningRateSweep(List<Step> steps, int plannedSteps, Stop stop, String stopReason) {

    /** Steps left out at the end of the window when the loss climbed there. */
    public static final int SKIPPED_AT_END = 5;

    public LearningRateSweep {
        steps = List.copyOf(steps);
        if (stop == null) {
            throw new IllegalArgumentException("LearningRateSweep.stop must be set");
        }
    }

    /** How a sweep stopped. */
    public enum Stop {
        /** All planned steps were taken. */
        COMPLETED,
        /** The smoothed loss passed four times its lowest: the last step is the one that did. */
        DIVERGED,
        /** A step's loss was NaN or infinite: the steps before it are kept. */
        NON_FINITE_LOSS
    }

    /**
     * One step of the sweep.
     *
     * @param step         0 for the first
     * @param rate         the learning rate it trained at (of the parameters at the model's highest configured rate)
     * @param loss         its training loss
     * @param smoothedLoss the exponential moving average of the losses so far (0.98), bias-corrected
     */
    public record Step(int step, double rate, double loss, double smoothedLoss) {
    }

    /**
     * The fewest steps a sweep of {@code plannedSteps} must take for a suggestion when it completes or diverges: its
     * window needs two steps after the first tenth, and the last five are left out.
     */
    public static int stepsNeeded(int plannedSteps) {
        return plannedSteps / 10 + 2 + SKIPPED_AT_END;
    }

    /**
     * The steps the suggestions read, as fastai's {@code lr_find}: from the {@code plannedSteps / 10}-th, leaving out
     * the first tenth (the smoothing still settles), to the sixth-last (the loss climbing out) or, after a loss that
     * was not finite, to the last finite one (fastai cuts its window at the first NaN).
     */
    public List<Step> window() {
        int from = plannedSteps / 10;
        int to = stop == Stop.NON_FINITE_LOSS ? steps.size() : steps.size() - SKIPPED_AT_END;
        return from < to ? steps.subList(from, to) : List.of();
    }

    /**
     * The rate {@code method} reads off the window's curve, or empty when the window has fewer than two steps (the
     * sweep stopped too early).
     */
    public Optional<SuggestionMethod.Suggestion> suggest(SuggestionMethod method) {
        List<Step> window = window();
        if (window.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(method.suggest(window.stream().mapToDouble(Step::rate).toArray(),
                window.stream().mapToDouble(Step::smoothedLoss).toArray()));
    }
}
