package io.github.mdunet.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.factory.TrainerContext;
import org.deeplearning4j.parallelism.trainer.DefaultTrainer;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * DL4J's averaging worker ({@code DefaultTrainer}, made as DL4J's {@code DefaultTrainerContext} makes it) that
 * reports a Java {@code Error} from its step, such as JavaCPP's out-of-memory error, the way DL4J reports an
 * exception. DL4J's worker loop catches only {@code Exception}: an {@code Error} ended the worker's thread unseen, and
 * the wrapper waited for that worker's batch forever.
 */
final class ErrorReportingTrainer extends DefaultTrainer {

    private ErrorReportingTrainer(String uuid, int threadId, Model model, ParallelWrapper wrapper,
                                  WorkspaceMode mode, int averagingFrequency, boolean useMDS) {
        super();
        this.uuid = uuid + "_thread_" + threadId;
        this.originalModel = model;
        this.replicatedModel = model;
        this.threadId = threadId;
        this.parallelWrapper = wrapper;
        this.workspaceMode = mode;
        this.averagingFrequency = averagingFrequency;
        this.useMDS = useMDS;
        setName("ErrorReportingTrainer thread " + threadId);
        setDaemon(true);
    }

    @Override
    protected void fit(DataSet dataSet) {
        try {
            super.fit(dataSet);
        } catch (Error e) {
            throw failed(e);
        }
    }

    @Override
    protected void fit(MultiDataSet dataSet) {
        try {
            super.fit(dataSet);
        } catch (Error e) {
            throw failed(e);
        }
    }

    private IllegalStateException failed(Error error) {
        return new IllegalStateException("worker " + threadId + " failed: " + error, error);
    }

    /** Makes {@link ErrorReportingTrainer}s; rounds and training end as in DL4J's default context (no-ops). */
    static final class Context implements TrainerContext {

        @Override
        public void init(Model model, Object... args) {
            // nothing to prepare, as in DL4J's DefaultTrainerContext
        }

        @Override
        public Trainer create(String uuid, int threadId, Model model, int rootDevice, boolean useMDS,
                              ParallelWrapper wrapper, WorkspaceMode mode, int averagingFrequency) {
            return new ErrorReportingTrainer(uuid, threadId, model, wrapper, mode, averagingFrequency, useMDS);
        }

        @Override
        public void finalizeRound(Model originalModel, Model... models) {
            // the wrapper averages, as with DL4J's DefaultTrainerContext
        }

        @Override
        public void finalizeTraining(Model originalModel, Model... models) {
            // the wrapper averages, as with DL4J's DefaultTrainerContext
        }
    }
}
