package io.github.mdunet.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.optimize.solvers.accumulation.EncodedGradientsAccumulator;
import org.deeplearning4j.optimize.solvers.accumulation.EncodingHandler;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.factory.TrainerContext;
import org.deeplearning4j.parallelism.trainer.SymmetricTrainer;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Gradient sharing whose workers stop together when one fails. In DL4J's {@code SHARED_GRADIENTS} mode the workers
 * of a round wait for each other's updates in the accumulator; a worker whose step threw (out of memory, a listener)
 * never sent its update, and the others, and the run, waited forever. Here the failing worker first marks the
 * accumulator failed, which the waiting workers check: they stop with the failure, and the wrapper's fit rethrows it.
 */
final class FailFastSharing {

    private FailFastSharing() {
    }

    /**
     * DL4J's accumulator as {@code ParallelWrapper.Builder} makes it for {@code SHARED_GRADIENTS} (adaptive threshold,
     * updates of at most {@code numParams / 16 + 5} entries, {@code workers + 2} queued), that can be marked failed.
     */
    static final class Accumulator extends EncodedGradientsAccumulator {

        Accumulator(int workers, long numParams) {
            super(workers, new EncodingHandler(new AdaptiveThresholdAlgorithm(), null, (int) (numParams / 16 + 5),
                    false), (numParams / 16 + 5) * 4 * (workers + 3), workers + 2, Integer.MAX_VALUE, false);
        }

        /** Makes the workers waiting for a round's updates stop with {@code failure}. */
        void fail(Throwable failure) {
            throwable.setIfFirst(failure);
        }
    }

    /** DL4J's symmetric (gradient-sharing) trainers, each marking the accumulator failed when its step throws. */
    static final class Context implements TrainerContext {

        @Override
        public void init(Model model, Object... args) {
            // nothing to prepare, as in DL4J's SymmetricTrainerContext
        }

        @Override
        public Trainer create(String uuid, int threadId, Model model, int rootDevice, boolean useMDS,
                              ParallelWrapper wrapper, WorkspaceMode mode, int averagingFrequency) {
            Worker worker = new Worker(model, uuid, threadId, mode, wrapper, useMDS);
            worker.setName("FailFastSharing worker " + threadId);
            worker.setDaemon(true);
            return worker;
        }

        @Override
        public void finalizeRound(Model originalModel, Model... models) {
            // no-op, as in DL4J's SymmetricTrainerContext
        }

        @Override
        public void finalizeTraining(Model originalModel, Model... models) {
            // as DL4J's SymmetricTrainerContext: worker 0's model, which applied every worker's updates
            originalModel.setParams(models[0].params());
        }
    }

    private static final class Worker extends SymmetricTrainer {

        Worker(Model model, String uuid, int threadId, WorkspaceMode mode, ParallelWrapper wrapper, boolean useMDS) {
            super(model, uuid, threadId, mode, wrapper, useMDS);
        }

        @Override
        protected void fit(DataSet dataSet) {
            try {
                super.fit(dataSet);
            } catch (RuntimeException | Error e) {
                throw failed(e);
            }
        }

        @Override
        protected void fit(MultiDataSet dataSet) {
            try {
                super.fit(dataSet);
            } catch (RuntimeException | Error e) {
                throw failed(e);
            }
        }

        private RuntimeException failed(Throwable failure) {
            if (accumulator instanceof Accumulator failFast) {
                failFast.fail(failure);
            }
            return failure instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("worker " + threadId + " failed: " + failure, failure);
        }
    }
}
