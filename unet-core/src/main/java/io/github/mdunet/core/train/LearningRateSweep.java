package io.github.mdunet.core.train;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link LearningRateFinder} recorded: each step's learning rate, loss and smoothed loss, in order, and why it
 * stopped. The suggestions read the smoothed losses of the {@link #window()}, as fastai's {@code lr_find} does.
 *
 * @param steps        the steps taken, rates increasing; the last may be the one whose smoothed loss diverged
 * @param plannedSteps the steps the sweep would have taken had the loss not diverged
 * @param stopReason   why it stopped, for people: all steps done, or the step and rate where the loss diverged
 */
public record LearningRateSweep(List<Step> steps, int plannedSteps, String stopReason) {

    /** Steps left out at the end of the window: the loss is leaving the curve there. */
    public static final int SKIPPED_AT_END = 5;

    public LearningRateSweep {
        steps = List.copyOf(steps);
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
     * The fewest steps a sweep of {@code plannedSteps} must take for a suggestion: its window needs two steps after
     * the first tenth, and the last five are left out.
     */
    public static int stepsNeeded(int plannedSteps) {
        return plannedSteps / 10 + 2 + SKIPPED_AT_END;
    }

    /**
     * The steps the suggestions read: from the {@code plannedSteps / 10}-th to the sixth-last, leaving out the first
     * tenth (the smoothing still settles) and the last five (the loss climbing out), as fastai's {@code lr_find}.
     */
    public List<Step> window() {
        int from = plannedSteps / 10;
        int to = steps.size() - SKIPPED_AT_END;
        return from < to ? steps.subList(from, to) : List.of();
    }

    /**
     * The rate {@code method} reads off the window's curve, or empty when the window has fewer than two steps: the
     * sweep stopped before {@link #stepsNeeded} steps (start it at a lower rate).
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
