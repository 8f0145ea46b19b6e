package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.config.DecoderLayout;
import io.github.mdunet.core.model.UNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run checkpointed before file format 6 resumes with the decoder layout it was built with. */
class ResumeDecoderLayoutTest {

    @TempDir
    Path directory;

    private static UNet tinyUNet(DecoderLayout layout) {
        return UNet.build(TrainerTest.tinyUNet().config().withDecoderLayout(layout));
    }

    /** Trains {@code unet} 3 epochs in {@code directory}, stopped at the third step (in epoch 2). */
    private void trainStoppedInEpochTwo(UNet unet) {
        AtomicInteger steps = new AtomicInteger();
        BaseTrainingListener stopping = new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (steps.incrementAndGet() == 3) {
                    throw new IllegalStateException("stopped");
                }
            }
        };
        assertThatThrownBy(() -> new Trainer(TrainingConfig.of(3, directory).withProgressBar(false), Validator.loss())
                .withListeners(List.of(stopping)).fit(unet, TrainerTest.data(1), TrainerTest.data(2)))
                .hasMessage("stopped");
    }

    @Test
    void anEarlierLayoutIsKeptWhereTheConfigurationAsksForTheDefault() throws IOException {
        trainStoppedInEpochTwo(tinyUNet(DecoderLayout.FORMATS_1_TO_5));

        TrainingResult resumed = new Trainer(TrainingConfig.of(3, directory).withProgressBar(false), Validator.loss())
                .fit(tinyUNet(DecoderLayout.FASTAI), TrainerTest.data(1), TrainerTest.data(2));

        assertThat(resumed.history()).hasSize(3);
        assertThat(resumed.model().config().decoderLayout()).isEqualTo(DecoderLayout.FORMATS_1_TO_5);
    }

    /** A run of this version asked to continue in the earlier layout is another network: refused. */
    @Test
    void theEarlierLayoutAskedForByARunOfTheDefaultIsAChange() {
        trainStoppedInEpochTwo(tinyUNet(DecoderLayout.FASTAI));

        assertThatThrownBy(() -> new Trainer(TrainingConfig.of(3, directory).withProgressBar(false),
                Validator.loss()).fit(tinyUNet(DecoderLayout.FORMATS_1_TO_5), TrainerTest.data(1),
                TrainerTest.data(2)))
                .isInstanceOf(CheckpointConflictException.class)
                .hasMessageContaining("decoderLayout: FASTAI in the checkpoint, FORMATS_1_TO_5 now");
    }
}
