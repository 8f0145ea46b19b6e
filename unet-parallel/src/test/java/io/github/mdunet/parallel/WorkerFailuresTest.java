package io.github.mdunet.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.data.testing.SmallShapes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.deeplearning4j.util.CrashReportingUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class WorkerFailuresTest {

    /**
     * An Error while a worker builds its copy of the model, before its first step (the likeliest moment to run out of
     * memory with many workers), ended DL4J's worker thread unrecorded and unmarked as stopped: the wrapper, having
     * fed it a batch, waited in waitTillRunning forever, and shutting it down waited too. Now both end, and the model
     * the worker was handed (the snapshot the other workers copy from) is not closed.
     */
    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void anErrorWhileAWorkerBuildsItsCopyReachesTheWrapper(SyncMode mode) throws InterruptedException {
        ComputationGraph graph = UNet.build(SmallShapes.model()).graph();
        AtomicBoolean copying = new AtomicBoolean();
        ComputationGraph outOfMemoryWhenCopied = new ComputationGraph(graph.getConfiguration().clone()) {
            @Override
            public ComputationGraphConfiguration getConfiguration() {
                if (copying.get()) {
                    throw new OutOfMemoryError("Cannot allocate new LongPointer(1): totalBytes = 256");
                }
                return super.getConfiguration();
            }
        };
        outOfMemoryWhenCopied.init();
        copying.set(true); // the worker reads the configuration first to build its copy
        ParallelFitter fitter = new ParallelFitter(DataParallel.averaging(2).withMode(mode));
        ParallelWrapper wrapper = fitter.wrapper(graph, fitter.trainers());
        AtomicBoolean reportedCopied = new AtomicBoolean();
        Trainer worker = WorkerFailures.context(mode, () -> reportedCopied.set(true)).create("test", 1,
                outOfMemoryWhenCopied, 0, false, wrapper, WorkspaceMode.ENABLED, 1);
        CrashReportingUtil.crashDumpsEnabled(false);
        try {
            ((Thread) worker).start();
            ((Thread) worker).join(30_000);
            worker.feedDataSet(new DataSet(Nd4j.zeros(DataType.FLOAT, 1, 3, 8, 8), Nd4j.zeros(DataType.FLOAT, 1, 4,
                    8, 8)), 0);

            // The wait ends with the failure (here DL4J's clean-up hides it behind a NullPointerException, as it does
            // after a copy that failed half-built), and shutting the worker down returns.
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                assertThatThrownBy(worker::waitTillRunning).isInstanceOf(RuntimeException.class);
                worker.shutdown();
            });
            assertThat(outOfMemoryWhenCopied.params().wasClosed()).as("the model handed over stays open").isFalse();
            assertThat(reportedCopied).as("a copy that failed is not reported as made").isFalse();
        } finally {
            CrashReportingUtil.crashDumpsEnabled(true);
            wrapper.shutdown();
        }
    }
}
