package io.github.mdunet.core.train;

import io.github.mdunet.core.config.DecoderLayout;
import io.github.mdunet.core.config.RecordChanges;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.files.DirectoryInUseException;
import io.github.mdunet.core.metrics.NaNPredictionsException;
import io.github.mdunet.core.model.TrainingRecord;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeMemoryErrors;
import io.github.mdunet.core.nativememory.NativeOutOfMemoryError;
import io.github.mdunet.core.nativememory.Workload;
import io.github.mdunet.core.nativememory.Workload.Phase;
import io.github.mdunet.core.optim.HalfPrecisionUpdaters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.IUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link UNet} for a number of epochs with validation after each, a learning-rate schedule, best-model and
 * periodic checkpoints, early stopping, and resumption: pointed at a checkpoint directory that holds a training
 * state, {@link #fit} continues after the last finished epoch, so a killed run loses at most the epoch in progress.
 *
 * <p>Files in the checkpoint directory: {@code last.zip} (model and updater after the last finished epoch),
 * {@code best.zip} (the best monitored value), {@code epoch-<n>.zip} (periodic), {@code training-state.json} and
 * {@code training.lock}. Each epoch's checkpoint is one unit: its models are staged, the state is written atomically
 * (the commit), then the models are renamed into place, every step synced to disk; a kill at any moment leaves, after
 * the next start's recovery, the files and the state of one committed epoch (see {@link CheckpointDirectory}). One run
 * at a time: a second run on the same directory is refused while the first holds its lock.
 *
 * <p>A resumed run must be the same run: the same U-Net configuration, epoch count, schedule, monitor, data (as
 * far as the iterators tell, see {@link DataIdentity}) and, field by field where both the checkpoint's model and the
 * caller's record it, the same {@link UNet#trainingRecord()}: the framing, the crops' scale, the mirror images, the
 * upscale and the significant bits ({@link TrainingRecord#changesTo}; the caller's are taken where the checkpoint
 * records none); otherwise {@link #fit} refuses with a {@link CheckpointConflictException} that lists what changed,
 * and writes nothing.
 *
 * <p>When native memory runs out in a training step or in validation, {@link #fit} throws a
 * {@link NativeOutOfMemoryError} that names the limit, the batch and the fix; checkpoints are written only after an
 * epoch and its validation have finished, so they stay as they were and a second run resumes from them.
 */
public final class Trainer {

    /** The model and updater after the last finished epoch, in the checkpoint directory. */
    public static final String LAST = CheckpointDirectory.LAST;
    /** The model of the best monitored epoch, in the checkpoint directory ({@link TrainingResult#bestModel()}). */
    public static final String BEST = CheckpointDirectory.BEST;
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** Why an updater's own learning-rate schedule is refused ({@link UpdaterSchedules}). */
    private static final String SETS_RATES = "the Trainer sets each step's rate itself, as its"
            + " TrainingConfig.schedule's factor of the updater's fixed rate";

    private final TrainingConfig config;
    private final Validator validator;
    private final AtomicFiles files;
    private final CheckpointFaults faults;
    private final EpochFitter fitter;
    private final List<TrainingListener> listeners;

    public Trainer(TrainingConfig config, Validator validator) {
        this(config, validator, AtomicFiles.durable(), CheckpointFaults.NONE);
    }

    /** A trainer whose checkpoint writes sync with {@code files} and report each step to {@code faults} (tests). */
    Trainer(TrainingConfig config, Validator validator, AtomicFiles files, CheckpointFaults faults) {
        this(config, validator, files, faults, EpochFitter.sequential(), List.of());
    }

    private Trainer(TrainingConfig config, Validator validator, AtomicFiles files, CheckpointFaults faults,
                    EpochFitter fitter, List<TrainingListener> listeners) {
        this.config = config;
        this.validator = validator;
        this.files = files;
        this.faults = faults;
        this.fitter = fitter;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * This trainer with each epoch's batches fitted by {@code value}, e.g. data-parallel workers (unet-parallel's
     * {@code ParallelFitter}); validation, checkpoints and resume stay on the U-Net's own graph. A run may be resumed
     * with another fitter (say 1 worker after 2), since the checkpoint holds the model and its updater state only.
     */
    public Trainer withFitter(EpochFitter value) {
        if (value == null) {
            throw new IllegalArgumentException("fitter must be set, e.g. EpochFitter.sequential()");
        }
        return new Trainer(config, validator, files, faults, value, listeners);
    }

    /**
     * This trainer with DL4J listeners (e.g. the training UI's {@code StatsListener}, a {@code CheckpointListener} or
     * an {@code EvaluativeListener}) added to the graph it trains, the one passed to {@link #fit} or the checkpoint's
     * when it resumes, for the run only: {@link #fit} gives the graph back its own listeners when it returns or throws.
     */
    public Trainer withListeners(List<? extends TrainingListener> added) {
        List<TrainingListener> all = new ArrayList<>(listeners);
        all.addAll(added);
        return new Trainer(config, validator, files, faults, fitter, all);
    }

    /**
     * Trains {@code unet}, or resumes the run whose state is in the checkpoint directory (then {@code unet} only
     * has to have the same configuration as the checkpoint). The schedule scales the learning rates for each step
     * only: afterwards, also when this throws, the trained model holds its configured rates.
     *
     * @throws TrainingDivergedException    when the training or validation loss becomes NaN or infinite, the
     *                                      monitored metric infinite on its bad side (the other infinity is a
     *                                      perfect score) or NaN without a validation loss, or the validation
     *                                      predictions NaN
     * @throws IllegalArgumentException     when the training or validation iterator yields no batch, the
     *                                      monitored metric is not among those the validator declares
     *                                      ({@link Validator#metricNames}), or the
     *                                      configuration's updater cannot train its HALF data type
     *                                      ({@link HalfPrecisionUpdaters}) or has a learning-rate schedule of its
     *                                      own (an {@code ISchedule}; the schedule is
     *                                      {@link TrainingConfig#schedule()}'s), before anything is done; when a
     *                                      training or validation batch is not of the configured input's height
     *                                      and width ({@link TrainingBatches}; before its step, and before the
     *                                      epoch's checkpoint); after an epoch, when the monitored metric is not
     *                                      among the validator's metrics, or is NaN while the validation loss is
     *                                      finite, undefined on the validation data (a class in neither its labels
     *                                      nor the predictions: {@link Divergence#monitoredValue})
     * @throws NativeOutOfMemoryError       when a training step or validation runs out of native memory
     * @throws CheckpointConflictException  when the directory holds another run (configuration, epochs, schedule,
     *                                      monitor, data, or the training record's framing, crops' scale, mirror
     *                                      images, upscale or significant bits differ) or models without a state
     * @throws DirectoryInUseException      when another run holds the checkpoint directory
     * @throws CorruptCheckpointException   when the state cannot be read or a model is not the one it committed
     * @throws IOException                  when a checkpoint cannot be written or read
     */
    public TrainingResult fit(UNet unet, DataSetIterator train, DataSetIterator validation) throws IOException {
        HalfPrecisionUpdaters.requireTrainable(unet.config().updater(), unet.config().dataType());
        UpdaterSchedules.requireFixedRates(unet, SETS_RATES);
        validator.metricNames(unet.config()).ifPresent(names -> config.monitor().requireAmong(names, ". Nothing was"
                + " trained or saved."));
        long steps = countSteps(train);
        if (steps == 0) {
            throw new IllegalArgumentException("the training iterator (" + DataIdentity.of(train) + ") yields no"
                    + " batch, so there is nothing to train on: give training data of at least one example. Nothing"
                    + " was trained or saved.");
        }
        requireBatches(validation);
        try (CheckpointDirectory checkpoints = CheckpointDirectory.open(config.checkpointDirectory(), files, faults)) {
            return fit(checkpoints, unet, train, steps, validation);
        }
    }

    /**
     * {@code unet}'s configuration with the checkpoint's {@link DecoderLayout#FORMATS_1_TO_5} (every run checkpointed
     * before file format 6 has it) where it asks for the default {@link DecoderLayout#FASTAI}: resuming continues the
     * checkpoint's model, and no option of the apps names a layout. Asking for the earlier layout when the checkpoint
     * has fastai's is another network, refused as any change.
     */
    private static UNetConfig keepingEarlierLayout(UNet checkpoint, UNet unet) {
        if (checkpoint.config().decoderLayout() == DecoderLayout.FORMATS_1_TO_5
                && unet.config().decoderLayout() == DecoderLayout.FASTAI) {
            LOG.info("The checkpoint's decoder layout, {} (that of files before format 6), is kept: resuming goes on"
                    + " with its model, and the configuration given asks for the default",
                    DecoderLayout.FORMATS_1_TO_5);
            return unet.config().withDecoderLayout(DecoderLayout.FORMATS_1_TO_5);
        }
        return unet.config();
    }

    private TrainingResult fit(CheckpointDirectory checkpoints, UNet unet, DataSetIterator train, long steps,
                               DataSetIterator validation) throws IOException {
        Path directory = checkpoints.directory();
        Optional<TrainingState> saved = checkpoints.recover();
        RunSettings settings = RunSettings.of(config, steps, DataIdentity.of(train), DataIdentity.of(validation));
        TrainingState state;
        if (saved.isPresent()) {
            state = saved.get();
            UNet resumed = checkpoints.loadLast();
            List<String> modelChanges = new ArrayList<>(
                    RecordChanges.between("UNetConfig", resumed.config(), keepingEarlierLayout(resumed, unet)));
            modelChanges.addAll(resumed.trainingRecord().changesTo(unet.trainingRecord()));
            checkSameRun(directory, state, settings, modelChanges);
            // The caller's records where the checkpoint has none (a run checkpointed before they were recorded).
            unet = resumed.withTrainingRecord(resumed.trainingRecord().filledFrom(unet.trainingRecord()));
            // Checkpoints of versions before 2026-12-05 kept the epoch count at 0: counted on from the epochs done.
            ComputationGraphConfiguration resumedConfiguration = unet.graph().getConfiguration();
            if (resumedConfiguration.getEpochCount() < state.completedEpochs()) {
                resumedConfiguration.setEpochCount(state.completedEpochs());
            }
            LOG.info("Resuming from {} after epoch {} of {} on {}", directory, state.completedEpochs(), config.epochs(),
                    fitter.describe());
        } else {
            checkpoints.requireNoUncommittedModels();
            state = TrainingState.start(settings, learningRates(unet.graph()));
            LOG.info("Training {} epochs on {}", config.epochs(), fitter.describe());
        }
        List<EpochRecord> history = new ArrayList<>(state.history());
        StepLearningRates rates = new StepLearningRates(state.baseLearningRates(), config.schedule(),
                state.stepsPerEpoch() * config.epochs());
        ComputationGraph graph = unet.graph();
        // A copy: setListeners below empties the graph's own list before it adds the ones it is given.
        List<TrainingListener> previousListeners = new ArrayList<>(graph.getListeners());
        graph.addListeners(listeners.toArray(TrainingListener[]::new));
        try {
            while (state.completedEpochs() < config.epochs() && !patienceExhausted(state)) {
                int epoch = state.completedEpochs() + 1;
                long start = System.nanoTime();
                EpochTrainLoss trainLoss;
                Map<String, Double> metrics;
                try {
                    trainLoss = trainEpoch(unet, train, epoch, state, rates);
                    metrics = validate(unet, validation, epoch, state);
                } catch (NativeOutOfMemoryError e) {
                    LOG.error("Training stopped in epoch {}: out of native memory{}. Checkpoints were not touched;"
                            + " run again with more memory to resume.", epoch, lastGoodCheckpoint(state));
                    throw e;
                }
                double monitored = Divergence.monitoredValue(metrics, config.monitor(), epoch,
                        lastGoodCheckpoint(state));
                EpochRecord record = new EpochRecord(epoch, trainLoss.mean(), metrics, trainLoss.lastFactor(),
                        (System.nanoTime() - start) / 1e9);
                history.add(record);
                LOG.info("epoch {}/{}: {}", epoch, config.epochs(), record.describe());
                // Any gain makes the best model; only a gain of more than minDelta on the last such gain resets
                // the patience (as Keras's EarlyStopping and ModelCheckpoint, or fastai's two callbacks).
                boolean improved = config.monitor().improves(monitored, state.bestValue(), 0.0);
                boolean patienceReset = config.monitor().improves(monitored, patienceReference(state),
                        config.earlyStopping().map(EarlyStopping::minDelta).orElse(0.0));
                boolean periodic = config.checkpointEvery() > 0 && epoch % config.checkpointEvery() == 0;
                TrainingState next = new TrainingState(epoch, history, improved ? monitored : state.bestValue(),
                        improved ? epoch : state.bestEpoch(), patienceReset ? 0 : state.epochsWithoutImprovement() + 1,
                        state.stepsPerEpoch(), state.baseLearningRates(), state.run(), state.files());
                // The files, and the model returned, hold the configured rates (restored after the epoch's last
                // step): a new run started from them takes those as its rates.
                state = checkpoints.commit(next, unet, improved, periodic);
            }
        } finally {
            // Also after a failed epoch (divergence, out of memory, a failed write): the model the caller keeps, saves
            // or trains again holds the configured rates, not the last step's scaled ones, and the listeners it had,
            // so that a second fit (or a learning-rate finder) does not call this trainer's listeners again.
            rates.restore(graph);
            graph.setListeners(previousListeners);
        }
        String stopReason = state.completedEpochs() < config.epochs()
                ? "early stopping: " + config.monitor().metric() + " did not improve"
                        + config.earlyStopping().filter(stop -> stop.minDelta() > 0)
                                .map(stop -> " by more than " + stop.minDelta()).orElse("")
                        + " for " + state.epochsWithoutImprovement() + " epochs"
                : "all " + config.epochs() + " epochs done";
        return new TrainingResult(unet, history, state.bestEpoch(), directory.resolve(BEST), stopReason);
    }

    /**
     * Refuses to resume with settings, or a model's recorded {@code modelChanges}, that would make the rest of the
     * run another run's.
     */
    private static void checkSameRun(Path directory, TrainingState state, RunSettings settings,
                                     List<String> modelChanges) {
        List<String> changes = new ArrayList<>();
        if (state.run() == null) {
            LOG.warn("{} was written by an earlier version without the run's settings: resuming without checking"
                    + " that the epochs, schedule and data are unchanged", directory.resolve(TrainingState.FILE_NAME));
        } else {
            changes.addAll(settings.changesFrom(state.run()));
        }
        changes.addAll(modelChanges);
        if (!changes.isEmpty()) {
            throw new CheckpointConflictException("checkpoint directory " + directory + " holds a run with other"
                    + " settings after epoch " + state.completedEpochs() + ", and continuing it with these would make"
                    + " its remaining epochs another run's:\n  " + String.join("\n  ", changes) + "\nResume with the"
                    + " checkpoint's settings, or give a new run another checkpoint directory (it can start from the"
                    + " weights of " + directory.resolve(LAST) + " with UNet.load). Nothing was trained or saved.");
        }
    }

    /**
     * The monitored value that an epoch must beat by more than the early stopping's {@code minDelta} to reset the
     * patience: that of the last epoch that did (NaN before the first epoch).
     */
    private double patienceReference(TrainingState state) {
        int epoch = state.completedEpochs() - state.epochsWithoutImprovement();
        return epoch < 1 ? Double.NaN : state.history().get(epoch - 1).validation().get(config.monitor().metric());
    }

    private boolean patienceExhausted(TrainingState state) {
        return config.earlyStopping().map(stop -> state.epochsWithoutImprovement() >= stop.patience())
                .orElse(false);
    }

    private record EpochTrainLoss(double mean, double lastFactor) {
    }

    private EpochTrainLoss trainEpoch(UNet unet, DataSetIterator train, int epoch, TrainingState state,
                                      StepLearningRates rates) {
        long firstStep = state.stepsPerEpoch() * (epoch - 1);
        try (ProgressBar bar = progressBar(epoch, state.stepsPerEpoch())) {
            TrainingBatches.Checked batches = TrainingBatches.checked(unet.config(), train,
                    batch -> "training batch " + batch + " of epoch " + epoch);
            EpochSteps steps = new EpochSteps(epoch, firstStep, rates, bar, lastGoodCheckpoint(state),
                    () -> batches.throwIfRefused(null));
            if (train instanceof EpochOrdered ordered) {
                ordered.beforeEpoch(epoch);
            }
            ComputationGraph graph = unet.graph();
            // The graph's listeners see the epoch as DL4J's fit(iterator) shows it, which a fitter's fit(DataSet) or
            // ParallelWrapper does not: onEpochStart, the steps, onEpochEnd, then the epoch count moves on (so
            // iterationDone gets the epoch, 0 for the first, and a CheckpointListener counts epochs done).
            List<TrainingListener> epochListeners = List.copyOf(graph.getListeners());
            for (TrainingListener listener : epochListeners) {
                listener.onEpochStart(graph);
            }
            try {
                fitter.fitEpoch(unet, batches, steps);
            } catch (RuntimeException e) {
                batches.throwIfRefused(e); // e.g. DL4J's error inside a graph of fixed sizes, in a worker
                throw e;
            }
            batches.throwIfRefused(null); // a fitter that took a step without reporting it
            if (steps.steps() == 0) {
                throw new IllegalArgumentException("the training iterator yielded no batch in epoch " + epoch);
            }
            // The configured rates, not the last step's, also in what a listener saves at the epoch's end (the next
            // step sets the schedule's rate again).
            rates.restore(graph);
            for (TrainingListener listener : epochListeners) {
                listener.onEpochEnd(graph);
            }
            graph.incrementEpochCount(); // saved in the checkpoint's configuration, and so restored on resume
            return new EpochTrainLoss(steps.meanLoss(), steps.lastFactor());
        }
    }

    /** Refuses a validation iterator without a batch: each epoch's validation would have nothing to measure. */
    private static void requireBatches(DataSetIterator validation) {
        if (validation.resetSupported()) {
            validation.reset();
        }
        if (!validation.hasNext()) {
            throw new IllegalArgumentException("the validation iterator (" + DataIdentity.of(validation) + ") yields"
                    + " no batch, so there is nothing to validate on after each epoch: give validation data of at"
                    + " least one example. Nothing was trained or saved.");
        }
        if (validation.resetSupported()) {
            validation.reset(); // drops what hasNext() decoded ahead, which would only compete with the first epoch
        }
    }

    private Map<String, Double> validate(UNet unet, DataSetIterator validation, int epoch, TrainingState state) {
        TrainingBatches.Checked batches = TrainingBatches.checked(unet.config(), validation,
                batch -> "validation batch " + batch + " (after epoch " + epoch + ")");
        Map<String, Double> metrics;
        try {
            metrics = validator.validate(unet, batches);
        } catch (NaNPredictionsException e) {
            batches.throwIfRefused(e);
            throw Divergence.ofPredictions(e, epoch, lastGoodCheckpoint(state));
        } catch (OutOfMemoryError | RuntimeException e) {
            batches.throwIfRefused(e);
            NativeMemoryErrors.throwIfOutOfNativeMemory(e,
                    new Workload(Phase.VALIDATION, unet.config(), batchSizeOf(validation), unet.config().input()));
            throw e;
        }
        batches.throwIfRefused(null);
        return metrics;
    }

    /** The iterator's batch size; 0 when it does not tell. */
    private static int batchSizeOf(DataSetIterator iterator) {
        try {
            return Math.max(0, iterator.batch());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private ProgressBar progressBar(int epoch, long steps) {
        if (!config.progressBar()) {
            return null;
        }
        ProgressBarBuilder bar = new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + config.epochs())
                .setInitialMax(steps).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000);
        if (!StandardErrorTerminal.isTerminal()) {
            // Standard error is a log file, a pipe, CI or an IDE's window: lines, not one line redrawn with carriage
            // returns.
            bar.setConsumer(new ProgressLines(System.err)).setUpdateIntervalMillis(ProgressLines.INTERVAL_MILLIS);
        }
        return bar.build();
    }

    private String lastGoodCheckpoint(TrainingState state) {
        Path last = config.checkpointDirectory().resolve(LAST);
        return state.completedEpochs() == 0 ? "; no epoch had finished, so there is no checkpoint"
                : "; the last good checkpoint is " + last + " (epoch " + state.completedEpochs() + ")";
    }

    private static long countSteps(DataSetIterator train) {
        if (train instanceof BatchCount known) {
            return known.batchesPerEpoch();
        }
        train.reset();
        long steps = 0;
        while (train.hasNext()) {
            train.next();
            steps++;
        }
        train.reset();
        return steps;
    }

    /**
     * Each parameter's configured learning rate, keyed {@code layer/param}, from the layers' updaters.
     *
     * @throws IllegalArgumentException when an updater has a learning-rate schedule of its own, which the rates
     *                                  read here and then scaled step by step would replace
     */
    static Map<String, Double> learningRates(ComputationGraph graph) {
        UpdaterSchedules.requireFixedRates(graph, "a trainer sets each step's rate itself, as its schedule's factor"
                + " of the updater's fixed rate (TrainingConfig.schedule; on Spark SparkTraining.schedule)");
        Map<String, Double> rates = new HashMap<>();
        for (Layer layer : graph.getLayers()) {
            var conf = layer.conf().getLayer();
            for (String param : layer.paramTable().keySet()) {
                IUpdater updater = conf.getUpdaterByParam(param);
                if (updater != null && updater.hasLearningRate()) {
                    rates.put(conf.getLayerName() + "/" + param, updater.getLearningRate(0, 0));
                }
            }
        }
        return rates;
    }

    /**
     * Sets every parameter's rate to its base rate times {@code factor}. The layers' updater configurations are the
     * objects that DL4J's updater blocks read each step, so this takes effect at once, for built-in and SameDiff
     * layers alike (DL4J's {@code NetworkUtils.setLearningRate} skips SameDiff layers).
     */
    static void applyLearningRates(ComputationGraph graph, Map<String, Double> baseRates, double factor) {
        for (Layer layer : graph.getLayers()) {
            var conf = layer.conf().getLayer();
            for (String param : layer.paramTable().keySet()) {
                Double base = baseRates.get(conf.getLayerName() + "/" + param);
                IUpdater updater = conf.getUpdaterByParam(param);
                if (base != null && updater != null) {
                    updater.setLrAndSchedule(base * factor, null);
                }
            }
        }
    }

}
