package io.github.mdunet.core.train;

import static io.github.mdunet.core.train.TrainerTest.data;
import static io.github.mdunet.core.train.TrainerTest.tinyUNet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.BrightShapes;
import java.nio.file.Path;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The loss averages over the pixels of the configured input (DL4J's loss layer divides by the batch size and cannot
 * tell a batch of k images from one image k times larger), so a 32x32 batch on a 16x16 U-Net would train with a loss
 * and gradients 4 times too large: the trainer and the learning-rate finder refuse batches of another size, naming
 * both sizes and the fixes, before any step on them.
 */
class TrainingInputSizeTest {

    @TempDir
    Path directory;

    /** 32x32 images and masks for the 16x16 {@link TrainerTest#tinyUNet()}. */
    private static DataSetIterator twiceAsLarge() {
        return new ViewIterator(BrightShapes.generate(4, 32, 5), 2);
    }

    private TrainingConfig config() {
        return TrainingConfig.of(1, directory).withProgressBar(false);
    }

    @Test
    void trainingBatchesOfAnotherSizeAreRefusedBeforeTheirStep() {
        UNet unet = tinyUNet();
        INDArray before = unet.graph().params().dup();

        assertThatThrownBy(() -> new Trainer(config(), Validator.loss()).fit(unet, twiceAsLarge(), data(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("training batch 1 of epoch 1 has images of 32x32")
                .hasMessageContaining("the U-Net is built for 16x16")
                .hasMessageContaining("config.withInput(new ImageShape(1, 32, 32))")
                .hasMessageContaining("crop or resize the images to 16x16");
        assertThat(unet.graph().params()).as("no step taken").isEqualTo(before);
        assertThat(directory.resolve(Trainer.LAST)).doesNotExist();
    }

    /**
     * A fitter may take its batches on DL4J's prefetch thread and may report a step only after the graph has met the
     * batch (as unet-parallel's workers): the refusal is
     * recorded as the batch is taken and thrown on the trainer's side, in place of DL4J's error from inside a graph
     * of fixed sizes (bilinear upsampling).
     */
    @Test
    @Timeout(120)
    void aFitterThatPrefetchesAndReportsAfterTheForwardPassGetsTheRefusalNotAHang() {
        UNet bilinear = UNet.build(tinyUNet().config().withUpsample(new UpsampleMode.Bilinear()));
        EpochFitter prefetching = new EpochFitter() {
            @Override
            public void fitEpoch(UNet unet, DataSetIterator train, EpochSteps steps) {
                DataSetIterator prefetched = new AsyncDataSetIterator(train, 2);
                while (prefetched.hasNext()) {
                    DataSet batch = prefetched.next();
                    unet.graph().fit(batch);
                    steps.beforeStep(unet.graph());
                    steps.afterStep(unet.graph().score(), batch.numExamples());
                }
            }

            @Override
            public String describe() {
                return "prefetching";
            }
        };

        assertThatThrownBy(() -> new Trainer(config(), Validator.loss()).withFitter(prefetching)
                .fit(bilinear, twiceAsLarge(), data(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("training batch 1 of epoch 1 has images of 32x32")
                .hasMessageContaining("the U-Net is built for 16x16");
        assertThat(directory.resolve(Trainer.LAST)).doesNotExist();
    }

    @Test
    void validationBatchesOfAnotherSizeAreRefused() {
        assertThatThrownBy(() -> new Trainer(config(), Validator.loss()).fit(tinyUNet(), data(1), twiceAsLarge()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("validation batch 1 (after epoch 1) has images of 32x32")
                .hasMessageContaining("the U-Net is built for 16x16");
        assertThat(directory.resolve(Trainer.LAST)).as("no checkpoint of the epoch").doesNotExist();
    }

    @Test
    void theLearningRateFinderRefusesBatchesOfAnotherSize() {
        UNet unet = tinyUNet();
        INDArray before = unet.graph().params().dup();

        assertThatThrownBy(() -> new LearningRateFinder(new LearningRateFinder.Settings(1e-4, 1e-2, 7, false))
                .find(unet, twiceAsLarge()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learning-rate finder batch 1 has images of 32x32")
                .hasMessageContaining("the U-Net is built for 16x16");
        assertThat(unet.graph().params()).isEqualTo(before);
    }
}
