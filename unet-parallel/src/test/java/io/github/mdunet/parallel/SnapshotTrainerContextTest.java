package io.github.mdunet.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.data.testing.SmallShapes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The workers' starting copy of the graph lives until the last worker after 0 has made its own from it: then its
 * native arrays are closed, the workers' copies intact; one that no worker finished copying is closed by
 * {@link SnapshotTrainerContext#release()}.
 */
class SnapshotTrainerContextTest {

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void theSnapshotIsClosedWhenTheLastWorkerHasCopiedItAndNotBefore(SyncMode mode) throws InterruptedException {
        ComputationGraph graph = UNet.build(SmallShapes.model()).graph();
        ParallelFitter fitter = new ParallelFitter(DataParallel.averaging(3).withMode(mode));
        SnapshotTrainerContext trainers = fitter.trainers();
        ParallelWrapper wrapper = fitter.wrapper(graph, trainers);
        List<Trainer> workers = new ArrayList<>();
        try {
            trainers.create("test", 0, graph, 0, false, wrapper, WorkspaceMode.ENABLED, 1);
            ComputationGraph snapshot = trainers.held().orElseThrow();
            assertThat(trainers.copiesAwaited()).isEqualTo(2);

            workers.add(started(trainers.create("test", 1, graph, 0, false, wrapper, WorkspaceMode.ENABLED, 1)));
            await(() -> trainers.copiesAwaited() == 1);
            assertThat(trainers.held()).as("held for worker 2").containsSame(snapshot);
            assertThat(snapshot.params().wasClosed()).isFalse();

            workers.add(started(trainers.create("test", 2, graph, 0, false, wrapper, WorkspaceMode.ENABLED, 1)));
            await(() -> trainers.copiesAwaited() == 0);
            assertThat(trainers.held()).isEmpty();
            assertThat(snapshot.params().wasClosed()).as("parameters").isTrue();
            assertThat(snapshot.getFlattenedGradients().wasClosed()).as("gradient view").isTrue();
            assertThat(snapshot.getUpdater().getStateViewArray().wasClosed()).as("Adam's state").isTrue();
            for (Trainer worker : workers) {
                ComputationGraph copy = (ComputationGraph) worker.getModel();
                assertThat(copy.params().wasClosed()).isFalse();
                assertThat(copy.params().equalsWithEps(graph.params(), 0)).as("a worker's parameters").isTrue();
                assertThat(copy.getUpdater().getStateViewArray().wasClosed()).isFalse();
            }
        } finally {
            workers.forEach(Trainer::shutdown);
            wrapper.shutdown();
        }
    }

    /** A worker that failed before its copy never reports it: the fitter's release after the epoch closes it. */
    @Test
    void aSnapshotNoWorkerCopiedIsClosedByRelease() {
        ComputationGraph graph = UNet.build(SmallShapes.model()).graph();
        ParallelFitter fitter = new ParallelFitter(DataParallel.averaging(2));
        SnapshotTrainerContext trainers = fitter.trainers();
        ParallelWrapper wrapper = fitter.wrapper(graph, trainers);
        try {
            trainers.create("test", 0, graph, 0, false, wrapper, WorkspaceMode.ENABLED, 1);
            ComputationGraph snapshot = trainers.held().orElseThrow();

            trainers.release();
            trainers.release();

            assertThat(trainers.held()).isEmpty();
            assertThat(snapshot.params().wasClosed()).isTrue();
            assertThat(graph.params().wasClosed()).as("the graph itself").isFalse();
        } finally {
            wrapper.shutdown();
        }
    }

    /** Through DL4J's wrapper: every step of the worker after 0 is taken with the snapshot already closed. */
    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void inAFitTheWorkersStepWithTheSnapshotReleased(SyncMode mode) {
        ComputationGraph graph = UNet.build(SmallShapes.model()).graph();
        ParallelFitter fitter = new ParallelFitter(DataParallel.averaging(2).withMode(mode).withPrefetchBatches(0));
        SnapshotTrainerContext trainers = fitter.trainers();
        ParallelWrapper wrapper = fitter.wrapper(graph, trainers);
        List<Boolean> heldAtStepsAfterWorkerZero = new CopyOnWriteArrayList<>();
        wrapper.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (model != graph) {
                    heldAtStepsAfterWorkerZero.add(trainers.held().isPresent());
                }
            }
        });
        try {
            wrapper.fit(new ListDataSetIterator<>(List.of(ParallelFitterTest.batch(1), ParallelFitterTest.batch(1),
                    ParallelFitterTest.batch(1), ParallelFitterTest.batch(1)), 1));
        } finally {
            wrapper.shutdown();
        }

        assertThat(heldAtStepsAfterWorkerZero).hasSize(2).containsOnly(false);
    }

    private static Trainer started(Trainer worker) {
        ((Thread) worker).start();
        return worker;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
