package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.EpochEvents;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DL4J listeners given to a {@link Trainer}: they see the epochs as DL4J's own {@code fit(iterator)} shows them, the
 * graph counts its epochs into its checkpoints, and they leave the caller's graph when the run ends.
 */
class TrainerListenersTest {

    @TempDir
    Path directory;

    /** Counts the steps it is told of. */
    private static final class StepCount extends BaseTrainingListener {
        final AtomicInteger steps = new AtomicInteger();

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            steps.incrementAndGet();
        }
    }

    /** Throws at the {@code n}-th step it is told of, as a run killed there. */
    private static TrainingListener failingAtStep(int n) {
        AtomicInteger steps = new AtomicInteger();
        return new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (steps.incrementAndGet() == n) {
                    throw new IllegalStateException("stopped at step " + n);
                }
            }
        };
    }

    private static TrainingConfig config(int epochs, Path checkpoints) {
        return TrainingConfig.of(epochs, checkpoints).withProgressBar(false);
    }

    private static int epochCount(ComputationGraph graph) {
        return graph.getConfiguration().getEpochCount();
    }

    @Test
    void listenersSeeEachEpochStartAndEndAndTheEpochOfEachStepAsDl4jsFitShowsThem() throws IOException {
        EpochEvents listener = new EpochEvents();
        TrainingResult result = new Trainer(config(3, directory), Validator.loss()).withListeners(List.of(listener))
                .fit(TrainerTest.tinyUNet(), TrainerTest.data(1), TrainerTest.data(2));

        // 8 samples in batches of 4: two steps an epoch; DL4J numbers the epochs from 0.
        assertThat(listener.events()).containsExactly("start", "0", "0", "end", "start", "1", "1", "end",
                "start", "2", "2", "end");
        assertThat(epochCount(result.model().graph())).isEqualTo(3);
        assertThat(epochCount(UNet.load(directory.resolve(Trainer.LAST)).graph())).isEqualTo(3);
        assertThat(epochCount(UNet.load(directory.resolve(Trainer.BEST)).graph()))
                .isEqualTo(result.bestEpoch());
    }

    /**
     * A run stopped in its second epoch resumes from the first epoch's checkpoint with the epoch count it saved: the
     * listeners see epochs 1 and 2 (0-based) as in a run never stopped, and the resumed model ends equal to that run's,
     * bit for bit, epoch count included.
     */
    @Test
    void aResumedRunCountsItsEpochsOnFromTheCheckpointAndEndsAsARunNeverStopped() throws IOException {
        Path uninterrupted = directory.resolve("uninterrupted");
        TrainingResult full = new Trainer(config(3, uninterrupted), Validator.loss())
                .fit(TrainerTest.tinyUNet(), TrainerTest.data(1), TrainerTest.data(2));

        Path stopped = directory.resolve("stopped");
        Trainer stopping = new Trainer(config(3, stopped), Validator.loss()).withListeners(List.of(failingAtStep(3)));
        assertThatThrownBy(() -> stopping.fit(TrainerTest.tinyUNet(), TrainerTest.data(1), TrainerTest.data(2)))
                .hasMessage("stopped at step 3");
        assertThat(epochCount(UNet.load(stopped.resolve(Trainer.LAST)).graph())).isEqualTo(1);

        EpochEvents listener = new EpochEvents();
        TrainingResult resumed = new Trainer(config(3, stopped), Validator.loss()).withListeners(List.of(listener))
                .fit(TrainerTest.tinyUNet(), TrainerTest.data(1), TrainerTest.data(2));

        assertThat(listener.events()).containsExactly("start", "1", "1", "end", "start", "2", "2", "end");
        ComputationGraph graph = resumed.model().graph();
        assertThat(epochCount(graph)).isEqualTo(3);
        assertThat(graph.getConfiguration().getIterationCount())
                .isEqualTo(full.model().graph().getConfiguration().getIterationCount());
        assertThat(graph.params().toFloatVector()).isEqualTo(full.model().graph().params().toFloatVector());
        assertThat(graph.getUpdater().getStateViewArray().toFloatVector())
                .isEqualTo(full.model().graph().getUpdater().getStateViewArray().toFloatVector());
        assertThat(resumed.history()).extracting(EpochRecord::trainLoss)
                .containsExactlyElementsOf(full.history().stream().map(EpochRecord::trainLoss).toList());
        assertThat(resumed.history()).extracting(EpochRecord::validation)
                .containsExactlyElementsOf(full.history().stream().map(EpochRecord::validation).toList());
    }

    /**
     * A checkpoint of a version that kept the epoch count at 0 (made here by a listener that holds it there) resumes
     * counting from the epochs its run completed, as a checkpoint of this version does.
     */
    @Test
    void aCheckpointWithoutAnEpochCountResumesFromTheEpochsCompleted() throws IOException {
        TrainingListener countingNothing = new BaseTrainingListener() {
            @Override
            public void onEpochEnd(Model model) {
                ((ComputationGraph) model).getConfiguration().setEpochCount(-1); // the trainer's +1 leaves it at 0
            }
        };
        Trainer stopping = new Trainer(config(3, directory), Validator.loss())
                .withListeners(List.of(countingNothing, failingAtStep(3)));
        assertThatThrownBy(() -> stopping.fit(TrainerTest.tinyUNet(), TrainerTest.data(1), TrainerTest.data(2)))
                .hasMessage("stopped at step 3");
        assertThat(epochCount(UNet.load(directory.resolve(Trainer.LAST)).graph())).isZero();

        EpochEvents listener = new EpochEvents();
        TrainingResult resumed = new Trainer(config(3, directory), Validator.loss()).withListeners(List.of(listener))
                .fit(TrainerTest.tinyUNet(), TrainerTest.data(1), TrainerTest.data(2));

        assertThat(listener.events()).containsExactly("start", "1", "1", "end", "start", "2", "2", "end");
        assertThat(epochCount(resumed.model().graph())).isEqualTo(3);
    }

    /** DL4J's {@code CheckpointListener} saving every 2 epochs saves after the second epoch of three, and only then. */
    @Test
    void aCheckpointListenerSavesEveryNEpochs() throws IOException {
        Path saved = directory.resolve("listener");
        saved.toFile().mkdirs();
        CheckpointListener every2 = new CheckpointListener.Builder(saved.toFile()).saveEveryNEpochs(2).keepAll()
                .build();
        new Trainer(config(3, directory.resolve("run")), Validator.loss()).withListeners(List.of(every2))
                .fit(TrainerTest.tinyUNet(), TrainerTest.data(1), TrainerTest.data(2));

        assertThat(every2.availableCheckpoints()).singleElement()
                .satisfies(checkpoint -> assertThat(checkpoint.getEpoch()).as("0-based epoch").isEqualTo(1));
    }

    /**
     * The trainer's listeners are on the caller's graph for the run only: a second run, and a learning-rate sweep
     * after it, call them once a step or not at all, and the graph keeps its own listener throughout, also after a run
     * that a listener stopped.
     */
    @Test
    void theTrainersListenersLeaveTheCallersGraphWhenTheRunEndsOrFails() throws IOException {
        UNet unet = TrainerTest.tinyUNet();
        StepCount own = new StepCount();
        unet.graph().setListeners(own);
        StepCount added = new StepCount();
        Trainer trainer = new Trainer(config(1, directory.resolve("first")), Validator.loss())
                .withListeners(List.of(added));

        trainer.fit(unet, TrainerTest.data(1), TrainerTest.data(2));
        assertThat(added.steps).hasValue(2);
        assertThat(unet.graph().getListeners()).containsExactly(own);

        new Trainer(config(1, directory.resolve("second")), Validator.loss()).withListeners(List.of(added))
                .fit(unet, TrainerTest.data(1), TrainerTest.data(2));
        assertThat(added.steps).as("two more steps, each told once").hasValue(4);
        assertThat(unet.graph().getListeners()).containsExactly(own);

        new LearningRateFinder(new LearningRateFinder.Settings(1e-6, 1, 10, false)).find(unet, TrainerTest.data(1));
        assertThat(added.steps).as("not the finder's steps").hasValue(4);
        assertThat(own.steps).as("2 + 2 + 10 steps").hasValue(14);

        Trainer failing = new Trainer(config(1, directory.resolve("failed")), Validator.loss())
                .withListeners(List.of(failingAtStep(1)));
        assertThatThrownBy(() -> failing.fit(unet, TrainerTest.data(1), TrainerTest.data(2)))
                .hasMessage("stopped at step 1");
        assertThat(unet.graph().getListeners()).containsExactly(own);
    }
}
