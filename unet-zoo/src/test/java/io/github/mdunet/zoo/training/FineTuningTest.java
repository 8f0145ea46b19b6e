package io.github.mdunet.zoo.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.graph.UNetGraphFactory;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.BrightShapes;
import io.github.mdunet.core.testing.ParameterSnapshot;
import io.github.mdunet.core.train.CheckpointConflictException;
import io.github.mdunet.core.train.EarlierRun;
import io.github.mdunet.core.train.EpochRecord;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.core.train.TrainingConfig;
import io.github.mdunet.core.train.TrainingResult;
import io.github.mdunet.core.train.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/** fastai's fine_tune: a frozen stage that trains the decoder only, then the whole U-Net at lower rates; resumable. */
class FineTuningTest {

    private static final double RATE = 1e-2;
    /** DL4J's batch-norm parameter keys, which the fused block's batch norm uses too. */
    private static final Set<String> BATCH_NORM_KEYS = Set.of("gamma", "beta", "mean", "var", "log10stdev");

    @TempDir
    Path directory;

    /** A tiny U-Net with batch norm in its encoder and SameDiff sub-pixel convolutions in its decoder. */
    private static UNet unet() {
        return unet(BlockLayers.STOCK);
    }

    private static UNet unet(BlockLayers layers) {
        return UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 4, Normalization.BATCH))
                .input(new ImageShape(1, 16, 16)).numClasses(2).upsample(new UpsampleMode.PixelShuffle(false))
                .updater(new Adam(RATE)).layers(layers).build());
    }

    private static DataSetIterator data(long seed) {
        return new ViewIterator(BrightShapes.generate(8, 16, seed), 4);
    }

    private TrainingConfig run(int epochs) {
        return TrainingConfig.of(epochs, directory).withProgressBar(false);
    }

    private static FineTuning.Trainers trainers() {
        return stage -> new Trainer(stage, Validator.loss());
    }

    private static boolean inEncoder(String parameter, Set<String> encoder) {
        return encoder.contains(parameter.substring(0, parameter.indexOf('.')));
    }

    @Test
    void theFrozenStageTrainsTheDecoderOnlyAndTheUnfrozenOneEverythingAtScaledRates() throws IOException {
        UNet start = unet();
        Set<String> encoder = UNetGraphFactory.create(start.config()).encoderVertices();
        Set<String> early = EncoderFreezer.earlyEncoderVertices(start.config());
        assertThat(encoder).containsAll(early);
        assertThat(early).isNotEmpty().hasSizeLessThan(encoder.size());
        Map<String, INDArray> initial = ParameterSnapshot.of(start.graph());

        FineTuning.Result result = new FineTuning(1, 0.1, FrozenBatchNorm.FROZEN).fit(start, run(2), trainers(),
                data(1), data(2));

        Map<String, INDArray> afterFrozen = ParameterSnapshot.of(
                UNet.load(FineTuning.frozenStageDirectory(directory).resolve("last.zip")).graph());
        assertThat(afterFrozen).hasSameSizeAs(initial);
        initial.forEach((parameter, value) -> {
            if (inEncoder(parameter, encoder)) {
                assertThat(afterFrozen.get(parameter)).as("frozen %s, batch-norm statistics too", parameter)
                        .isEqualTo(value);
            }
        });
        assertThat(initial).anySatisfy((parameter, value) -> {
            assertThat(inEncoder(parameter, encoder)).isFalse();
            assertThat(afterFrozen.get(parameter)).as("decoder %s trains", parameter).isNotEqualTo(value);
        });
        Map<String, INDArray> afterUnfrozen = ParameterSnapshot.of(result.unfrozen().model().graph());
        assertThat(afterFrozen).anySatisfy((parameter, value) -> {
            assertThat(inEncoder(parameter, encoder)).isTrue();
            assertThat(afterUnfrozen.get(parameter)).as("unfrozen encoder %s trains", parameter)
                    .isNotEqualTo(value);
        });

        // Half the rate, the late encoder's a tenth of that and the early encoder's a hundredth (fastai's
        // slice(lr / 100, lr)); SameDiff layers (the sub-pixel convolutions) included.
        ComputationGraph unfrozen = result.unfrozen().model().graph();
        assertThat(unfrozen.getLayers()).anySatisfy(layer -> assertThat(layer.conf().getLayer())
                .isInstanceOf(AbstractSameDiffLayer.class));
        for (Layer layer : unfrozen.getLayers()) {
            var conf = layer.conf().getLayer();
            for (String parameter : layer.paramTable().keySet()) {
                IUpdater updater = conf.getUpdaterByParam(parameter);
                if (!updater.hasLearningRate()) {
                    continue; // batch-norm statistics
                }
                String vertex = conf.getLayerName();
                double expected = RATE * 0.5 * (early.contains(vertex) ? 0.01 : encoder.contains(vertex) ? 0.1 : 1);
                assertThat(updater.getLearningRate(0, 0))
                        .as(conf.getLayerName() + "." + parameter).isCloseTo(expected, offset(1e-12));
            }
        }
        assertThat(start.graph().params().wasClosed()).as("the given graph's memory is given back").isTrue();
        assertThat(start.graph().getLayer(0).conf().getLayer().getUpdaterByParam("W").getLearningRate(0, 0))
                .as("the given U-Net keeps its rates").isEqualTo(RATE);

        TrainingResult combined = result.combined();
        assertThat(combined.history()).extracting(EpochRecord::epoch).containsExactly(1, 2, 3);
        assertThat(combined.history().get(0)).isEqualTo(result.frozen().history().get(0));
        assertThat(combined.bestEpoch()).isEqualTo(result.unfrozen().bestEpoch() + 1);
        assertThat(combined.bestModel()).isEqualTo(directory.resolve("best.zip"));
        assertThat(combined.stopReason()).isEqualTo("1 frozen epoch, then with the encoder unfrozen all 2 epochs"
                + " done");
        assertThat(EarlierRun.in(directory, List.of(FineTuning.FROZEN_STAGE)).orElseThrow().completedEpochs())
                .hasValue(3);
        assertThat(EarlierRun.in(directory).orElseThrow().completedEpochs()).hasValue(2);
    }

    /**
     * fastai's train_bn: in the frozen stage the encoder's batch norms (scales, shifts, running statistics) train and
     * its convolutions keep their weights, with DL4J's separate batch-norm layers and with fused blocks alike.
     */
    @ParameterizedTest
    @EnumSource(BlockLayers.class)
    void withTrainedBatchNormTheFrozenStageTrainsTheEncodersBatchNormsOnly(BlockLayers layers) throws IOException {
        UNet start = unet(layers);
        Set<String> encoder = UNetGraphFactory.create(start.config()).encoderVertices();
        Map<String, INDArray> initial = ParameterSnapshot.of(start.graph());

        new FineTuning(1, 0.1, FrozenBatchNorm.TRAINED).fit(start, run(1), trainers(), data(1), data(2));

        Map<String, INDArray> afterFrozen = ParameterSnapshot.of(
                UNet.load(FineTuning.frozenStageDirectory(directory).resolve("last.zip")).graph());
        assertThat(afterFrozen).hasSameSizeAs(initial);
        int batchNorms = 0;
        for (Map.Entry<String, INDArray> entry : initial.entrySet()) {
            String parameter = entry.getKey();
            if (!inEncoder(parameter, encoder)) {
                continue;
            }
            boolean batchNorm = BATCH_NORM_KEYS.contains(parameter.substring(parameter.indexOf('.') + 1));
            batchNorms += batchNorm ? 1 : 0;
            if (batchNorm) {
                assertThat(afterFrozen.get(parameter)).as("encoder batch norm %s trains", parameter)
                        .isNotEqualTo(entry.getValue());
            } else {
                assertThat(afterFrozen.get(parameter)).as("frozen %s", parameter).isEqualTo(entry.getValue());
            }
        }
        assertThat(batchNorms).as("batch-norm parameters in the encoder").isGreaterThanOrEqualTo(4);

        // fastai's slice(lr) in the frozen fit: the frozen groups' batch norms at a tenth of the decoder's rate.
        ComputationGraph frozen = UNet.load(FineTuning.frozenStageDirectory(directory).resolve("last.zip")).graph();
        Map<Boolean, Set<Double>> rates = new java.util.HashMap<>();
        for (Layer layer : frozen.getLayers()) {
            var conf = layer.conf().getLayer();
            Set<String> keys = layer.paramTable().keySet();
            if (keys.isEmpty()) {
                continue;
            }
            // a batch norm's scale, else the layer's first parameter (a frozen convolution's rate is 0)
            IUpdater updater = conf.getUpdaterByParam(keys.contains("gamma") ? "gamma" : keys.iterator().next());
            if (updater.hasLearningRate() && updater.getLearningRate(0, 0) > 0) {
                rates.computeIfAbsent(encoder.contains(conf.getLayerName()), k -> new java.util.TreeSet<>())
                        .add(updater.getLearningRate(0, 0));
            }
        }
        assertThat(rates.get(true)).as("encoder batch norms' rates").hasSize(1);
        assertThat(rates.get(false)).as("decoder rates").hasSize(1);
        assertThat(rates.get(true).iterator().next() / rates.get(false).iterator().next())
                .isCloseTo(EncoderFreezer.FROZEN_GROUP_RATE_FACTOR, offset(1e-9));
    }

    @Test
    void aRunStoppedAfterTheFrozenStageResumesWithoutTrainingItAgain() throws IOException {
        FineTuning.Trainers failingUnfrozenStage = stage -> {
            if (stage.checkpointDirectory().equals(directory)) {
                throw new IllegalStateException("killed before the unfrozen stage");
            }
            return new Trainer(stage, Validator.loss());
        };
        FineTuning fineTuning = new FineTuning(2, 0.5, FrozenBatchNorm.TRAINED);
        assertThatThrownBy(() -> fineTuning.fit(unet(), run(1), failingUnfrozenStage, data(1), data(2)))
                .hasMessage("killed before the unfrozen stage");
        EarlierRun stopped = EarlierRun.in(directory, List.of(FineTuning.FROZEN_STAGE)).orElseThrow();
        assertThat(stopped.completedEpochs()).hasValue(2);
        assertThat(stopped.files()).contains("frozen/last.zip", "frozen/training-state.json");
        assertThat(EarlierRun.in(directory)).as("the unfrozen stage has not started").isEmpty();
        Path frozenLast = FineTuning.frozenStageDirectory(directory).resolve("last.zip");
        byte[] frozenModel = Files.readAllBytes(frozenLast);

        FineTuning.Result resumed = fineTuning.fit(unet(), run(1), trainers(), data(1), data(2));

        assertThat(Files.readAllBytes(frozenLast)).as("the frozen stage is not trained again").isEqualTo(frozenModel);
        assertThat(resumed.frozen().history()).hasSize(2);
        assertThat(resumed.unfrozen().history()).hasSize(1);
        assertThat(EarlierRun.in(directory, List.of(FineTuning.FROZEN_STAGE)).orElseThrow().completedEpochs())
                .hasValue(3);
    }

    /** Resuming with another factor would mix two runs' rates (found by review: it was silently ignored). */
    @Test
    void aResumeWithOtherSettingsIsRefusedNamingBoth() throws IOException {
        new FineTuning(1, 0.1, FrozenBatchNorm.FROZEN).fit(unet(), run(1), trainers(), data(1), data(2));
        Path settings = FineTuning.frozenStageDirectory(directory).resolve(FineTuning.SETTINGS_FILE);
        assertThat(settings).content().contains("frozenEpochs=1", "encoderLearningRateFactor=0.1",
                "frozenBatchNorm=FROZEN");
        byte[] model = Files.readAllBytes(directory.resolve("last.zip"));
        for (FineTuning other : List.of(new FineTuning(1, 0.5, FrozenBatchNorm.FROZEN),
                new FineTuning(2, 0.1, FrozenBatchNorm.FROZEN), FineTuning.fastai())) {
            assertThatThrownBy(() -> other.fit(unet(), run(1), trainers(), data(1), data(2))).as("%s", other)
                    .isInstanceOf(CheckpointConflictException.class)
                    .hasMessageContaining("holds a fine-tuning run with frozenEpochs=1, encoderLearningRateFactor=0.1,"
                            + " frozenBatchNorm=FROZEN")
                    .hasMessageContaining("now frozenEpochs=" + other.frozenEpochs() + ", encoderLearningRateFactor="
                            + other.encoderLearningRateFactor() + ", frozenBatchNorm=" + other.frozenBatchNorm())
                    .hasMessageContaining("--freeze-epochs, --encoder-lr-factor and --[no-]train-bn");
        }
        assertThat(Files.readAllBytes(directory.resolve("last.zip"))).isEqualTo(model);

        // A run recorded before the setting existed froze its batch norms: it resumes with FROZEN, not TRAINED.
        Files.writeString(settings, "frozenEpochs=1\nencoderLearningRateFactor=0.1\n");
        assertThatThrownBy(() -> FineTuning.fastai().fit(unet(), run(1), trainers(), data(1), data(2)))
                .hasMessageContaining("frozenBatchNorm=FROZEN (recorded in");
        new FineTuning(1, 0.1, FrozenBatchNorm.FROZEN).fit(unet(), run(1), trainers(), data(1), data(2));
    }

    @Test
    void aRunThatWasNotFineTunedIsNotTakenForTheUnfrozenStage() throws IOException {
        new Trainer(run(1), Validator.loss()).fit(unet(), data(1), data(2));
        byte[] plainModel = Files.readAllBytes(directory.resolve("last.zip"));
        assertThatThrownBy(() -> FineTuning.fastai().fit(unet(), run(1), trainers(), data(1), data(2)))
                .isInstanceOf(CheckpointConflictException.class)
                .hasMessageContaining("holds a run that was not fine-tuned (it has no frozen stage in "
                        + FineTuning.frozenStageDirectory(directory) + ")")
                .hasMessageContaining("Nothing was trained or saved");
        assertThat(FineTuning.frozenStageDirectory(directory)).doesNotExist();
        assertThat(Files.readAllBytes(directory.resolve("last.zip"))).isEqualTo(plainModel);
    }

    @Test
    void refusesSettingsOutOfRangeNamingThem() {
        FrozenBatchNorm trained = FrozenBatchNorm.TRAINED;
        assertThatThrownBy(() -> new FineTuning(0, 0.1, trained)).hasMessageContaining("FineTuning.frozenEpochs must"
                + " be >= 1 but was 0");
        assertThatThrownBy(() -> new FineTuning(1, 0, trained)).hasMessageContaining("FineTuning"
                + ".encoderLearningRateFactor must be in (0, 1] but was 0.0");
        assertThatThrownBy(() -> new FineTuning(1, 1.5, trained)).hasMessageContaining("but was 1.5");
        assertThatThrownBy(() -> new FineTuning(1, 0.1, null)).hasMessage("FineTuning.frozenBatchNorm must be"
                + " one of FROZEN, TRAINED (TRAINED is fastai's train_bn) but was null");
        assertThat(FineTuning.fastai()).isEqualTo(new FineTuning(1, 0.1, trained));
    }
}
