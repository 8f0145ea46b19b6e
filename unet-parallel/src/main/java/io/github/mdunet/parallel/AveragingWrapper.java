package io.github.mdunet.parallel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's {@link ParallelWrapper} in {@code AVERAGING} mode that also averages after a fit's last round when that
 * round was not an averaging round, or was one that fed only some workers. DL4J's {@code fit} averages only after
 * rounds whose count is a multiple of the averaging frequency, only the workers fed in that round, and never after its
 * loop, then shuts the workers down: the rounds after the last average (with a frequency above an epoch's rounds, the
 * whole epoch), and the steps since the average before of the workers a short last averaging round did not feed,
 * would be lost from every worker but 0, though their losses were reported. Here, once the loop is over and before
 * the workers are shut down, the parameters and the updater state of the workers that trained since they were last
 * averaged are averaged as DL4J averages them ({@code Nd4j.averageAndPropagate}, the score set to the workers' mean),
 * worker 0 being the graph itself.
 *
 * <p>The workers other than 0 start from a copy of the graph taken when the fit starts (see
 * {@link SnapshotTrainerContext}; without it, seen here as a second Adam step in one worker).
 *
 * <p>Set up as {@code ParallelWrapper.Builder.build()} sets up an {@code AVERAGING} wrapper with the builder's
 * defaults (updater state averaged, workspaces enabled, DL4J's default trainers, which here report an {@code Error}
 * too: {@link WorkerFailures}), except that the graph's own
 * listeners stay where they are: the caller hands the workers their listeners with {@link #setListeners}.
 */
final class AveragingWrapper extends ParallelWrapper {

    private final StepCounter steps = new StepCounter();
    private boolean fitting;

    AveragingWrapper(ComputationGraph graph, int workers, int averagingFrequency, int prefetchBatches,
                     SnapshotTrainerContext trainers) {
        super(graph, workers, prefetchBatches);
        this.averagingFrequency = averagingFrequency;
        this.reportScore = false;
        this.averageUpdaters = true;
        this.legacyAveraging = true;
        this.isMQ = Nd4j.getAffinityManager().getNumberOfDevices() > 1;
        this.workspaceMode = WorkspaceMode.ENABLED;
        this.trainerContext = trainers;
        this.gradientsAccumulator = null;
        init();
    }

    @Override
    public synchronized void fit(DataSetIterator source) {
        if (!listeners.contains(steps)) {
            listeners.add(steps);
        }
        fitting = true;
        try {
            super.fit(source);
        } finally {
            fitting = false;
        }
    }

    /** Called by {@code fit} once every worker is done (and by {@code shutdown}, where nothing is averaged). */
    @Override
    public void close() throws Exception {
        if (fitting && zoo != null) {
            averageUnaveragedRounds();
        }
        super.close();
    }

    private void averageUnaveragedRounds() {
        long rounds = iterationsCounter.get();
        List<ComputationGraph> workers = new ArrayList<>();
        for (Trainer trainer : zoo) {
            if (trainer.getModel() instanceof ComputationGraph copy) {
                workers.add(copy);
            }
        }
        // Only the last round can have fewer batches than workers. Every earlier round fed every worker, so a worker
        // has taken as many steps as rounds it was fed in.
        long since;
        if (rounds % averagingFrequency != 0) {
            // The rounds after the last average were averaged by nobody: the workers that stepped in them.
            since = rounds - rounds % averagingFrequency;
        } else if (workers.stream().allMatch(copy -> steps.of(copy) == rounds)) {
            return; // DL4J's average after the last round took every worker
        } else {
            // DL4J averaged after the last round, but only the workers fed in it (their models are now that
            // average); the others stepped since the average before and would be lost: average them all.
            since = rounds - averagingFrequency;
        }
        List<ComputationGraph> trained = workers.stream().filter(copy -> steps.of(copy) > since).toList();
        if (trained.size() < 2) {
            return;
        }
        List<INDArray> parameters = new ArrayList<>();
        double score = 0;
        for (ComputationGraph copy : trained) {
            parameters.add(copy.params());
            score += copy.score();
        }
        Nd4j.averageAndPropagate(null, parameters);
        ComputationGraphUpdater updater = ((ComputationGraph) model).getUpdater();
        if (averageUpdaters && updater != null && updater.getStateViewArray() != null) {
            List<INDArray> states = new ArrayList<>();
            for (ComputationGraph copy : trained) {
                states.add(copy.getUpdater().getStateViewArray());
            }
            Nd4j.averageAndPropagate(null, states);
        }
        ((ComputationGraph) model).setScore(score / trained.size());
    }

    /** Each worker's steps in this fit (a worker's model is passed to every listener after each of its steps). */
    private static final class StepCounter extends BaseTrainingListener {

        private final Map<Model, Integer> steps = Collections.synchronizedMap(new IdentityHashMap<>());

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            steps.merge(model, 1, Integer::sum);
        }

        int of(Model model) {
            return steps.getOrDefault(model, 0);
        }
    }
}
