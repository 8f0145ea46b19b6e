package io.github.mdunet.reference.torch.spec;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The training recipe (recipe.json): Adam with a base learning rate, an L2 weight decay added to the gradient
 * (torch.optim.Adam's {@code weight_decay}, not AdamW's decoupled decay), a learning-rate schedule, the batch size
 * and the epochs. {@code totalSteps}, when given, overrides the step count the schedule spans.
 */
public record Recipe(double learningRate, AdamSettings adam, double weightDecay, LrSchedule schedule, int batchSize,
        int epochs, OptionalLong totalSteps) {

    public Recipe {
        Objects.requireNonNull(adam, "adam");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(totalSteps, "totalSteps");
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate must be > 0 but was " + learningRate);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weightDecay must be >= 0 but was " + weightDecay);
        }
        if (batchSize < 1 || epochs < 1) {
            throw new IllegalArgumentException("batchSize and epochs must be >= 1 but were " + batchSize + " and "
                    + epochs);
        }
        if (totalSteps.isPresent() && totalSteps.getAsLong() < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1 but was " + totalSteps.getAsLong());
        }
    }

    /** The learning rate at this step (0-based) when the schedule spans totalSteps. */
    public double learningRateAt(long step, long totalSteps) {
        return learningRate * schedule.factor(step, totalSteps);
    }

    public Recipe withEpochs(int newEpochs) {
        return new Recipe(learningRate, adam, weightDecay, schedule, batchSize, newEpochs, totalSteps);
    }
}
