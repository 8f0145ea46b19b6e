package io.github.mdunet.core.train;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeMemoryErrors;
import io.github.mdunet.core.nativememory.NativeOutOfMemoryError;
import io.github.mdunet.core.nativememory.ReleasingWorkspaces;
import io.github.mdunet.core.nativememory.Workload;
import io.github.mdunet.core.nativememory.Workload.Phase;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The default {@link EpochFitter}: one {@code fit(DataSet)} per batch on the calling thread. */
final class SequentialFitter implements EpochFitter {

    static final SequentialFitter INSTANCE = new SequentialFitter();

    private SequentialFitter() {
    }

    @Override
    public void fitEpoch(UNet unet, DataSetIterator train, EpochSteps steps) {
        ComputationGraph graph = unet.graph();
        train.reset();
        while (train.hasNext()) {
            DataSet batch = train.next();
            steps.beforeStep(graph);
            steps.afterStep(fitStep(unet, batch), batch.numExamples());
        }
    }

    /**
     * One training step of {@code unet}'s graph on {@code batch}; returns its loss.
     *
     * @throws NativeOutOfMemoryError when the step runs out of native memory
     */
    static double fitStep(UNet unet, DataSet batch) {
        ComputationGraph graph = unet.graph();
        ReleasingWorkspaces.applyToThisThread();
        try {
            graph.fit(batch);
        } catch (OutOfMemoryError | RuntimeException e) {
            NativeMemoryErrors.throwIfOutOfNativeMemory(e,
                    Workload.of(Phase.TRAINING_STEP, unet.config(), batch.getFeatures()));
            throw e;
        }
        return graph.score();
    }

    @Override
    public String describe() {
        return "1 device";
    }
}
