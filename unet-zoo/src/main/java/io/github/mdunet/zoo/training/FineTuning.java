package io.github.mdunet.zoo.training;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.train.CheckpointConflictException;
import io.github.mdunet.core.train.EarlierRun;
import io.github.mdunet.core.train.EpochRecord;
import io.github.mdunet.core.train.LearningRateSchedule;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.core.train.TrainingConfig;
import io.github.mdunet.core.train.TrainingResult;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * fastai's {@code fine_tune} for a U-Net on a pretrained encoder, in two stages of {@link Trainer} runs:
 * <ol>
 *   <li><b>frozen</b>: {@code frozenEpochs} epochs with the encoder frozen ({@link EncoderFreezer#freeze}; its batch
 *       norms training or not, as {@code frozenBatchNorm} says) under {@link #frozenSchedule()}, a one-cycle that
 *       warms up over 99% of its steps;</li>
 *   <li><b>unfrozen</b>: the run's epochs of the whole U-Net from the frozen stage's last model, every rate halved
 *       and the encoder's in fastai's two groups ({@link EncoderFreezer#unfreezeInRateGroups}): the late encoder's
 *       times {@code encoderLearningRateFactor}, the early encoder's times its square (fastai's
 *       {@code slice(lr / 100, lr)} for 0.1), under the run's schedule (fastai's is {@link #unfrozenSchedule()}) and
 *       early stopping.</li>
 * </ol>
 *
 * <p>Checkpoints: the frozen stage's in the {@value #FROZEN_STAGE} subfolder of the run's checkpoint directory, the
 * unfrozen stage's in the directory itself; the run's best model is the best unfrozen epoch's. Started again on the
 * same directory, the run resumes in the stage it stopped in: a finished frozen stage is not trained again.
 * {@code EarlierRun.in(directory, List.of(FROZEN_STAGE))} sees both stages.
 *
 * <p>The run's settings are recorded in the frozen stage's folder ({@value #SETTINGS_FILE}); a resume with others is
 * refused. The best model is the best unfrozen epoch's, as in fastai, whose two {@code fit_one_cycle} calls pick
 * nothing across stages: a frozen epoch that scored higher stays in the frozen folder's {@code best.zip}.
 *
 * <p>Differences from fastai:
 * <ul>
 *   <li>fastai keeps the decoder's optimiser state across the stages; here the unfrozen stage's updater starts
 *       afresh, as after {@link EncoderFreezer#unfreeze};</li>
 *   <li>fastai splits an encoder into its two groups by architecture (a ResNet after layer2, a VGG after block 3,
 *       a SqueezeNet after fire3; an architecture it does not know is one group at {@code lr / 100}); here every
 *       encoder splits at its third skip tap, which is where fastai splits ResNets and VGGs.</li>
 * </ul>
 *
 * @param frozenEpochs              epochs with the encoder frozen, >= 1 (fastai: 1)
 * @param encoderLearningRateFactor the late encoder's rate over the decoder's in the unfrozen stage, in (0, 1]; the
 *                                  early encoder's is its square
 * @param frozenBatchNorm           what the frozen encoder's batch norms do in the frozen stage (fastai:
 *                                  {@link FrozenBatchNorm#TRAINED}, its {@code train_bn=True})
 */
public record FineTuning(int frozenEpochs, double encoderLearningRateFactor, FrozenBatchNorm frozenBatchNorm) {

    /** The subfolder of the run's checkpoint directory that holds the frozen stage's checkpoints. */
    public static final String FROZEN_STAGE = "frozen";

    /** The file in the frozen stage's folder that records a run's settings, so that a resume keeps them. */
    public static final String SETTINGS_FILE = "fine-tuning.properties";
    /** {@value #SETTINGS_FILE}'s key of {@link #frozenEpochs()}. */
    private static final String FROZEN_EPOCHS_KEY = "frozenEpochs";
    /** {@value #SETTINGS_FILE}'s key of {@link #encoderLearningRateFactor()}. */
    private static final String LEARNING_RATE_FACTOR_KEY = "encoderLearningRateFactor";
    /** {@value #SETTINGS_FILE}'s key of {@link #frozenBatchNorm()}; absent in runs recorded before it existed. */
    private static final String FROZEN_BATCH_NORM_KEY = "frozenBatchNorm";

    /** fastai's {@code fine_tune(base_lr=2e-3)}: the rate it fine-tunes at unless told another. */
    public static final double BASE_LEARNING_RATE = 2e-3;

    /** fastai's {@code fine_tune} halves the rate when it unfreezes. */
    static final double UNFROZEN_RATE_FACTOR = 0.5;

    public FineTuning {
        if (frozenEpochs < 1) {
            throw new IllegalArgumentException("FineTuning.frozenEpochs must be >= 1 but was " + frozenEpochs
                    + " (train without FineTuning for no frozen epochs)");
        }
        if (!(encoderLearningRateFactor > 0 && encoderLearningRateFactor <= 1)) {
            throw new IllegalArgumentException("FineTuning.encoderLearningRateFactor must be in (0, 1] but was "
                    + encoderLearningRateFactor + " (e.g. 0.1: the encoder learns ten times slower)");
        }
        if (frozenBatchNorm == null) {
            throw new IllegalArgumentException("FineTuning.frozenBatchNorm must be "
                    + Checks.oneOf(FrozenBatchNorm.class) + " (" + FrozenBatchNorm.TRAINED + " is fastai's train_bn)"
                    + " but was null");
        }
    }

    /**
     * fastai's: one frozen epoch in which the encoder's batch norms train, the encoder at a tenth of the decoder's
     * rate afterwards.
     */
    public static FineTuning fastai() {
        return new FineTuning(1, 0.1, FrozenBatchNorm.TRAINED);
    }

    /** The frozen stage's schedule: fastai's {@code fit_one_cycle(pct_start=0.99)}. */
    public static LearningRateSchedule frozenSchedule() {
        return new LearningRateSchedule.OneCycle(0.99, 25, 1e5);
    }

    /** fastai's schedule for the unfrozen stage: {@code fit_one_cycle(pct_start=0.3, div=5)}. */
    public static LearningRateSchedule unfrozenSchedule() {
        return new LearningRateSchedule.OneCycle(0.3, 5, 1e5);
    }

    /** Makes the {@link Trainer} of each stage from that stage's configuration (a fitter, listeners, ...). */
    @FunctionalInterface
    public interface Trainers {
        Trainer of(TrainingConfig stage);
    }

    /**
     * Fine-tunes {@code unet}, or resumes the fine-tuning whose checkpoints are in {@code run}'s directory.
     *
     * @param unet       the U-Net with its pretrained encoder; its graph is closed once the frozen stage has its copy
     *                   (its weights are not changed, but its memory is given back for the stages)
     * @param run        the unfrozen stage's epochs, schedule, monitor, early stopping and checkpoint directory; the
     *                   frozen stage takes its monitor and checkpoint settings
     * @param trainers   makes each stage's trainer, e.g. {@code stage -> new Trainer(stage, validator)}
     * @return both stages' results
     * @throws CheckpointConflictException when the directory holds a run that was not fine-tuned, or a stage's
     *                                     directory another run (as {@link Trainer#fit})
     * @throws IOException                 as {@link Trainer#fit} (a checkpoint cannot be written or read, ...)
     */
    public Result fit(UNet unet, TrainingConfig run, Trainers trainers, DataSetIterator train,
                      DataSetIterator validation) throws IOException {
        Path frozenDirectory = frozenStageDirectory(run.checkpointDirectory());
        if (EarlierRun.in(run.checkpointDirectory()).isPresent() && EarlierRun.in(frozenDirectory).isEmpty()) {
            throw new CheckpointConflictException("checkpoint directory " + run.checkpointDirectory() + " holds a"
                    + " run that was not fine-tuned (it has no frozen stage in " + frozenDirectory + "): continue it"
                    + " with its own Trainer, or give the fine-tuning run another checkpoint directory. Nothing was"
                    + " trained or saved.");
        }
        requireSameSettings(frozenDirectory);
        TrainingConfig frozenStage = new TrainingConfig(frozenEpochs, frozenSchedule(), run.monitor(),
                Optional.empty(), frozenDirectory, run.checkpointEvery(), run.progressBar());
        UNet frozenStart = EncoderFreezer.freeze(unet, frozenBatchNorm);
        unet.graph().close(); // copied: from here on it would only hold memory
        // A finished frozen stage is only read back: its trainer resumes after its last epoch and trains nothing.
        TrainingResult frozen = trainers.of(frozenStage).fit(frozenStart, train, validation);
        closeIfUnused(frozenStart, frozen);
        boolean unfrozenStarted = EarlierRun.in(run.checkpointDirectory()).isPresent();
        UNet frozenModel = frozen.model();
        // Resuming, the trainer reads the U-Net from its checkpoint and only checks this one's configuration.
        UNet unfrozenStart = unfrozenStarted ? frozenModel
                : frozenModel.withGraph(EncoderFreezer.unfreezeInRateGroups(frozenModel, frozenModel.graph(),
                        UNFROZEN_RATE_FACTOR, encoderLearningRateFactor));
        if (!unfrozenStarted) {
            frozenModel.graph().close(); // its parameters are copied: it would only hold memory while the rest trains
        }
        TrainingResult unfrozen = trainers.of(run).fit(unfrozenStart, train, validation);
        if (unfrozenStarted) {
            frozenModel.graph().close();
        } else {
            closeIfUnused(unfrozenStart, unfrozen);
        }
        return new Result(frozen, unfrozen);
    }

    /**
     * Records these settings with a new run ({@value #SETTINGS_FILE} in the frozen stage's folder), or refuses to
     * resume a run that recorded others: its stages would then be another run's.
     */
    private void requireSameSettings(Path frozenDirectory) throws IOException {
        Path file = frozenDirectory.resolve(SETTINGS_FILE);
        if (EarlierRun.in(frozenDirectory).isEmpty()) {
            Files.createDirectories(frozenDirectory);
            Properties settings = settings();
            AtomicFiles.durable().write(file, target -> {
                try (Writer out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                    settings.store(out, "FineTuning settings of the run checkpointed here");
                }
            });
            return;
        }
        if (!Files.isRegularFile(file)) {
            return; // a run started before the settings were recorded
        }
        Properties recorded = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            recorded.load(in);
        }
        String now = describe(settings());
        String then = describe(recorded);
        if (!then.equals(now)) {
            throw new CheckpointConflictException("checkpoint directory " + frozenDirectory.getParent() + " holds a"
                    + " fine-tuning run with " + then + " (recorded in " + file + "); now " + now + ". Resume with"
                    + " the run's settings (on the command line: --freeze-epochs, --encoder-lr-factor and"
                    + " --[no-]train-bn), or give a new run another checkpoint directory. Nothing was trained or"
                    + " saved.");
        }
    }

    /** These settings as {@value #SETTINGS_FILE} records them. */
    private Properties settings() {
        Properties settings = new Properties();
        settings.setProperty(FROZEN_EPOCHS_KEY, Integer.toString(frozenEpochs));
        settings.setProperty(LEARNING_RATE_FACTOR_KEY, Double.toString(encoderLearningRateFactor));
        settings.setProperty(FROZEN_BATCH_NORM_KEY, frozenBatchNorm.name());
        return settings;
    }

    /** {@code settings} as {@code key=value, ...} for a message. */
    private static String describe(Properties settings) {
        return FROZEN_EPOCHS_KEY + "=" + settings.getProperty(FROZEN_EPOCHS_KEY) + ", " + LEARNING_RATE_FACTOR_KEY
                + "=" + settings.getProperty(LEARNING_RATE_FACTOR_KEY) + ", " + FROZEN_BATCH_NORM_KEY + "="
                // runs recorded before the setting existed froze their batch norms
                + settings.getProperty(FROZEN_BATCH_NORM_KEY, FrozenBatchNorm.FROZEN.name());
    }

    /** Closes the graph a stage was given when the stage trained its checkpoint's instead (it resumed). */
    private static void closeIfUnused(UNet given, TrainingResult stage) {
        if (stage.model() != given) {
            given.graph().close();
        }
    }

    /** Where the frozen stage of a run checkpointed in {@code checkpointDirectory} keeps its checkpoints. */
    public static Path frozenStageDirectory(Path checkpointDirectory) {
        return checkpointDirectory.resolve(FROZEN_STAGE);
    }

    /**
     * Both stages of a fine-tuning run.
     *
     * @param frozen   the frozen stage's result (its models in the {@value #FROZEN_STAGE} folder); its model's graph is
     *                 closed once the unfrozen stage has its copy (load the folder's {@code last.zip} to use it)
     * @param unfrozen the unfrozen stage's result: the run's model and best model
     */
    public record Result(TrainingResult frozen, TrainingResult unfrozen) {

        /**
         * One result for the whole run: the frozen epochs, then the unfrozen ones numbered after them; the unfrozen
         * stage's model and best model (its best epoch numbered so too).
         */
        public TrainingResult combined() {
            int offset = frozen.history().size();
            List<EpochRecord> history = new ArrayList<>(frozen.history());
            for (EpochRecord record : unfrozen.history()) {
                history.add(new EpochRecord(record.epoch() + offset, record.trainLoss(), record.validation(),
                        record.learningRate(), record.seconds()));
            }
            return new TrainingResult(unfrozen.model(), history, unfrozen.bestEpoch() + offset, unfrozen.bestModel(),
                    (offset == 1 ? "1 frozen epoch" : offset + " frozen epochs") + ", then with the encoder unfrozen "
                            + unfrozen.stopReason());
        }
    }
}
