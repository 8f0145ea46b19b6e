package io.github.mdunet.core.train;

import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The steps of one epoch as an {@link EpochFitter} reports them: before each step the model that takes it gets the
 * schedule's learning rates for the run's next step, after it the step's loss is checked and counted. Thread-safe, so
 * that data-parallel workers can share one instance: each step, on whichever worker, takes the next step number, and
 * the schedule ends after the run's last batch however many workers shared the batches.
 */
public final class EpochSteps {

    private final int epoch;
    private final StepLearningRates rates;
    private final ProgressBar bar;
    private final String lastGoodCheckpoint;
    private final AtomicLong nextStep;
    private double lossSum;
    private int steps;
    private double lastFactor = 1;
    private long lastStep = -1;

    EpochSteps(int epoch, long firstStep, StepLearningRates rates, ProgressBar bar, String lastGoodCheckpoint) {
        this.epoch = epoch;
        this.rates = rates;
        this.bar = bar;
        this.lastGoodCheckpoint = lastGoodCheckpoint;
        this.nextStep = new AtomicLong(firstStep);
    }

    /** Sets the learning rates of {@code model} (the one about to take a step) for the run's next step. */
    public void beforeStep(ComputationGraph model) {
        long step = nextStep.getAndIncrement();
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
     * @throws TrainingDivergedException when {@code loss} is NaN or infinite
     */
    public void afterStep(double loss) {
        synchronized (this) {
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException("training loss became " + loss + " at epoch " + epoch
                        + ", step " + (steps + 1) + lastGoodCheckpoint
                        + ". Lower the learning rate or check the data for NaN values.");
            }
            lossSum += loss;
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

    synchronized double meanLoss() {
        return lossSum / steps;
    }

    synchronized double lastFactor() {
        return lastFactor;
    }
}
