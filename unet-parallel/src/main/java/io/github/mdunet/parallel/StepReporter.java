package io.github.mdunet.parallel;

import io.github.mdunet.core.train.EpochSteps;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Reports every worker's steps to the epoch's {@link EpochSteps}: the schedule's learning rates are set on the
 * worker's copy after its gradient is computed and before its updater runs, and its loss is counted after the step.
 * One instance is shared by all workers (ParallelWrapper hands the same listener to each).
 */
final class StepReporter extends BaseTrainingListener {

    private final EpochSteps steps;

    StepReporter(EpochSteps steps) {
        this.steps = steps;
    }

    @Override
    public void onGradientCalculation(Model model) {
        steps.beforeStep((ComputationGraph) model);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        steps.afterStep(model.score());
    }
}
