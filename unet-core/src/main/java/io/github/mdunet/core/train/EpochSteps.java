package io.github.mdunet.core.train;

import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The steps of one epoch as an {@link EpochFitter} reports them: before each step the model that takes it gets the
 * schedule's learning rates for the step's number in the run, after it the step's loss is checked and counted. A step
 * is numbered by its batch's place in the epoch: a fitter that fits the batches in order, one at a time, lets each
 * step take the next number ({@link #beforeStep(ComputationGraph)}); data-parallel workers, whose steps start in no
 * set order, give each step its batch's place ({@link #beforeStep(ComputationGraph, long)}), so that a batch gets the
 * same rate whichever worker gets to it first. Either way the schedule ends after the run's last batch however many
 * workers shared the batches. Thread-safe, so that the workers can share one instance.
 */
public final class EpochSteps {

    private final int epoch;
    private final StepLearningRates rates;
    private final ProgressBar bar;
    private final String lastGoodCheckpoint;
    private final long firstStep;
    /** Run before each step; throws to stop the epoch before it (the trainer's refusal of a batch taken). */
    private final Runnable stepCheck;
    /** The epoch's next step for {@link #beforeStep(ComputationGraph)}. */
    private final AtomicLong nextStep = new AtomicLong();
    /** The steps' losses, each times its batch's samples. */
    private double lossSum;
    /** The samples of the steps counted. */
    private long samples;
    private int steps;
    private double lastFactor = 1;
    private long lastStep = -1;

    EpochSteps(int epoch, long firstStep, StepLearningRates rates, ProgressBar bar, String lastGoodCheckpoint) {
        this(epoch, firstStep, rates, bar, lastGoodCheckpoint, () -> { });
    }

    EpochSteps(int epoch, long firstStep, StepLearningRates rates, ProgressBar bar, String lastGoodCheckpoint,
               Runnable stepCheck) {
        this.epoch = epoch;
        this.rates = rates;
        this.bar = bar;
        this.lastGoodCheckpoint = lastGoodCheckpoint;
        this.firstStep = firstStep;
        this.stepCheck = stepCheck;
    }

    /**
     * Sets the learning rates of {@code model} (the one about to take a step) for the epoch's next step: the steps
     * numbered in the order of the calls, for a fitter that fits the epoch's batches in order, one at a time.
     */
    public void beforeStep(ComputationGraph model) {
        beforeStep(model, nextStep.getAndIncrement());
    }

    /**
     * Sets the learning rates of {@code model} (the one about to take a step) for the epoch's step {@code epochStep},
     * its batch's place in the epoch (0 for the first batch): for data-parallel workers, whose steps start in no set
     * order. Do not mix with {@link #beforeStep(ComputationGraph)} in one epoch.
     *
     * @throws IllegalArgumentException when a batch taken so far is not of the configured input's height and width
     *                                  ({@link TrainingBatches}): the step must not be taken
     */
    public void beforeStep(ComputationGraph model, long epochStep) {
        if (epochStep < 0) {
            throw new IllegalArgumentException("epochStep must be >= 0 (0 is the epoch's first batch) but was "
                    + epochStep);
        }
        stepCheck.run();
        long step = firstStep + epochStep;
        double factor = rates.apply(model, step);
        synchronized (this) {
            if (step > lastStep) { // workers may report out of order
                lastStep = step;
                lastFactor = factor;
            }
        }
    }

    /**
     * Counts a finished step with its training loss.
     *
     * @param loss      the step's loss, the mean over its batch
     * @param batchSize the step's samples, >= 1: the epoch's loss weights each step by them
     * @throws IllegalArgumentException  when {@code batchSize} is below 1
     * @throws TrainingDivergedException when {@code loss} is NaN or infinite
     */
    public void afterStep(double loss, long batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1 (the step's samples) but was " + batchSize);
        }
        synchronized (this) {
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException("training loss became " + loss + " at epoch " + epoch
                        + ", step " + (steps + 1) + lastGoodCheckpoint
                        + ". Lower the learning rate or check the data for NaN values.");
            }
            lossSum += loss * batchSize;
            samples += batchSize;
            steps++;
        }
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(" loss %.4f", loss));
        }
    }

    /** The steps counted so far. */
    public synchronized int steps() {
        return steps;
    }

    /**
     * The epoch's training loss: the mean over its samples, so a short last batch weighs by its samples, not as a
     * full step (as fastai's {@code AvgLoss} and Keras average an epoch's losses).
     */
    synchronized double meanLoss() {
        return lossSum / samples;
    }

    synchronized double lastFactor() {
        return lastFactor;
    }
}
