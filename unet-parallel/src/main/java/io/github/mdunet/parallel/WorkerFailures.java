package io.github.mdunet.parallel;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.nativememory.ReleasingWorkspaces;
import java.util.Collection;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.accumulation.EncodedGradientsAccumulator;
import org.deeplearning4j.optimize.solvers.accumulation.EncodingHandler;
import org.deeplearning4j.optimize.solvers.accumulation.GradientsAccumulator;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.factory.TrainerContext;
import org.deeplearning4j.parallelism.trainer.DefaultTrainer;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * DL4J's parallel workers, made to end a run when one of them fails instead of hanging it. DL4J's worker loop catches
 * only {@code Exception}: a Java {@code Error} (JavaCPP's out-of-memory error) ended an averaging worker's thread
 * unseen, and the wrapper waited for its batch forever. With gradient sharing, the workers of a round wait for each
 * other's updates in the accumulator: a worker whose step threw never sent its own, and the others waited forever.
 * Here a failing worker, in its step or while it builds its copy of the model, reports an {@code Error} as DL4J reports
 * an exception, and first marks the accumulator failed, which the waiting workers check: they stop with the failure,
 * and the wrapper's fit rethrows it. Each worker also numbers its steps for the learning-rate schedule by its place in
 * the round ({@link StepReporter#replaceForWorker}).
 */
final class WorkerFailures {

    private WorkerFailures() {
    }

    /**
     * DL4J's trainers of {@code mode} (as its {@code DefaultTrainerContext} or {@code SymmetricTrainerContext}); each
     * worker after 0 runs {@code copied} on its thread once it has made its own copy of the model it was handed.
     */
    static TrainerContext context(SyncMode mode, Runnable copied) {
        return new Context(mode, copied);
    }

    /**
     * DL4J's accumulator as {@code ParallelWrapper.Builder} makes it for {@code SHARED_GRADIENTS} (adaptive threshold,
     * updates of at most {@code numParams / 16 + 5} entries, {@code workers + 2} queued), that can be marked failed.
     */
    static final class SharingAccumulator extends EncodedGradientsAccumulator {

        SharingAccumulator(int workers, long numParams) {
            super(workers, new EncodingHandler(new AdaptiveThresholdAlgorithm(), null, (int) (numParams / 16 + 5),
                    false), (numParams / 16 + 5) * 4 * (workers + 3), workers + 2, Integer.MAX_VALUE, false);
        }

        /** Makes the workers waiting for a round's updates stop with {@code failure}. */
        void fail(Throwable failure) {
            throwable.setIfFirst(failure);
        }
    }

    private record Context(SyncMode mode, Runnable copied) implements TrainerContext {

        @Override
        public void init(Model model, Object... args) {
            // nothing to prepare, as in DL4J's contexts
        }

        @Override
        public Trainer create(String uuid, int threadId, Model model, int rootDevice, boolean useMDS,
                              ParallelWrapper wrapper, WorkspaceMode mode, int averagingFrequency) {
            Worker worker = new Worker(this.mode, uuid, threadId, model, wrapper, mode, averagingFrequency, useMDS,
                    copied);
            worker.setName("mdunet " + this.mode + " worker " + threadId);
            worker.setDaemon(true);
            return worker;
        }

        @Override
        public void finalizeRound(Model originalModel, Model... models) {
            // the averaging wrapper averages; gradient sharing has nothing to finish per round
        }

        @Override
        public void finalizeTraining(Model originalModel, Model... models) {
            if (mode == SyncMode.SHARED_GRADIENTS) {
                // as DL4J's SymmetricTrainerContext: worker 0's model, which applied every worker's updates
                originalModel.setParams(models[0].params());
            }
        }
    }

    /**
     * DL4J's worker of {@code syncMode}: an averaging worker as its {@code DefaultTrainerContext} sets up a
     * {@code DefaultTrainer}, a gradient-sharing one as its {@code SymmetricTrainer}, a {@code DefaultTrainer} that
     * differs only where this class asks for the mode (its averaging frequency, accumulator and
     * {@code averagingRequired}, and the accumulator given to its copy of the model).
     */
    private static final class Worker extends DefaultTrainer {

        private final SyncMode syncMode;
        private final Runnable copied;
        /** The wrapper's, with gradient sharing; {@code null} when averaging. */
        private final GradientsAccumulator accumulator;

        Worker(SyncMode syncMode, String uuid, int threadId, Model model, ParallelWrapper wrapper, WorkspaceMode mode,
               int averagingFrequency, boolean useMDS, Runnable copied) {
            super();
            this.syncMode = syncMode;
            this.copied = copied;
            this.uuid = uuid + "_thread_" + threadId;
            this.originalModel = model;
            // Not the model it is handed, as DL4J's context sets it: DL4J's clean-up closes it when the worker fails
            // before its copy exists, and that model is the snapshot the other workers copy from.
            this.threadId = threadId;
            this.parallelWrapper = wrapper;
            this.workspaceMode = mode;
            this.useMDS = useMDS;
            this.averagingFrequency = switch (syncMode) {
                case AVERAGING -> averagingFrequency;
                case SHARED_GRADIENTS -> 0; // as DL4J's SymmetricTrainer leaves it
            };
            this.accumulator = switch (syncMode) {
                case AVERAGING -> null;
                case SHARED_GRADIENTS -> sharingAccumulator(wrapper);
            };
        }

        /** The wrapper's accumulator, which every update of a gradient-sharing worker goes through. */
        private static GradientsAccumulator sharingAccumulator(ParallelWrapper wrapper) {
            GradientsAccumulator accumulator = wrapper.getGradientsAccumulator();
            Checks.requireSet("the ParallelWrapper's gradientsAccumulator", accumulator, "gradient sharing sends every"
                    + " update through it: build the wrapper with ParallelWrapper.Builder.gradientsAccumulator, as"
                    + " ParallelFitter does");
            return accumulator;
        }

        /** As DL4J's trainers: the averaging wrapper averages its workers' models, gradient sharing never does. */
        @Override
        public boolean averagingRequired() {
            return syncMode == SyncMode.AVERAGING;
        }

        @Override
        public void run() {
            try {
                super.run();
            } catch (RuntimeException | Error failure) {
                thrownException = reported(threadId, accumulator, thrownException, failure);
                isStopped.set(true); // DL4J's clean-up may have thrown before it marked the worker stopped
                throw failure;
            }
        }

        /**
         * Called by DL4J's {@code run} once the worker's model is set up (after 0, its own copy made), before its
         * listeners are: the copy is reported first. A gradient-sharing worker's copy then sends its updates to the
         * accumulator and takes the others' from it, as DL4J's {@code SymmetricTrainer} sets it up.
         */
        @Override
        protected void postInit() {
            if (threadId != 0) {
                copied.run();
            }
            super.postInit();
            if (syncMode == SyncMode.SHARED_GRADIENTS) {
                ((ComputationGraph) replicatedModel).setGradientsAccumulator(accumulator);
                accumulator.touch();
            }
        }

        @Override
        protected void configureListeners(String workerUuid, Collection<TrainingListener> oldListeners,
                                          Collection<TrainingListener> replicatedListeners) {
            super.configureListeners(workerUuid, oldListeners, replicatedListeners);
            StepReporter.replaceForWorker(replicatedListeners, threadId);
        }

        @Override
        protected void fit(DataSet dataSet) {
            guarded(threadId, accumulator, () -> super.fit(dataSet));
        }

        @Override
        protected void fit(MultiDataSet dataSet) {
            guarded(threadId, accumulator, () -> super.fit(dataSet));
        }
    }

    /**
     * What a worker's thread that ends with {@code failure} leaves for the wrapper waiting on it (DL4J reads it in
     * {@code waitTillRunning}): DL4J's own record when it made one (an exception), else {@code failure}, such as an
     * {@code Error} while the worker built its copy of the model, which DL4J's loop does not catch. When that copy
     * failed half-built, DL4J's clean-up throws a {@code NullPointerException} closing it, which hides the first
     * failure; the worker still ends and is reported. Marks {@code accumulator} failed, so that the other workers
     * stop waiting for this one.
     */
    private static Exception reported(int threadId, GradientsAccumulator accumulator, Exception recorded,
                                      Throwable failure) {
        if (accumulator instanceof SharingAccumulator sharing) {
            sharing.fail(failure);
        }
        if (recorded != null) {
            return recorded;
        }
        return failure instanceof Exception exception ? exception
                : new IllegalStateException("worker " + threadId + " failed: " + failure, failure);
    }

    /** Runs a worker's {@code step}; a failure marks {@code accumulator} failed and is rethrown as an exception. */
    private static void guarded(int threadId, GradientsAccumulator accumulator, Runnable step) {
        try {
            ReleasingWorkspaces.applyToThisThread();
            step.run();
        } catch (RuntimeException | Error failure) {
            if (accumulator instanceof SharingAccumulator sharing) {
                sharing.fail(failure);
            }
            throw failure instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("worker " + threadId + " failed: " + failure, failure);
        }
    }
}
