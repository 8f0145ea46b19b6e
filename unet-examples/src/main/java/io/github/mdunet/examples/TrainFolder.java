package io.github.mdunet.examples;

import io.github.mdunet.app.AugmentOptions;
import io.github.mdunet.app.BadInputException;
import io.github.mdunet.app.ClassicEncoderOptions;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ConsoleAppCommand;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.app.RunFolder;
import io.github.mdunet.app.ScheduleOption;
import io.github.mdunet.app.SegmentationFolderOptions;
import io.github.mdunet.app.TrainingOptions;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.train.EarlierRun;
import io.github.mdunet.core.train.EarlyStopping;
import io.github.mdunet.core.train.EpochFitter;
import io.github.mdunet.core.train.EpochRecord;
import io.github.mdunet.core.train.LearningRateFinder;
import io.github.mdunet.core.train.LearningRateSweep;
import io.github.mdunet.core.train.Monitor;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.core.train.TrainingConfig;
import io.github.mdunet.core.train.TrainingResult;
import io.github.mdunet.core.train.Validator;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.stats.ClassFrequencies;
import io.github.mdunet.examples.dashboard.TrainingDashboard;
import io.github.mdunet.examples.evaluate.FolderEvaluation;
import io.github.mdunet.examples.report.LearningRateSweepFiles;
import io.github.mdunet.examples.report.TrainingReport;
import io.github.mdunet.parallel.DataParallel;
import io.github.mdunet.parallel.ParallelFitter;
import io.github.mdunet.parallel.SyncMode;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import io.github.mdunet.tuning.memory.MemoryHeadroom;
import io.github.mdunet.zoo.Weights;
import io.github.mdunet.zoo.ZooBackbone;
import io.github.mdunet.zoo.ZooEncoder;
import io.github.mdunet.zoo.pretrained.MissingWeightsException;
import io.github.mdunet.zoo.pretrained.PretrainedWeights;
import io.github.mdunet.zoo.training.EncoderFreezer;
import io.github.mdunet.zoo.training.FineTuning;
import io.github.mdunet.zoo.training.FrozenBatchNorm;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.deeplearning4j.optimize.api.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains a U-Net on a user's segmentation folder ({@code images/} + {@code masks/} paired by file stem) and writes the
 * best model, its scores on the validation images and the run's HTML report to the output folder; with
 * {@code --find-lr}, sweeps the learning rate on the same model and batches instead (fastai's {@code lr_find}).
 */
@Command(name = "train-folder", mixinStandardHelpOptions = true,
        description = "Trains a U-Net on a folder of images and masks (class ids, or colours with --mask-palette),"
                + " saves the best model and writes its scores and the run's " + TrainingReport.FILE_NAME + ".")
public final class TrainFolder extends ConsoleAppCommand {

    private static final String AUTO_WEIGHTS = "auto";

    /** The options that only a training run uses, which {@code --find-lr} notes when given. */
    private static final List<String> TRAINING_RUN_ONLY = List.of("--learning-rate", "--epochs", "--schedule",
            "--patience", "--workers", "--sync", "--averaging-frequency", "--resume", "--fresh", "--ui",
            "--encoder-lr-factor");

    /** Loss choices on the command line. */
    enum LossChoice { CROSS_ENTROPY, DICE, FOCAL, CROSS_ENTROPY_DICE, TVERSKY, LOVASZ }

    @Mixin
    LabelledFolderOption data = new LabelledFolderOption();

    @Option(names = "--classes", required = true, description = "Number of classes, background included.")
    Integer classes;

    @Option(names = "--output", description = "Where checkpoints and the best model go.")
    Path output = Path.of("output", "train");

    @Mixin
    InputSizeOptions input = new InputSizeOptions(128, 128);

    @Option(names = "--encoder", converter = EncoderChoice.Converter.class,
            completionCandidates = EncoderChoice.Names.class, description = "One of ${COMPLETION-CANDIDATES}.")
    EncoderChoice encoder = EncoderChoice.CLASSIC;

    /** The classic encoder's size; a zoo encoder has its own, and refuses these. */
    @Mixin
    ClassicEncoderOptions classicEncoder = new ClassicEncoderOptions(4, 32);

    @Option(names = "--pretrained", description = "Start a zoo encoder from the zoo's ImageNet weights (the file must"
            + " be in DL4J's cache directory).")
    boolean pretrained;

    @Option(names = "--encoder-weights", paramLabel = "FILE", description = "Start a zoo encoder from your own weights"
            + " instead: a DL4J model file of the zoo model (ModelSerializer, e.g. trained on images like yours), or a"
            + " U-Net model file of an earlier run with the same --encoder (its encoder's weights, by layer name);"
            + " no checksum is checked.")
    Path encoderWeights;

    @Option(names = "--freeze-epochs", description = "With --pretrained or --encoder-weights, fastai's fine_tune:"
            + " first this many epochs with the encoder frozen (one cycle warming up over 99%% of its steps), then"
            + " --epochs epochs of the"
            + " whole U-Net at half --learning-rate, the encoder at --encoder-lr-factor of that (--schedule defaults"
            + " to fastai's one cycle for this stage: 30%% warm-up from a fifth of the rate). 0 trains everything from"
            + " the start. --learning-rate defaults to fastai's 2e-3 for it. With --find-lr, the sweep runs on the"
            + " frozen U-Net.")
    int freezeEpochs;

    @Option(names = "--encoder-lr-factor", description = "With --freeze-epochs: the encoder's learning rate over the"
            + " decoder's once it is unfrozen, in (0, 1] (default: 0.1); the encoder's early layers (up to its third"
            + " skip) learn at its square, as fastai's slice(lr / 100, lr).")
    Double encoderLearningRateFactor;

    @Option(names = "--train-bn", negatable = true, description = "With --freeze-epochs: the frozen encoder's batch"
            + " norms train in the frozen epochs (their scales, shifts and running statistics; backprop runs through"
            + " the encoder), as fastai's train_bn does by default; --no-train-bn freezes them with the rest of the"
            + " encoder (no backprop into it). Default: --train-bn.")
    Boolean trainBatchNorm;

    @Mixin
    DecoderOptions decoder = new DecoderOptions();

    @Option(names = "--loss", description = "${COMPLETION-CANDIDATES}.")
    LossChoice loss = LossChoice.CROSS_ENTROPY;

    @Option(names = "--class-weights", paramLabel = "auto|W0,W1,...", description = "Weigh the loss per class: one"
            + " weight per class, or auto for median frequency balancing over the training masks (rare classes weigh"
            + " more). With --loss cross_entropy this is weighted cross-entropy (the focal loss with gamma 0).")
    String classWeights;

    @Option(names = "--tversky", split = ",", paramLabel = "ALPHA,BETA", description = "With --loss tversky: the"
            + " weights of false positives and false negatives (default: 0.3,0.7, missed pixels costing more).")
    List<Double> tversky;

    @Mixin
    TrainingOptions training = new TrainingOptions(20, 8, 1e-3);

    @Mixin
    ScheduleOption schedule = new ScheduleOption();

    @Mixin
    AugmentOptions augment = new AugmentOptions();

    @Option(names = "--workers", description = "Data-parallel workers (model copies) on this machine, with DL4J's"
            + " ParallelWrapper; 1 trains on one device.")
    int workers = 1;

    @Option(names = "--sync", description = "How --workers keep their copies in step: ${COMPLETION-CANDIDATES}.")
    SyncMode sync = SyncMode.AVERAGING;

    @Option(names = "--averaging-frequency", description = "With --sync averaging: rounds of one batch per worker"
            + " between averages.")
    int averagingFrequency = 1;

    @Option(names = "--patience", description = "Early-stopping patience in epochs; 0 = off.")
    int patience = 5;

    @Mixin
    SegmentationFolderOptions folder = new SegmentationFolderOptions();

    @Option(names = "--seed", description = "Seed for the split, augmentation and weights.")
    long seed = 1;

    @Mixin
    RunStartOptions runStart = new RunStartOptions();

    @Mixin
    DashboardOptions dashboard = new DashboardOptions();

    @Mixin
    LearningRateFinderOptions findLearningRate = new LearningRateFinderOptions();

    public static void main(String[] args) {
        CommandLines.runMain(args, () -> CommandLines.of(new TrainFolder()));
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        UNetConfig model = checkedOptions();
        if (findLearningRate.enabled()) {
            return findLearningRate(model);
        }
        // The dashboard's port is the one option only binding it can check: bound before the earlier run is looked at
        // or set aside and before any data is read, so a busy port leaves everything as it was.
        try (TrainingDashboard ui = dashboard.start(commandLine())) {
            return train(model, ui, start);
        }
    }

    private int train(UNetConfig model, TrainingDashboard ui, long start) throws Exception {
        Path checkpoints = RunFolder.checkpoints(output);
        // A fine-tuning run's frozen stage counts as an earlier run whether or not this one fine-tunes.
        runStart.prepare(commandLine(), checkpoints, List.of(FineTuning.FROZEN_STAGE),
                List.of(output.resolve(TrainingReport.FILE_NAME), output.resolve(TrainingReports.EVALUATION)));
        boolean fineTuned = EarlierRun.in(FineTuning.frozenStageDirectory(checkpoints)).isPresent();
        if (runStart.resumedAfterEpoch() > 0 && fineTuned != (fineTuning() != null)) {
            throw usage("--resume: " + checkpoints + (fineTuned ? " holds a fine-tuning run (its frozen stage in "
                    + FineTuning.FROZEN_STAGE + "/): resume it with the --freeze-epochs it started with"
                    : " holds a run that was not fine-tuned: resume it without --freeze-epochs")
                    + ", or start a new run with --fresh");
        }
        SegmentationDataset dataset = folder.open(data.path(), classes, seed);
        model = withCountedClassWeights(model, dataset);
        TrainingOptions.Values trainingValues = training.values();
        int batch = trainingValues.batch();
        PipelineConfig pipeline = PipelineConfig.training(model, batch, seed).withAugment(augment.config());
        // Recorded in the model's files, so that predict and evaluate see and read whole images as training did.
        ImageFraming framing = pipeline.augment().predictionFraming();
        // A resumed run takes every weight from its checkpoint: the pretrained file is neither needed nor read.
        UNet unet = (runStart.resumedAfterEpoch() > 0 ? UNet.build(model) : PretrainedWeights.build(model))
                .withTrainingRecord(pipeline.augment().trainingRecord()
                        .withSignificantBits(folder.significantBits()));
        EpochFitter fitter = fitter();
        System.out.printf(Locale.ROOT, "%d training, %d validation samples; U-Net with %,d parameters; training on"
                        + " %s%n%s%n", dataset.training().size(), dataset.validation().size(), unet.numParams(),
                fitter.describe(), unet.channelPlan().toTable());
        // Each worker trains a copy of the model on its own batches.
        MemoryHeadroom.now(new MemoryEstimator().estimate(model, batch), workers).report(System.out, "--batch");
        FineTuning fineTuning = fineTuning();
        TrainingConfig run = TrainingConfig.of(trainingValues.epochs(), checkpoints)
                .withSchedule(fineTuning != null && !OptionChecks.given(commandLine(), "--schedule")
                        ? FineTuning.unfrozenSchedule() : schedule.schedule())
                .withMonitor(Monitor.maximize(Validator.MEAN_IOU))
                .withEarlyStopping(patience > 0 ? new EarlyStopping(patience, 0.0) : null);
        if (fineTuning != null) {
            System.out.printf(Locale.ROOT, "Fine-tuning at learning rate %s: %d epoch(s) with the encoder frozen (%s),"
                            + " then %d with everything at half the rate, the encoder at %s of it (its early layers at"
                            + " %s)%n", learningRate(),
                    fineTuning.frozenEpochs(), switch (fineTuning.frozenBatchNorm()) {
                        case TRAINED -> "its batch norms training";
                        case FROZEN -> "its batch norms too";
                    }, trainingValues.epochs(), fineTuning.encoderLearningRateFactor(),
                    new BigDecimal(fineTuning.encoderLearningRateFactor() * fineTuning.encoderLearningRateFactor())
                            .round(new MathContext(3)).stripTrailingZeros().toPlainString());
        }
        // One set of listeners for the whole run: the training UI follows the first session it sees, so both stages
        // of a fine-tuning run report to the same one.
        List<TrainingListener> listeners = ui == null ? List.of() : ui.listeners();
        FineTuning.Trainers trainers = stage -> new Trainer(stage, Validator.segmentation()).withFitter(fitter)
                .withListeners(listeners);
        TrainingResult result;
        // Each worker takes a batch per round: have as many decoded ahead (the pipeline's own threads). The data is
        // opened and its iterators made before the earlier run is set aside: data refused leaves it where it was.
        try (PairedDataSetIterator train = dataset.trainIterator(pipeline.withPrefetch(2 * workers, 1));
             PairedDataSetIterator validation = dataset.validationIterator(pipeline)) {
            runStart.setAsideEarlierRun();
            result = fineTuning == null ? trainers.of(run).fit(unet, train, validation)
                    : fineTuning.fit(unet, run, trainers, train, validation).combined();
        }
        if (fineTuning == null && result.model() != unet) {
            unet.graph().close(); // the run resumed from its checkpoint's model: this one only held its configuration
        }
        EpochRecord best = result.history().get(result.bestEpoch() - 1);
        System.out.printf(Locale.ROOT, "%s. Best epoch %d: %s%nBest model: %s%n", result.stopReason(),
                result.bestEpoch(), EpochRecord.describe(best.validation()), result.bestModel().toAbsolutePath());
        Path report = TrainingReports.write(spec(), output, result, dataset.validation(), folder.encoding(),
                FolderEvaluation.numberedClasses(classes), framing, start, runStart.resumedAfterEpoch());
        System.out.println("Report: " + report.toAbsolutePath());
        System.out.printf(Locale.ROOT, "Predict: mdunet predict --model %s --input IMAGES (%s, as in training)%n",
                result.bestModel().toAbsolutePath(), framing == ImageFraming.RESIZE
                        ? "each image stretched to the input and back" : tileScale(pipeline.augment()));
        System.out.printf(Locale.ROOT, "mean IoU: %.4f%n", best.validation().get(Validator.MEAN_IOU));
        return 0;
    }

    /**
     * fastai's {@code lr_find} on the model and training batches this command line would train: writes the sweep to
     * {@code OUTPUT/lr-find} and prints the suggested rates; no checkpoint, report or earlier run is touched.
     */
    private int findLearningRate(UNetConfig checkedModel) throws Exception {
        UNetConfig model = checkedModel;
        List<String> unused = TRAINING_RUN_ONLY.stream().filter(name -> OptionChecks.given(commandLine(), name))
                .toList();
        if (!unused.isEmpty()) {
            System.out.println("--find-lr sweeps the rate on one device and trains nothing: "
                    + String.join(", ", unused) + " apply to the training run and are not used here.");
        }
        // Made first, so that an output the sweep cannot write to fails before the sweep, not after it.
        Path directory = Files.createDirectories(output.resolve(LearningRateSweepFiles.DIRECTORY));
        SegmentationDataset dataset = folder.open(data.path(), classes, seed);
        model = withCountedClassWeights(model, dataset);
        PipelineConfig pipeline = PipelineConfig.training(model, training.values().batch(), seed)
                .withAugment(augment.config());
        UNet unet = PretrainedWeights.build(model);
        if (fineTuning() != null) {
            UNet pretrainedUNet = unet;
            unet = EncoderFreezer.freeze(pretrainedUNet); // fastai's unet_learner sweeps with its encoder frozen
            pretrainedUNet.graph().close();
        }
        LearningRateFinder.Settings settings = findLearningRate.settings();
        System.out.printf(Locale.ROOT, "%d training samples; U-Net with %,d parameters; sweeping the learning rate"
                        + " from %.1e to %.1e over at most %d steps%n", dataset.training().size(), unet.numParams(),
                settings.startRate(), settings.endRate(), settings.steps());
        MemoryHeadroom.now(new MemoryEstimator().estimate(model, training.values().batch()), 1)
                .report(System.out, "--batch");
        LearningRateSweep sweep;
        try (PairedDataSetIterator train = dataset.trainIterator(pipeline)) {
            sweep = new LearningRateFinder(settings).find(unet, train);
        }
        LearningRateSweepFiles.report(sweep, settings, directory, System.out);
        return 0;
    }

    /**
     * {@code model} with {@code --class-weights auto}'s weights, counted in the training masks; {@code model} itself
     * for given weights or none.
     */
    private UNetConfig withCountedClassWeights(UNetConfig model, SegmentationDataset dataset) {
        if (!AUTO_WEIGHTS.equals(classWeights)) {
            return model;
        }
        long start = System.nanoTime();
        ClassFrequencies counted = dataset.trainingClassFrequencies(); // counted by the validation pass
        double[] weights;
        try {
            weights = counted.medianFrequencyWeights();
        } catch (IllegalStateException e) {
            throw new BadInputException("--class-weights auto: " + e.getMessage() + " in "
                    + dataset.training().size() + " training masks of " + data.path());
        }
        List<Integer> absent = counted.absentClasses();
        System.out.printf(Locale.ROOT, "Class weights (median frequency balancing over %d training masks, %.1f s):"
                + " %s%s%n", dataset.training().size(), (System.nanoTime() - start) / 1e9, Arrays.stream(weights)
                .mapToObj(w -> String.format(Locale.ROOT, "%.4g", w)).collect(Collectors.joining(",")),
                absent.isEmpty() ? "" : " (weight 0 for " + (absent.size() == 1 ? "class " : "classes ")
                        + absent.stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + ", of no pixel in the training masks: see the warning above)");
        return model.toBuilder().loss(lossConfig(Arrays.stream(weights).boxed().toList())).build();
    }

    /**
     * {@code --learning-rate}; fastai's {@code fine_tune} base rate, {@value FineTuning#BASE_LEARNING_RATE}, when a
     * fine-tuning run does not give one.
     */
    private double learningRate() {
        return fineTuning() != null && !OptionChecks.given(commandLine(), "--learning-rate")
                ? FineTuning.BASE_LEARNING_RATE : training.values().learningRate();
    }

    /**
     * {@code --freeze-epochs}, {@code --encoder-lr-factor} and {@code --[no-]train-bn}; null when the run trains
     * everything from the start.
     */
    FineTuning fineTuning() {
        FineTuning fastai = FineTuning.fastai();
        return freezeEpochs == 0 ? null : new FineTuning(freezeEpochs,
                encoderLearningRateFactor == null ? fastai.encoderLearningRateFactor() : encoderLearningRateFactor,
                trainBatchNorm == null ? fastai.frozenBatchNorm()
                        : trainBatchNorm ? FrozenBatchNorm.TRAINED : FrozenBatchNorm.FROZEN);
    }

    /** The weights {@code --class-weights} gives, empty for none or before {@code auto} is counted. */
    private List<Double> givenClassWeights() {
        if (classWeights == null || AUTO_WEIGHTS.equals(classWeights)) {
            return List.of();
        }
        try {
            return Arrays.stream(classWeights.split(",")).map(String::trim).map(Double::valueOf).toList();
        } catch (NumberFormatException e) {
            throw usage("--class-weights takes auto or one number per class, background first, but was "
                    + classWeights + " (e.g. --class-weights " + String.join(",", Collections.nCopies(classes, "1"))
                    + ")");
        }
    }

    /**
     * Every option checked before any data is read or written, each failure naming the option, its value and the fix
     * ({@link ExitCode#BAD_OPTION}); the model's configuration built from them.
     */
    UNetConfig checkedOptions() {
        training.check(commandLine());
        OptionChecks.atLeast(commandLine(), "--classes", classes, 2,
                "background and at least one class, since the head is a softmax");
        input.check(commandLine());
        OptionChecks.atLeast(commandLine(), "--patience", patience, 0, "0 turns early stopping off");
        OptionChecks.atLeast(commandLine(), "--workers", workers, 1, "1 trains on one device, 2 or more in parallel");
        OptionChecks.atLeast(commandLine(), "--averaging-frequency", averagingFrequency, 1,
                "e.g. --averaging-frequency 1, averaging after every round");
        if (workers == 1 && (sync != SyncMode.AVERAGING || averagingFrequency != 1)) {
            throw usage("--sync and --averaging-frequency need --workers 2 or more, but --workers was 1");
        }
        if (sync == SyncMode.SHARED_GRADIENTS && averagingFrequency != 1) {
            throw usage("--averaging-frequency applies to --sync averaging only, but --sync was shared_gradients:"
                    + " drop --averaging-frequency");
        }
        folder.check(commandLine(), classes);
        OptionChecks.outputFolder(commandLine(), "--output", output);
        classicEncoder.check(commandLine());
        List<String> classicOnly = Stream.of("--depth", "--base-width")
                .filter(option -> OptionChecks.given(commandLine(), option)).toList();
        if (!encoder.classic() && !classicOnly.isEmpty()) {
            throw usage(String.join(" and ", classicOnly) + (classicOnly.size() == 1 ? " sizes" : " size")
                    + " the classic encoder, but --encoder was " + encoder
                    + ", a zoo backbone of its own size: drop " + String.join(" and ", classicOnly) + ", or give"
                    + " --encoder classic");
        }
        runStart.check(commandLine());
        dashboard.check(commandLine());
        findLearningRate.check(commandLine());
        List<Double> weights = givenClassWeights();
        if (!weights.isEmpty() && (weights.size() != classes || weights.stream().anyMatch(w -> !(w >= 0)
                || w.isInfinite()) || weights.stream().allMatch(w -> w == 0))) {
            throw usage("--class-weights takes one finite weight >= 0 per class, not all 0, background first, but was "
                    + classWeights + " for --classes " + classes + " (e.g. --class-weights "
                    + String.join(",", Collections.nCopies(classes, "1")) + ", or auto)");
        }
        OptionChecks.atLeast(commandLine(), "--freeze-epochs", freezeEpochs, 0, "0 trains everything from the start");
        if (freezeEpochs > 0 && !pretrained && encoderWeights == null) {
            throw usage("--freeze-epochs " + freezeEpochs + " fine-tunes pretrained weights, but the encoder starts"
                    + " from random ones: add --pretrained or --encoder-weights FILE (with a zoo --encoder), or drop"
                    + " --freeze-epochs");
        }
        if (encoderWeights != null) {
            encoder(); // a classic encoder is refused before the file is looked for
            if (pretrained) {
                throw usage("--pretrained and --encoder-weights both say where the encoder's weights come from: give"
                        + " one");
            }
        }
        if (trainBatchNorm != null && freezeEpochs == 0) {
            throw usage("--" + (trainBatchNorm ? "" : "no-") + "train-bn says what the frozen encoder's batch norms do"
                    + " in the --freeze-epochs epochs: add --freeze-epochs 1, or drop it");
        }
        if (encoderLearningRateFactor != null && freezeEpochs == 0) {
            throw usage("--encoder-lr-factor sets the encoder's rate once --freeze-epochs unfreezes it: add"
                    + " --freeze-epochs 1, or drop --encoder-lr-factor");
        }
        try {
            fineTuning();
        } catch (IllegalArgumentException e) {
            throw usage("--freeze-epochs " + freezeEpochs + " --encoder-lr-factor " + encoderLearningRateFactor + ": "
                    + e.getMessage());
        }
        if (tversky != null && loss != LossChoice.TVERSKY) {
            throw usage("--tversky sets the Tversky loss's weights, but --loss was " + loss + ": add --loss tversky");
        }
        try {
            augment.config();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        ImageShape shape = input.shape(3);
        UNetConfig model = OptionChecks.validUNet(commandLine(), () -> decoder.applyTo(UNetConfig.builder())
                        .encoder(encoder())
                        .input(shape)
                        .numClasses(classes)
                        .loss(lossConfig(givenClassWeights()))
                        .updater(new TorchAdam(learningRate()))
                        .seed(seed)
                        .build(),
                "--encoder " + encoder + (encoder.classic() ? ", --depth " + classicEncoder.depth()
                        + ", --base-width " + classicEncoder.baseWidth() : "") + ", --height " + shape.height()
                        + ", --width " + shape.width() + ", --mid-scale " + decoder.midScale());
        requireUsableWeights(model);
        return model;
    }

    /**
     * The encoder's weights file found and its checksum checked before any data is read; not when resuming, which
     * takes every weight from the checkpoint.
     */
    private void requireUsableWeights(UNetConfig model) {
        if (runStart.resume || !(model.encoder() instanceof ZooEncoder zoo && zoo.weights().pretrained())) {
            return;
        }
        try {
            PretrainedWeights.verify(zoo.backbone(), zoo.weights());
        } catch (MissingWeightsException missing) {
            // the library's remedy is its API (Weights.file); this app's is an option
            throw new BadInputException("--pretrained: " + missing.withRemedy("give a copy from elsewhere with"
                    + " --encoder-weights FILE in place of --pretrained (it skips the zoo's checksum)"), missing);
        } catch (IOException e) {
            throw new BadInputException((pretrained ? "--pretrained: " : "--encoder-weights: ") + e.getMessage(), e);
        }
    }

    /** One device, or {@code --workers} data-parallel workers. */
    EpochFitter fitter() {
        if (workers == 1) {
            return EpochFitter.sequential();
        }
        return new ParallelFitter(new DataParallel(workers, sync, averagingFrequency, 0));
    }

    private Encoder encoder() {
        if (encoder.classic()) {
            if (pretrained || encoderWeights != null) {
                throw usage((pretrained ? "--pretrained" : "--encoder-weights") + " needs a zoo encoder (e.g."
                        + " --encoder resnet50); the classic encoder has no pretrained weights");
            }
            return classicEncoder.encoder(Normalization.BATCH);
        }
        ZooBackbone backbone = encoder.backbone();
        if (encoderWeights != null) {
            // Absolute, so that a resumed run from another folder names the same file.
            return new ZooEncoder(backbone, Weights.ownFile(encoderWeights.toAbsolutePath().normalize().toString()));
        }
        return pretrained ? ZooEncoder.imagenet(backbone) : ZooEncoder.random(backbone);
    }

    /** The {@code --loss} with {@code weights}, one per class or empty for none. */
    private Loss lossConfig(List<Double> weights) {
        return switch (loss) {
            // Weighted cross-entropy is the focal loss with gamma 0 (the head's default loss takes no weights).
            case CROSS_ENTROPY -> weights.isEmpty() ? new Loss.HeadDefault() : new Loss.Focal(0.0, weights);
            case DICE -> new Loss.Dice(weights);
            case FOCAL -> new Loss.Focal(2.0, weights);
            case CROSS_ENTROPY_DICE -> new Loss.CrossEntropyDice(1.0, 1.0, weights);
            case TVERSKY -> tverskyLoss(weights);
            case LOVASZ -> new Loss.Lovasz(weights);
        };
    }

    /** {@code --loss tversky} with {@code --tversky ALPHA,BETA}, or Salehi et al.'s 0.3 and 0.7. */
    private Loss tverskyLoss(List<Double> weights) {
        if (tversky == null) {
            return new Loss.Tversky(0.3, 0.7, weights);
        }
        if (tversky.size() != 2) {
            throw usage("--tversky takes ALPHA,BETA (two weights) but was " + tversky + " (e.g. --tversky 0.3,0.7)");
        }
        try {
            return new Loss.Tversky(tversky.get(0), tversky.get(1), weights);
        } catch (IllegalArgumentException e) {
            throw usage("--tversky " + tversky.get(0) + "," + tversky.get(1) + ": " + e.getMessage());
        }
    }

    /** Where prediction tiles a model trained with {@code augment}'s crops: at the scale its validation crops had. */
    static String tileScale(AugmentConfig augment) {
        double scale = augment.trainingRecord().scale().orElse(1);
        return scale == 1 ? "in tiles at each image's own scale" : "in tiles of each image resampled by "
                + new BigDecimal(scale).round(new MathContext(4)).stripTrailingZeros().toPlainString()
                + ", the training crops' scale";
    }
}
