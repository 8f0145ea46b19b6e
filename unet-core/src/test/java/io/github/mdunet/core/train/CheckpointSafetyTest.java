package io.github.mdunet.core.train;

import static io.github.mdunet.core.train.TrainerTest.data;
import static io.github.mdunet.core.train.TrainerTest.tinyUNet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.testing.BrightShapes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** What a second run, a changed run, a damaged state or a killed save must not do to a checkpoint directory. */
class CheckpointSafetyTest {

    @TempDir
    Path directory;

    private TrainingConfig config(int epochs) {
        return TrainingConfig.of(epochs, directory).withProgressBar(false);
    }

    @Test
    @Timeout(120)
    void aSecondRunOnTheSameDirectoryIsRefusedWhileTheFirstRuns() throws Exception {
        CountDownLatch validating = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Validator waiting = (unet, validation) -> {
            validating.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Validator.loss().validate(unet, validation);
        };
        CompletableFuture<TrainingResult> first = CompletableFuture.supplyAsync(() -> {
            try {
                return new Trainer(config(1), waiting).fit(tinyUNet(), data(1), data(2));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            assertThat(validating.await(60, TimeUnit.SECONDS)).as("first run reached validation").isTrue();
            assertThatThrownBy(() -> new Trainer(config(1), Validator.loss()).fit(tinyUNet(), data(1), data(2)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("is in use by another training run")
                    .hasMessageContaining("give this run another directory");
        } finally {
            release.countDown();
        }
        assertThat(first.get(60, TimeUnit.SECONDS).history()).hasSize(1);
        // Once the first has finished, the directory is free again.
        assertThat(new Trainer(config(1), Validator.loss()).fit(tinyUNet(), data(1), data(2)).history()).hasSize(1);
    }

    /** The one-cycle schedule is spread over all epochs and steps: any change shifts every remaining rate. */
    @Test
    void resumingWithOtherEpochsScheduleMonitorOrDataIsRefusedNamingWhatChanged() throws IOException {
        new Trainer(config(2), Validator.loss()).fit(tinyUNet(), data(1), data(2));
        String state = Files.readString(directory.resolve(TrainingState.FILE_NAME));

        assertThatThrownBy(() -> new Trainer(config(3), Validator.loss()).fit(tinyUNet(), data(1), data(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds a run with other settings after epoch 2")
                .hasMessageContaining("epochs: 2 in the checkpoint, 3 now")
                .hasMessageContaining("give a new run another checkpoint directory");
        assertThatThrownBy(() -> new Trainer(config(2).withSchedule(new LearningRateSchedule.Cosine(0.1)),
                Validator.loss()).fit(tinyUNet(), data(1), data(2)))
                .hasMessageContaining("schedule: OneCycle[warmupFraction=0.25, startDivisor=25.0, endDivisor=100000.0]"
                        + " in the checkpoint, Cosine[minFactor=0.1] now");
        DataSetIterator moreImages = new ViewIterator(BrightShapes.generate(12, 16, 1), 4);
        assertThatThrownBy(() -> new Trainer(config(2), Validator.loss()).fit(tinyUNet(), moreImages, data(2)))
                .hasMessageContaining("training batches per epoch: 2 in the checkpoint, 3 now");
        assertThatThrownBy(() -> new Trainer(config(2).withMonitor(Monitor.maximize("loss")), Validator.loss())
                .fit(tinyUNet(), data(1), data(2)))
                .hasMessageContaining("monitor: Monitor[metric=loss, maximize=false] in the checkpoint,"
                        + " Monitor[metric=loss, maximize=true] now");
        assertThat(directory.resolve(TrainingState.FILE_NAME)).as("nothing written").hasContent(state);
    }

    /**
     * The factor a model's inputs were upscaled by (a super-resolution model's scale) and the bits its 16-bit images
     * were read at are part of the run: resumed with others, the rest of the run would train the checkpoint's model on
     * other inputs and keep its record.
     */
    @Test
    void resumingWithAnotherTrainedUpscaleOrSignificantBitsIsRefusedNamingBoth() throws IOException {
        new Trainer(config(1), Validator.loss()).fit(tinyUNet().withTrainedUpscale(2).withTrainedSignificantBits(12),
                data(1), data(2));
        String state = Files.readString(directory.resolve(TrainingState.FILE_NAME));

        assertThatThrownBy(() -> new Trainer(config(1), Validator.loss())
                .fit(tinyUNet().withTrainedUpscale(4), data(1), data(2)))
                .isInstanceOf(CheckpointConflictException.class)
                .hasMessageContaining("holds a run with other settings after epoch 1")
                .hasMessageContaining("trained upscale (UNet.trainedUpscale): x2 in the checkpoint, x4 now");
        assertThatThrownBy(() -> new Trainer(config(1), Validator.loss())
                .fit(tinyUNet().withTrainedUpscale(2).withTrainedSignificantBits(10), data(1), data(2)))
                .isInstanceOf(CheckpointConflictException.class)
                .hasMessageContaining("trained significant bits (UNet.trainedSignificantBits): 12 in the checkpoint,"
                        + " 10 now")
                .message().doesNotContain("trained upscale");
        assertThat(directory.resolve(TrainingState.FILE_NAME)).as("nothing written").hasContent(state);
        assertThat(UNet.load(directory.resolve(Trainer.BEST)).trainedUpscale()).hasValue(2);
        assertThat(new Trainer(config(1), Validator.loss()).fit(tinyUNet().withTrainedUpscale(2), data(1), data(2))
                .model().trainedUpscale()).as("the same factor resumes").hasValue(2);
    }

    /**
     * How the model saw its training images is part of the run too, as its upscale is: resumed with another framing,
     * the rest of the run would train on images framed otherwise while the checkpoint's model records its own.
     */
    @Test
    void resumingWithAnotherTrainedFramingIsRefusedNamingBoth() throws IOException {
        new Trainer(config(1), Validator.loss()).fit(tinyUNet().withTrainedFraming(ImageFraming.TILES), data(1),
                data(2));
        String state = Files.readString(directory.resolve(TrainingState.FILE_NAME));

        assertThatThrownBy(() -> new Trainer(config(1), Validator.loss())
                .fit(tinyUNet().withTrainedFraming(ImageFraming.RESIZE).withTrainedUpscale(2), data(1), data(2)))
                .isInstanceOf(CheckpointConflictException.class)
                .hasMessageContaining("holds a run with other settings after epoch 1")
                .hasMessageContaining("trained framing (UNet.trainedFraming): TILES in the checkpoint, RESIZE now");
        assertThat(directory.resolve(TrainingState.FILE_NAME)).as("nothing written").hasContent(state);
        assertThat(UNet.load(directory.resolve(Trainer.LAST)).trainedFraming()).contains(ImageFraming.TILES);
        TrainingResult again = new Trainer(config(1), Validator.loss())
                .fit(tinyUNet().withTrainedFraming(ImageFraming.TILES), data(1), data(2));
        assertThat(again.model().trainedFraming()).as("the same framing resumes").contains(ImageFraming.TILES);
        assertThat(new Trainer(config(1), Validator.loss()).fit(tinyUNet(), data(1), data(2)).model()
                .trainedFraming()).as("a caller without one keeps the checkpoint's").contains(ImageFraming.TILES);
    }

    /** An iterator that names its data, as unet-data's iterators do. */
    static final class NamedData extends ViewIterator implements DataIdentity {
        private final String name;

        NamedData(String name) {
            super(BrightShapes.generate(8, 16, 1), 4);
            this.name = name;
        }

        @Override
        public String dataIdentity() {
            return name;
        }
    }

    @Test
    void resumingOnOtherDataOfTheSameSizeIsRefusedWhenTheIteratorNamesItsData() throws IOException {
        new Trainer(config(1), Validator.loss()).fit(tinyUNet(), new NamedData("8 samples [0a1b2c3d]"), data(2));
        assertThatThrownBy(() -> new Trainer(config(2), Validator.loss())
                .fit(tinyUNet(), new NamedData("8 samples [77777777]"), data(2)))
                .hasMessageContaining("training data: 8 samples [0a1b2c3d] in the checkpoint,"
                        + " 8 samples [77777777] now");
        assertThat(new Trainer(config(1), Validator.loss())
                .fit(tinyUNet(), new NamedData("8 samples [0a1b2c3d]"), data(2)).history()).hasSize(1);
    }

    @Test
    void aCorruptStateFileKeepsTheModelsAndDoesNotAdviseDeletingThem() throws IOException {
        new Trainer(config(1), Validator.loss()).fit(tinyUNet(), data(1), data(2));
        Path state = directory.resolve(TrainingState.FILE_NAME);
        Files.writeString(state, "{\"completedEpochs\": 1, \"hist");
        byte[] best = Files.readAllBytes(directory.resolve(Trainer.BEST));

        assertThatThrownBy(() -> new Trainer(config(2), Validator.loss()).fit(tinyUNet(), data(1), data(2)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(state + " is not a readable training state")
                .hasMessageContaining("Its models are kept: best.zip and last.zip load with UNet.load")
                .hasMessageContaining("give a new run another checkpoint directory")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase("delete"));
        assertThat(directory.resolve(Trainer.BEST)).hasBinaryContent(best);
        assertThat(directory.resolve(Trainer.LAST)).exists();
    }

    @Test
    void modelsWithoutAStateAreNotOverwrittenByANewRun() throws IOException {
        Path best = directory.resolve(Trainer.BEST);
        tinyUNet().save(best);
        byte[] before = Files.readAllBytes(best);
        assertThatThrownBy(() -> new Trainer(config(1), Validator.loss()).fit(tinyUNet(), data(1), data(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(directory + " holds best.zip but no training-state.json")
                .hasMessageContaining("a new run would overwrite them");
        assertThat(best).hasBinaryContent(before);
    }

    @Test
    void aModelReplacedOutsideTheTrainerIsNotResumedFrom() throws IOException {
        new Trainer(config(1), Validator.loss()).fit(tinyUNet(), data(1), data(2));
        UNet other = tinyUNet();
        other.graph().fit(BrightShapes.generate(4, 16, 9));
        other.save(directory.resolve(Trainer.LAST));
        assertThatThrownBy(() -> new Trainer(config(2), Validator.loss()).fit(tinyUNet(), data(1), data(2)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(directory.resolve(Trainer.LAST) + " is not the file training-state.json"
                        + " committed with epoch 1")
                .hasMessageContaining("nothing was deleted");
    }

    /** A save killed mid-way left a model-sized partial file (the first version's name); the next run removes it. */
    @Test
    void whatAKilledSaveLeftIsRemovedWhenTheRunResumes() throws IOException {
        new Trainer(config(1), Validator.loss()).fit(tinyUNet(), data(1), data(2));
        Path partial = Files.copy(directory.resolve(Trainer.LAST),
                directory.resolve(".last.zip.3f1e2d4c-5b6a-4789-8a9b-0c1d2e3f4a5b.partial"));
        new Trainer(config(1), Validator.loss()).fit(tinyUNet(), data(1), data(2));
        assertThat(partial).doesNotExist();
        try (var files = Files.list(directory)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("last.zip", "best.zip", "training-state.json", "training.lock");
        }
    }

    @Test
    void theStateIsSyncedBeforeItsRename() throws IOException {
        TrainingState state = TrainingState.start(new RunSettings(1, new LearningRateSchedule.Constant(),
                Monitor.minimize("loss"), 2, "train", "validation"), Map.of("a/W", 0.1));
        java.util.List<String> events = new java.util.ArrayList<>();
        state.writeTo(directory, new io.github.mdunet.core.files.AtomicFiles(
                new io.github.mdunet.core.files.Durability() {
                    @Override
                    public void syncFile(Path file) {
                        assertThat(TrainingState.existsIn(directory)).isFalse();
                        events.add("file " + file.getFileName());
                    }

                    @Override
                    public void syncDirectory(Path synced) {
                        assertThat(TrainingState.existsIn(directory)).isTrue();
                        events.add("directory");
                    }
                }));
        assertThat(events).containsExactly("file " + TrainingState.FILE_NAME, "directory");
        assertThat(TrainingState.readFrom(directory)).isEqualTo(state);
    }
}
