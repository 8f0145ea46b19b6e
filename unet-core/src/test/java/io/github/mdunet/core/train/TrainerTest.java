package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.testing.BrightShapes;
import io.github.mdunet.core.testing.EpochRecordingIterator;
import io.github.mdunet.runtime.cpu.CpuAcceleration;
import io.github.mdunet.runtime.process.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;

class TrainerTest {

    @TempDir
    Path directory;

    static UNet tinyUNet() {
        return UNet.build(UNetConfig.builder()
                .encoder(new ClassicEncoder(1, 4, Normalization.BATCH))
                .input(new ImageShape(1, 16, 16))
                .numClasses(2)
                .upsample(new UpsampleMode.PixelShuffle(false))
                .updater(new Adam(1e-2))
                .layers(BlockLayers.STOCK)
                .build());
    }

    static DataSetIterator data(long seed) {
        return new ViewIterator(BrightShapes.generate(8, 16, seed), 4);
    }

    private TrainingConfig config(int epochs) {
        return TrainingConfig.of(epochs, directory).withProgressBar(false);
    }

    @Test
    void trainsWithValidationAndCheckpointsEachEpoch() throws IOException {
        TrainingResult result = new Trainer(config(3).withCheckpointEvery(2), Validator.loss())
                .fit(tinyUNet(), data(1), data(2));
        assertThat(result.history()).extracting(EpochRecord::epoch).containsExactly(1, 2, 3);
        assertThat(result.history()).allSatisfy(r -> assertThat(r.validation()).containsKey("loss"));
        assertThat(directory.resolve(Trainer.LAST)).exists();
        assertThat(directory.resolve(Trainer.BEST)).exists();
        assertThat(directory.resolve("epoch-2.zip")).exists();
        assertThat(directory.resolve("epoch-1.zip")).doesNotExist();
        double bestLoss = result.history().stream().mapToDouble(r -> r.validation().get("loss")).min().orElseThrow();
        assertThat(result.history().get(result.bestEpoch() - 1).validation().get("loss")).isEqualTo(bestLoss);
        assertThat(result.stopReason()).isEqualTo("all 3 epochs done");
        assertThat(result.history().get(0).trainLoss()).isGreaterThan(result.history().get(2).trainLoss());
    }

    /**
     * The one-cycle schedule ends at 1e-5 of the configured rate; the checkpoints and the model returned hold the
     * configured rates, so that a new run started from {@code last.zip} (as the messages advise) trains at them.
     */
    @Test
    void checkpointsAndTheReturnedModelHoldTheConfiguredRates() throws IOException {
        Map<String, Double> configured = Trainer.learningRates(tinyUNet().graph());
        TrainingResult result = new Trainer(config(2), Validator.loss()).fit(tinyUNet(), data(1), data(2));
        assertThat(result.history().get(1).learningRate()).isCloseTo(1e-5, offset(1e-12));
        assertThat(Trainer.learningRates(result.model().graph())).isEqualTo(configured);
        assertThat(Trainer.learningRates(UNet.load(directory.resolve(Trainer.LAST)).graph())).isEqualTo(configured);
        assertThat(Trainer.learningRates(UNet.load(directory.resolve(Trainer.BEST)).graph())).isEqualTo(configured);
    }

    /**
     * An epoch of 10 images in batches of 4, 4 and 2: its training loss is the mean over the 10 samples of the steps'
     * losses, the short batch weighing half a full one (as fastai's {@code AvgLoss}), not the mean of the 3 steps.
     */
    @Test
    void theEpochsTrainingLossWeighsEachStepByItsSamples() throws IOException {
        List<Double> stepLosses = new CopyOnWriteArrayList<>();
        Trainer trainer = new Trainer(config(1), Validator.loss()).withListeners(List.of(
                new BaseTrainingListener() {
                    @Override
                    public void iterationDone(Model model, int iteration, int epoch) {
                        stepLosses.add(model.score());
                    }
                }));

        TrainingResult result = trainer.fit(tinyUNet(), new ViewIterator(BrightShapes.generate(10, 16, 1), 4),
                data(2));

        assertThat(stepLosses).hasSize(3);
        double bySamples = (4 * stepLosses.get(0) + 4 * stepLosses.get(1) + 2 * stepLosses.get(2)) / 10;
        double bySteps = stepLosses.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(Math.abs(bySamples - bySteps)).as("the two means differ on this data").isGreaterThan(1e-6);
        assertThat(result.history().get(0).trainLoss()).isCloseTo(bySamples, offset(1e-6));
    }

    @Test
    void segmentationValidatorReportsIoUForTheMonitor() throws IOException {
        TrainingResult result =
                new Trainer(config(2).withMonitor(Monitor.maximize("meanIoU")), Validator.segmentation())
                        .fit(tinyUNet(), data(1), data(2));
        assertThat(result.history().get(1).validation()).containsKeys("loss", "meanIoU", "meanDice", "pixelAccuracy",
                "iou/0", "iou/1");
        assertThat(result.history().get(1).validation().get("meanIoU")).isBetween(0.0, 1.0);
    }

    @Test
    void scheduleReachesEveryLayerIncludingSameDiffLayers() {
        UNet unet = tinyUNet();
        unet.graph().fit(BrightShapes.generate(2, 16, 3));
        Map<String, Double> base = Trainer.learningRates(unet.graph());
        assertThat(base).containsKey("dec1_up_shuffle/W").isNotEmpty();
        assertThat(base.values()).allSatisfy(rate -> assertThat(rate).isEqualTo(1e-2));
        Trainer.applyLearningRates(unet.graph(), base, 0.25);
        ComputationGraphUpdater updater = unet.graph().getUpdater();
        var blocksWithRates = updater.getUpdaterBlocks().stream()
                .filter(block -> block.getGradientUpdater().getConfig().hasLearningRate()).toList();
        assertThat(blocksWithRates).hasSizeGreaterThan(2).allSatisfy(block -> assertThat(
                block.getGradientUpdater().getConfig().getLearningRate(0, 0)).isCloseTo(2.5e-3, offset(1e-12)));
    }

    /** A ViewIterator that knows its length and counts what is read from it. */
    static final class CountingIterator extends ViewIterator implements BatchCount {
        int reads;

        CountingIterator() {
            super(BrightShapes.generate(8, 16, 1), 4);
        }

        @Override
        public DataSet next() {
            reads++;
            return super.next();
        }

        @Override
        public int batchesPerEpoch() {
            return 2;
        }
    }

    @Test
    void anIteratorThatKnowsItsLengthIsNotReadJustToCountIt() throws IOException {
        CountingIterator train = new CountingIterator();
        new Trainer(config(1), Validator.loss()).fit(tinyUNet(), train, data(2));
        assertThat(train.reads).isEqualTo(2);
    }

    @Test
    void earlyStoppingEndsARunThatStopsImproving() throws IOException {
        Validator flat = (unet, validation) -> Map.of("score", 1.0);
        TrainingResult result = new Trainer(config(10).withMonitor(Monitor.maximize("score"))
                .withEarlyStopping(new EarlyStopping(2, 0.0)), flat).fit(tinyUNet(), data(1), data(2));
        assertThat(result.history()).hasSize(3);
        assertThat(result.bestEpoch()).isEqualTo(1);
        assertThat(result.stopReason()).isEqualTo("early stopping: score did not improve for 2 epochs");
    }

    /**
     * minDelta is early stopping's: a gain smaller than it still makes the best model (it once kept best.zip at epoch
     * 1 of 0.50, 0.505, 0.509), and gains that add up to more than it, each smaller, reset the patience (Keras's
     * min_delta against the value of the last epoch that reset it).
     */
    @Test
    void smallGainsMakeTheBestModelAndResetThePatienceOnceTheyAddUpToMinDelta() throws IOException {
        double[] scores = {0.50, 0.505, 0.509, 0.5105, 0.511, 0.5112};
        Validator scripted = scripted(scores);
        TrainingResult result = new Trainer(config(scores.length).withMonitor(Monitor.maximize("score"))
                .withEarlyStopping(new EarlyStopping(3, 0.01)), scripted).fit(tinyUNet(), data(1), data(2));

        // 0.505 and 0.509 gain less than 0.01 on 0.50 (patience 1, 2); 0.5105 gains 0.0105 on it and resets the
        // patience, which the gain of 0.0015 on 0.509 alone would not have; 0.511 and 0.5112 count 1 and 2 again.
        assertThat(result.history()).hasSize(6);
        assertThat(result.bestEpoch()).isEqualTo(6);
        assertThat(result.stopReason()).isEqualTo("all 6 epochs done");
        assertThat(UNet.load(result.bestModel()).graph().params())
                .isEqualTo(UNet.load(directory.resolve(Trainer.LAST)).graph().params());
    }

    @Test
    void gainsSmallerThanMinDeltaStopTheRunButKeepTheBestModel() throws IOException {
        double[] scores = {0.50, 0.505, 0.509, 0.6};
        Validator scripted = scripted(scores);
        TrainingResult result = new Trainer(config(scores.length).withMonitor(Monitor.maximize("score"))
                .withEarlyStopping(new EarlyStopping(2, 0.01)), scripted).fit(tinyUNet(), data(1), data(2));

        assertThat(result.history()).hasSize(3);
        assertThat(result.bestEpoch()).isEqualTo(3);
        assertThat(result.stopReason()).isEqualTo("early stopping: score did not improve by more than 0.01 for 2"
                + " epochs");
    }

    /** A validator that scores epoch n's model {@code scores[n - 1]} under the name "score". */
    private static Validator scripted(double... scores) {
        return new Validator() {
            private int epoch;

            @Override
            public Map<String, Double> validate(UNet unet, DataSetIterator validation) {
                return Map.of("score", scores[epoch++]);
            }
        };
    }

    @Test
    void aTrainingIteratorWithoutABatchIsRefusedNamingIt() {
        DataSetIterator empty = new ViewIterator(BrightShapes.generate(8, 16, 1), 4) {
            @Override
            public boolean hasNext() {
                return false;
            }
        };
        assertThatThrownBy(() -> new Trainer(config(1), Validator.loss()).fit(tinyUNet(), empty, data(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("training iterator").hasMessageContaining("no batch")
                .hasMessageNotContaining("StepLearningRates");
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void aNanLossStopsTrainingAndKeepsTheLastGoodCheckpoint() throws IOException {
        CountingValidator countingLoss = new CountingValidator(Validator.loss());
        DataSetIterator poisonedAfterTwoEpochs = new PoisonedWhen(BrightShapes.generate(8, 16, 1), 4,
                () -> countingLoss.calls() >= 2);
        Trainer trainer = new Trainer(config(4), countingLoss);
        assertThatThrownBy(() -> trainer.fit(tinyUNet(), poisonedAfterTwoEpochs, data(2)))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("training loss became NaN at epoch 3, step 1")
                .hasMessageContaining(directory.resolve(Trainer.LAST) + " (epoch 2)");
        assertThat(TrainingState.readFrom(directory).completedEpochs()).isEqualTo(2);
        assertThat(UNet.load(directory.resolve(Trainer.LAST)).graph().params().isNaN().any()).isFalse();
    }

    /**
     * A run checkpointed without a recorded framing, upscale and significant bits (e.g. before they were recorded),
     * stopped after epoch 1 and resumed by a caller whose U-Net records them: the models the resumed run writes and
     * returns record them.
     */
    @Test
    void aResumedRunKeepsTheCallersFramingWhereItsCheckpointHasNone() throws IOException {
        CountingValidator countingLoss = new CountingValidator(Validator.loss());
        PoisonedWhen poisonedInEpochTwo = new PoisonedWhen(BrightShapes.generate(8, 16, 1), 4,
                () -> countingLoss.calls() >= 1);
        assertThatThrownBy(() -> new Trainer(config(2), countingLoss).fit(tinyUNet(), poisonedInEpochTwo, data(2)))
                .isInstanceOf(TrainingDivergedException.class);
        assertThat(UNet.load(directory.resolve(Trainer.LAST)).trainedFraming()).isEmpty();

        // The same iterator type, so the same data identity; no longer poisoned.
        PoisonedWhen clean = new PoisonedWhen(BrightShapes.generate(8, 16, 1), 4, () -> false);
        TrainingResult resumed = new Trainer(config(2), Validator.loss())
                .fit(tinyUNet().withTrainedFraming(ImageFraming.RESIZE).withTrainedUpscale(3)
                        .withTrainedSignificantBits(12), clean, data(2));
        assertThat(resumed.history()).extracting(EpochRecord::epoch).containsExactly(1, 2);
        assertThat(resumed.model().trainedFraming()).contains(ImageFraming.RESIZE);
        assertThat(UNet.load(directory.resolve(Trainer.LAST)).trainedFraming()).contains(ImageFraming.RESIZE);
        assertThat(resumed.model().trainedUpscale()).hasValue(3);
        assertThat(UNet.load(directory.resolve(Trainer.LAST)).trainedUpscale()).hasValue(3);
        assertThat(UNet.load(directory.resolve(Trainer.LAST)).trainedSignificantBits()).hasValue(12);
    }

    /**
     * An iterator whose order and draws depend on the epoch is told which epoch comes: a run stopped after epoch 2
     * resumes with epoch 3's batches, not with epoch 1's again.
     */
    @Test
    void aResumedRunDrawsTheEpochsItHadNotTrained() throws IOException {
        EpochRecordingIterator stoppedInEpochThree = new EpochRecordingIterator(BrightShapes.generate(8, 16, 1), 4,
                epoch -> epoch == 3);
        assertThatThrownBy(() -> new Trainer(config(4), Validator.loss()).fit(tinyUNet(), stoppedInEpochThree,
                data(2))).isInstanceOf(TrainingDivergedException.class);
        // The trainer first reads one pass to count its batches (this iterator does not say), then trains.
        assertThat(stoppedInEpochThree.epochsDrawn()).containsExactly(1, 1, 1, 1, 2, 2, 3);

        EpochRecordingIterator resumed = new EpochRecordingIterator(BrightShapes.generate(8, 16, 1), 4,
                epoch -> false);
        new Trainer(config(4), Validator.loss()).fit(tinyUNet(), resumed, data(2));
        assertThat(resumed.epochsDrawn()).as("a counting pass, then epochs 3 and 4").containsExactly(1, 1, 3, 3, 4, 4);
    }

    /**
     * A monitor that the validator's declared metrics lack is refused before the first epoch trains; a validator that
     * declares none (a lambda) is checked after its first validation, as before.
     */
    @Test
    void anUnknownMonitorMetricIsNamedWithTheAvailableOnesBeforeTheFirstEpochWhenTheValidatorDeclaresThem() {
        List<Integer> steps = new CopyOnWriteArrayList<>();
        BaseTrainingListener counting = new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                steps.add(iteration);
            }
        };
        Trainer trainer = new Trainer(config(1).withMonitor(Monitor.maximize("meanIoU")), Validator.loss())
                .withListeners(List.of(counting));
        assertThatThrownBy(() -> trainer.fit(tinyUNet(), data(1), data(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("monitor metric 'meanIoU' is not among the validator's metrics [loss]. Nothing was"
                        + " trained or saved.");
        Trainer perClass = new Trainer(config(1).withMonitor(Monitor.maximize("iou/2")), Validator.segmentation())
                .withListeners(List.of(counting));
        assertThatThrownBy(() -> perClass.fit(tinyUNet(), data(1), data(2)))
                .hasMessage("monitor metric 'iou/2' is not among the validator's metrics [loss, meanIoU, meanDice,"
                        + " pixelAccuracy, iou/0, iou/1]. Nothing was trained or saved.");
        assertThat(steps).isEmpty();
        assertThat(TrainingState.existsIn(directory)).isFalse();

        Validator undeclared = (unet, validation) -> Map.of("loss", 0.5);
        assertThatThrownBy(() -> new Trainer(config(1).withMonitor(Monitor.maximize("meanIoU")), undeclared)
                .withListeners(List.of(counting)).fit(tinyUNet(), data(1), data(2)))
                .hasMessage("monitor metric 'meanIoU' is not among the validator's metrics [loss]");
        assertThat(steps).as("one epoch of 2 steps").hasSize(2);
    }

    @Test
    void resumingWithAnotherConfigurationIsRefused() throws IOException {
        new Trainer(config(1), Validator.loss()).fit(tinyUNet(), data(1), data(2));
        UNet other = UNet.build(tinyUNet().config().withMidChannelScale(2.0));
        assertThatThrownBy(() -> new Trainer(config(2), Validator.loss()).fit(other, data(1), data(2)))
                .hasMessageContaining("holds a run with other settings after epoch 1")
                .hasMessageContaining("\n  UNetConfig.midChannelScale: 1.0 in the checkpoint, 2.0 now\n")
                .hasMessageContaining("Nothing was trained or saved");
    }

    /** Kill a training process mid-run, resume: no finished epoch is lost, the total is as asked. */
    @Test
    void aKilledRunResumesAfterItsLastFinishedEpoch() throws Exception {
        StringBuffer log = new StringBuffer();
        Process child = new ChildJvm("the training to kill", List.of(), KillableTraining.class,
                List.of(directory.toString()), Duration.ofMinutes(5)).start(line -> log.append(line).append('\n'));
        try {
            long deadline = System.currentTimeMillis() + 240_000;
            while (!(TrainingState.existsIn(directory) && TrainingState.readFrom(directory).completedEpochs() >= 2)) {
                assertThat(child.isAlive()).as("child training process (log: %s)", log).isTrue();
                assertThat(System.currentTimeMillis()).as("time waiting for epoch 2").isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly().waitFor();
        }
        TrainingState beforeKill = TrainingState.readFrom(directory);
        assertThat(beforeKill.completedEpochs()).isBetween(2, KillableTraining.EPOCHS - 1);

        TrainingResult resumed = new Trainer(KillableTraining.config(directory), Validator.loss())
                .fit(tinyUNet(), data(1), data(2));
        assertThat(resumed.history()).extracting(EpochRecord::epoch).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(resumed.history().subList(0, beforeKill.completedEpochs())).isEqualTo(beforeKill.history());
    }

    /** The child process of {@link #aKilledRunResumesAfterItsLastFinishedEpoch}. */
    public static final class KillableTraining {
        static final int EPOCHS = 6;

        static TrainingConfig config(Path directory) {
            return TrainingConfig.of(EPOCHS, directory).withProgressBar(false);
        }

        public static void main(String[] args) throws IOException {
            CpuAcceleration.configure();
            // Slow enough that the parent kills it mid-run: each epoch sleeps in validation.
            Validator slowLoss = Pauses.slowLoss(1500);
            new Trainer(config(Path.of(args[0])), slowLoss).fit(tinyUNet(), data(1), data(2));
        }
    }
}
