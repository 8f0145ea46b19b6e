package io.github.mdunet.core.train;

import static io.github.mdunet.core.train.TrainerTest.data;
import static io.github.mdunet.core.train.TrainerTest.tinyUNet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.metrics.ImageQualityEvaluation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.BrightShapes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** What a validation counts as divergence, and what it refuses before training. */
class TrainerDivergenceTest {

    @TempDir
    Path directory;

    private TrainingConfig config(int epochs, String run) {
        return TrainingConfig.of(epochs, directory.resolve(run)).withProgressBar(false);
    }

    /** Random images [4, 3, 16, 16] that are their own labels. */
    private static DataSetIterator sameImages() {
        INDArray images = Nd4j.rand(DataType.FLOAT, 4, 3, 16, 16);
        return new ViewIterator(new DataSet(images, images.dup()), 2);
    }

    /**
     * A residual U-Net with a zero head returns its input, and on labels equal to the input its gradients are zero, so
     * it stays exact: every validation image matches, a perfect score and no divergence.
     */
    @Test
    void aPerfectValidationImageIsNotDivergence() throws IOException {
        UNet identity = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 4, Normalization.NONE))
                .input(new ImageShape(3, 16, 16)).numClasses(3).head(new HeadActivation.Residual()).build());
        identity.graph().getLayer(VertexNames.HEAD).getParam("W").assign(0);
        TrainingResult result = new Trainer(config(1, "perfect").withMonitor(Monitor.maximize("psnr")),
                Validator.imageQuality(InputNormalization.UNIT_RANGE, 0)).fit(identity, sameImages(), sameImages());
        assertThat(result.history().get(0).validation().get("psnr"))
                .isEqualTo(ImageQualityEvaluation.PSNR_CEILING);
        assertThat(result.bestEpoch()).isEqualTo(1);
    }

    @Test
    void anInfinityInTheGoodDirectionIsTheBestValueAndIsSavedAsSuch() throws IOException {
        Validator best = (unet, validation) -> Map.of("loss", 0.5, "score", Double.POSITIVE_INFINITY);
        TrainingResult result = new Trainer(config(1, "max").withMonitor(Monitor.maximize("score")), best)
                .fit(tinyUNet(), data(1), data(2));
        assertThat(result.bestEpoch()).isEqualTo(1);
        assertThat(TrainingState.readFrom(directory.resolve("max")).bestValue()).isEqualTo(Double.POSITIVE_INFINITY);

        Validator lowest = (unet, validation) -> Map.of("loss", 0.5, "score", Double.NEGATIVE_INFINITY);
        assertThat(new Trainer(config(1, "min").withMonitor(Monitor.minimize("score")), lowest)
                .fit(tinyUNet(), data(1), data(2)).bestEpoch()).isEqualTo(1);
    }

    @Test
    void nanOrAnInfinityInTheBadDirectionIsDivergence() {
        assertDiverges("worst", Monitor.maximize("score"), Map.of("loss", 0.5, "score", Double.NEGATIVE_INFINITY),
                "validation score became -Infinity after epoch 1");
        assertDiverges("nan", Monitor.maximize("score"), Map.of("score", Double.NaN),
                "validation score became NaN after epoch 1");
        assertDiverges("loss", Monitor.minimize("loss"), Map.of("loss", Double.POSITIVE_INFINITY),
                "validation loss became Infinity after epoch 1");
    }

    /**
     * A monitored class IoU that is NaN beside a finite validation loss (the class in neither the validation labels
     * nor the predictions) after epoch 2: refused as an undefined metric, not as divergence, naming epoch 1's
     * checkpoint, which stays the last.
     */
    @Test
    void aMonitoredClassIoUThatIsNaNBesideAFiniteLossIsUndefinedNotDivergence() throws IOException {
        AtomicInteger validations = new AtomicInteger();
        Validator classOneAbsentInTheSecond = (unet, validation) -> Map.of("loss", 0.5, "iou/1",
                validations.incrementAndGet() == 1 ? 0.4 : Double.NaN);
        Path run = directory.resolve("absentClass");
        Trainer trainer = new Trainer(TrainingConfig.of(3, run).withProgressBar(false)
                .withMonitor(Monitor.maximize("iou/1")), classOneAbsentInTheSecond);

        assertThatThrownBy(() -> trainer.fit(tinyUNet(), data(1), data(2)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("validation iou/1 is NaN after epoch 2 while the validation loss is finite"
                        + " (0.5): the metric is undefined on this validation data, not diverged; a per-class metric"
                        + " such as iou/<k> is NaN when class k is in neither the validation labels nor the"
                        + " predictions")
                .hasMessageContaining("the last good checkpoint is " + run.resolve(Trainer.LAST) + " (epoch 1)")
                .hasMessageContaining("Monitor a metric that this validation data defines, such as meanIoU")
                .hasMessageNotContaining("learning rate");
        assertThat(TrainingState.readFrom(run).completedEpochs()).isEqualTo(1);
    }

    /** The validation loss is checked whatever the monitor: an infinite loss is divergence in either direction. */
    @Test
    void aNonFiniteValidationLossIsDivergenceAlsoWhenAnotherMetricIsMonitored() {
        assertDiverges("nanLoss", Monitor.maximize("score"), Map.of("loss", Double.NaN, "score", 0.5),
                "validation loss became NaN after epoch 1");
        assertDiverges("negativeLoss", Monitor.maximize("score"),
                Map.of("loss", Double.NEGATIVE_INFINITY, "score", 0.5),
                "validation loss became -Infinity after epoch 1");
    }

    /**
     * A run that diverges in a step, or in the validation after the epoch's last step (one-cycle's lowest rate,
     * 1e-5 of the peak), leaves the model with its configured rates, for a retry or a save.
     */
    @Test
    void aDivergedRunLeavesTheModelWithItsConfiguredLearningRates() {
        UNet unet = tinyUNet();
        Map<String, Double> configured = Trainer.learningRates(unet.graph());
        DataSet shapes = BrightShapes.generate(8, 16, 1);
        shapes.getFeatures().get(NDArrayIndex.interval(4, 8)).assign(Double.NaN);
        assertThatThrownBy(() -> new Trainer(config(1, "step"), Validator.loss())
                .fit(unet, new ViewIterator(shapes, 4), data(2)))
                .isInstanceOf(TrainingDivergedException.class).hasMessageContaining("training loss became NaN");
        assertThat(Trainer.learningRates(unet.graph())).isEqualTo(configured);

        UNet validated = tinyUNet();
        assertThatThrownBy(() -> new Trainer(config(1, "validation"), (model, validation) -> Map.of("loss", Double.NaN))
                .fit(validated, data(1), data(2)))
                .isInstanceOf(TrainingDivergedException.class).hasMessageContaining("validation loss became NaN");
        assertThat(Trainer.learningRates(validated.graph())).isEqualTo(configured);
    }

    private void assertDiverges(String run, Monitor monitor, Map<String, Double> metrics, String message) {
        Trainer trainer = new Trainer(config(1, run).withMonitor(monitor), (unet, validation) -> metrics);
        assertThatThrownBy(() -> trainer.fit(tinyUNet(), data(1), data(2)))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining(message)
                .hasMessageContaining("no epoch had finished, so there is no checkpoint");
    }

    /** NaN predictions in the second validation: divergence that names the checkpoint of epoch 1. */
    @Test
    void nanPredictionsInValidationAreDivergenceWithTheLastGoodCheckpoint() throws IOException {
        CountingValidator counting = new CountingValidator(Validator.segmentation());
        DataSetIterator poisonedInSecondValidation = new PoisonedWhen(BrightShapes.generate(8, 16, 2), 4,
                () -> counting.calls() >= 2);
        Path run = directory.resolve("nanPredictions");
        Trainer trainer = new Trainer(TrainingConfig.of(3, run).withProgressBar(false)
                .withMonitor(Monitor.maximize("meanIoU")), counting);
        assertThatThrownBy(() -> trainer.fit(tinyUNet(), data(1), poisonedInSecondValidation))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("validation after epoch 2")
                .hasMessageContaining("predictions contain NaN")
                .hasMessageContaining("the last good checkpoint is " + run.resolve(Trainer.LAST) + " (epoch 1)");
        assertThat(TrainingState.readFrom(run).completedEpochs()).isEqualTo(1);
    }

    @Test
    void anEmptyValidationIteratorIsRefusedBeforeTraining() {
        DataSetIterator empty = new ExistingDataSetIterator(List.<DataSet>of());
        Path run = directory.resolve("empty");
        Trainer trainer = new Trainer(TrainingConfig.of(2, run).withProgressBar(false), Validator.loss());
        assertThatThrownBy(() -> trainer.fit(tinyUNet(), data(1), empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the validation iterator (" + ExistingDataSetIterator.class.getName())
                .hasMessageContaining("yields no batch");
        assertThat(run).doesNotExist();
    }
}
