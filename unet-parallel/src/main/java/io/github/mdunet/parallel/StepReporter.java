package io.github.mdunet.parallel;

import io.github.mdunet.core.train.EpochSteps;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * Reports every worker's steps to the epoch's {@link EpochSteps}: the schedule's learning rates are set on the
 * worker's copy after its gradient is computed and before its updater runs, and its loss is counted after the step,
 * weighted by its batch's samples.
 * The wrapper is handed one instance, and each worker's trainer puts in its place this reporter's listener for that
 * worker ({@link #replaceForWorker}), which numbers the worker's steps by their batches' places in the epoch: the
 * wrapper hands round {@code k}'s batches to workers 0, 1, ... in the iterator's order, so worker {@code w}'s
 * {@code k}-th step of the epoch is the epoch's step {@code k x workers + w}, whichever worker finishes first. With a
 * schedule that changes every step, the rate of each batch is then the same in every run.
 */
final class StepReporter extends BaseTrainingListener {

    private final EpochSteps steps;
    private final int workers;

    /** @param workers the wrapper's workers, the batches of a full round */
    StepReporter(EpochSteps steps, int workers) {
        this.steps = steps;
        this.workers = workers;
    }

    /**
     * Replaces each {@code StepReporter} among {@code listeners} (one worker's) by its listener for worker
     * {@code worker} (DL4J's {@code threadId}, the worker's place in each round).
     */
    static void replaceForWorker(Collection<TrainingListener> listeners, int worker) {
        List<TrainingListener> own = new ArrayList<>();
        for (TrainingListener listener : listeners) {
            own.add(listener instanceof StepReporter reporter ? reporter.new WorkerSteps(worker) : listener);
        }
        listeners.clear();
        listeners.addAll(own);
    }

    @Override
    public void onGradientCalculation(Model model) {
        throw new IllegalStateException("a worker reported a step to the shared StepReporter, which cannot tell the"
                + " step's batch: each worker's trainer must use StepReporter.replaceForWorker(listeners, threadId), as"
                + " WorkerFailures' trainers do");
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        throw new IllegalStateException("a worker reported a step to the shared StepReporter: each worker's trainer"
                + " must use StepReporter.replaceForWorker(listeners, threadId), as WorkerFailures' trainers do");
    }

    /** One worker's steps; called on that worker's thread only. */
    private final class WorkerSteps extends BaseTrainingListener {

        private final int worker;
        /** The worker's steps so far in the epoch: the round of its next step. */
        private long round;

        WorkerSteps(int worker) {
            this.worker = worker;
        }

        @Override
        public void onGradientCalculation(Model model) {
            steps.beforeStep((ComputationGraph) model, round++ * workers + worker);
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            steps.afterStep(model.score(), model.batchSize());
        }
    }
}
