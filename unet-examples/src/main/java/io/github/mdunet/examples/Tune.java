package io.github.mdunet.examples;

import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ConsoleAppCommand;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.app.ParsingConverter;
import io.github.mdunet.app.SegmentationFolderOptions;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import io.github.mdunet.tuning.candidate.CandidateStatus;
import io.github.mdunet.tuning.memory.EncoderShorthand;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import io.github.mdunet.tuning.search.CandidateCount;
import io.github.mdunet.tuning.search.CandidatePlanner;
import io.github.mdunet.tuning.search.MidChannelScales;
import io.github.mdunet.tuning.search.SearchPlan;
import io.github.mdunet.tuning.search.SearchResult;
import io.github.mdunet.tuning.search.SearchSpace;
import io.github.mdunet.tuning.search.SearchStrategy;
import io.github.mdunet.tuning.search.UNetSearch;
import io.github.mdunet.zoo.ZooEncoder;
import io.github.mdunet.zoo.pretrained.MissingWeightsException;
import io.github.mdunet.zoo.pretrained.PretrainedWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.Pointer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A memory-bounded search over {@code midChannelScale} and the channel reduction, on a segmentation folder or on
 * synthetic shapes, for any encoder {@link EncoderShorthand} knows: every candidate whose estimated training memory
 * exceeds the budget is rejected without being built. It first prints the plan (every candidate with its parameter
 * count, estimated training memory and whether it fits); {@code --plan-only} stops there, without reading an image
 * or allocating a network. A grid search tries every point of its grid unless {@code --candidates} limits it; the
 * plan then says how many points the limit keeps, which values it leaves untried and the limit that covers the grid.
 *
 * <p>Exit status ({@link ExitCode}): 0 when a candidate was trained (with {@code --plan-only}: when at least one
 * fits), 4 when none fits the budget, 2 for a bad option, 3 for bad data or missing pretrained weights, 1 when every
 * candidate that fits failed.
 */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Searches midChannelScale x channel reduction under a memory budget, on a segmentation folder"
                + " (--data) or on synthetic shapes.",
                "--plan-only prints every candidate with its parameters, estimated training memory and whether it"
                        + " fits the budget, and exits without training."})
public final class Tune extends ConsoleAppCommand {

    /** How candidates are generated. */
    enum StrategyChoice { GRID, RANDOM }

    static final int DEFAULT_SIDE = 64;
    static final int DEFAULT_SYNTHETIC_IMAGES = 240;
    /** Explicit mid scales by default: the seed configuration's 1.0, fastai's rule 2.0, and a smaller 0.5. */
    static final List<Double> DEFAULT_SCALES = List.of(0.5, 1.0, 2.0);
    /** The default mid-scale range that {@code --scale-steps} divides ({@code --min-scale}, {@code --max-scale}). */
    static final MidChannelScales.Range SCALE_RANGE = new MidChannelScales.Range(0.25, 2.0);
    /** The folder under OUTPUT that synthetic shapes go to, one per image count and side (see {@link #dataFolder}). */
    static final String SYNTHETIC_DATA = "data-%d-images-%dpx";

    @Option(names = "--data", description = "Segmentation folder with images/ and masks/, as mdunet train reads it"
            + " (default: synthetic shapes written to OUTPUT/data-<images>-images-<side>px).")
    Path data;

    @Option(names = "--classes", description = "Number of classes in the masks, background included; required with"
            + " --data (synthetic shapes bring their own).")
    Integer classes;

    @Mixin
    SegmentationFolderOptions folder = new SegmentationFolderOptions();

    @Option(names = "--images", description = "Synthetic shapes only: images to write, the validation fraction held"
            + " out (default: " + DEFAULT_SYNTHETIC_IMAGES + ").")
    Integer images;

    @Option(names = "--encoder", converter = EncoderConverter.class, defaultValue = "classic:3:16",
            description = EncoderShorthand.FORMS + ", e.g. zoo:RESNET50.")
    Encoder encoder;

    @Option(names = "--pretrained", description = "Start the zoo encoder from the zoo's ImageNet weights (the file"
            + " must be in DL4J's cache directory; zoo encoders only). Every candidate trains the whole network,"
            + " encoder included, at the search's rate: fine-tune the winner with train --freeze-epochs.")
    boolean pretrained;

    @Option(names = "--height", description = "Input height (default: " + DEFAULT_SIDE + ").")
    Integer height;

    @Option(names = "--width", description = "Input width (default: " + DEFAULT_SIDE + ").")
    Integer width;

    @Option(names = "--size", description = "Shorthand for --height N --width N.")
    Integer size;

    @Option(names = "--batch", description = "Images per step; the memory is estimated for it.")
    int batch = 16;

    @Option(names = "--budget", converter = BudgetConverter.class, defaultValue = "1g",
            description = "Training memory budget with its unit (k, m, g or t, binary), e.g. 24g, 900m.")
    MemoryBudget budget;

    @Option(names = "--strategy", description = "${COMPLETION-CANDIDATES}.")
    StrategyChoice strategy = StrategyChoice.GRID;

    @Option(names = "--scales", split = ",", description = "midChannelScale values to try, each in (0, 4]"
            + " (default: 0.5,1,2).")
    List<Double> scales;

    @Option(names = "--scale-steps", description = "Instead of --scales: the range --min-scale to --max-scale,"
            + " divided into this many values by the grid, drawn from by the random search.")
    Integer scaleSteps;

    @Option(names = "--min-scale", description = "With --scale-steps only: the lowest midChannelScale of the range.")
    double minScale = SCALE_RANGE.min();

    @Option(names = "--max-scale", description = "With --scale-steps only: the highest midChannelScale of the range.")
    double maxScale = SCALE_RANGE.max();

    @Option(names = "--reductions", split = ",", showDefaultValue = Visibility.NEVER,
            description = "Channel reductions to try, among ${COMPLETION-CANDIDATES} (default: all).")
    List<ChannelReduction> reductions = List.of(ChannelReduction.values());

    @Option(names = "--upsample", split = ",", converter = UpsampleModeOption.class,
            completionCandidates = UpsampleModeOption.Names.class, showDefaultValue = Visibility.NEVER,
            description = "Upsample modes to try, among"
            + " ${COMPLETION-CANDIDATES} (default: " + UpsampleMode.PIXEL_SHUFFLE + ").")
    List<UpsampleMode> upsample = List.of(new UpsampleMode.PixelShuffle(false));

    @Option(names = "--attention", split = ",", arity = "1", defaultValue = "false",
            description = "Mid-block attention settings to try, e.g. false,true.")
    List<Boolean> attention;

    @Option(names = "--candidates", description = "At most this many candidates (default: every point of the grid"
            + " with --strategy grid, " + CandidateCount.DEFAULT_RANDOM_CANDIDATES + " with --strategy random).")
    Integer candidates;

    @Option(names = "--minutes", description = "Start no candidate after this many minutes.")
    int minutes = 30;

    @Option(names = "--epochs", description = "Training epochs per candidate.")
    int epochs = 2;

    @Option(names = "--seed", description = "Seed of the split, augmentation, weights and random search.")
    long seed = 1;

    @Option(names = "--output", description = "Output folder; rerun with the same one to resume, use another one for"
            + " another encoder, size or data.")
    Path output = Path.of("output", "tune");

    @Option(names = "--plan-only", description = "Print the candidates with their parameters, estimated training"
            + " memory and fit, then exit: no image is read, no network built.")
    boolean planOnly;

    /** A search that stops after the plan ({@code --plan-only} on from the start): the tool's {@code plan}. */
    public static Tune planOnly() {
        Tune tune = new Tune();
        tune.planOnly = true;
        return tune;
    }

    public static void main(String[] args) {
        CommandLines.runMain(args, () -> CommandLines.of(new Tune()));
    }

    @Override
    public Integer call() throws Exception {
        UNetConfig base = baseConfig();
        SearchSpace space = searchSpace();
        SearchStrategy searchStrategy = searchStrategy();
        // The limit, not the number planned: the plan's summary names it as --candidates.
        int limit = CandidateCount.of(space, searchStrategy,
                candidates == null ? OptionalInt.empty() : OptionalInt.of(candidates)).limit();
        SearchPlan plan = new CandidatePlanner(base, batch, budget, new MemoryEstimator())
                .plan(space, searchStrategy, limit);
        System.out.printf(Locale.ROOT, "%s U-Net, input %dx%dx%d, %d classes, batch %d, budget %s, %s search:%n",
                describe(base.encoder()), base.input().channels(), base.input().height(), base.input().width(),
                base.numClasses(), batch, budget, strategy.name().toLowerCase(Locale.ROOT));
        System.out.print(plan.table());
        System.out.println(plan.summary("--candidates"));
        // The search trains its candidates in this process.
        plan.nativeLimitWarning(Pointer.physicalBytes(), Pointer.maxPhysicalBytes(), "--budget")
                .ifPresent(System.out::println);
        Optional<String> missingWeights = missingPretrainedWeights(base.encoder());
        if (planOnly) {
            missingWeights.ifPresent(missing -> System.out.println("Note: " + missing));
            return (plan.fitting().isEmpty() ? ExitCode.NOTHING_FITS : ExitCode.OK).code();
        }
        if (missingWeights.isPresent()) {
            commandLine().getErr().println("--pretrained: " + missingWeights.get());
            return ExitCode.BAD_DATA.code();
        }
        return search(base, space, searchStrategy, limit);
    }

    private int search(UNetConfig base, SearchSpace space, SearchStrategy searchStrategy, int limit) {
        SegmentationDataset dataset = data != null ? folder.open(data, classes, seed)
                : folder.open(writeSyntheticShapes(base.input()), SyntheticShapes.NUM_CLASSES, seed);
        System.out.printf(Locale.ROOT, "%d training, %d validation samples%n", dataset.training().size(),
                dataset.validation().size());
        SearchResult result;
        PipelineConfig pipeline = PipelineConfig.training(base, batch, seed);
        try (PairedDataSetIterator train = dataset.trainIterator(pipeline);
             PairedDataSetIterator validation = dataset.validationIterator(pipeline)) {
            result = UNetSearch.builder()
                    .baseConfig(base)
                    .space(space)
                    .strategy(searchStrategy)
                    .budget(budget)
                    .batchSize(batch)
                    .data(train, validation)
                    .epochs(epochs)
                    .maxCandidates(limit)
                    .maxTime(Duration.ofMinutes(minutes))
                    .outputDirectory(output.resolve("search"))
                    .trainedAugmentation(pipeline.augment().trainingRecord())
                    .trainedSignificantBits(folder.significantBits())
                    .build()
                    .run();
        }
        System.out.println(result.table());
        System.out.println(result.message());
        System.out.println("results: " + result.resultsCsv().toAbsolutePath() + ", chart: "
                + result.chart().toAbsolutePath() + result.bestModel().map(p -> ", best model: " + p).orElse(""));
        if (result.best().isPresent()) {
            return ExitCode.OK.code();
        }
        boolean noneFits = result.candidates().stream()
                .allMatch(c -> c.status() == CandidateStatus.REJECTED);
        return (noneFits ? ExitCode.NOTHING_FITS : ExitCode.FAILED).code();
    }

    /**
     * Square synthetic images as large as the input's larger side (the pipeline frames them to the input), written
     * (again: the same files, a pure function of their number and side) to the folder of their number and side, so
     * that a rerun with other {@code --images} or input size never reads an earlier run's set, and one with the same
     * reads the same files and resumes the search.
     */
    private Path writeSyntheticShapes(ImageShape input) {
        int count = images == null ? DEFAULT_SYNTHETIC_IMAGES : images;
        int side = Math.max(input.height(), input.width());
        Path directory = dataFolder(output, count, side);
        SyntheticShapes.write(directory, count, side, 1);
        return directory;
    }

    /** Where the synthetic set of {@code count} images of {@code side} pixels goes under {@code output}. */
    static Path dataFolder(Path output, int count, int side) {
        return output.resolve(String.format(Locale.ROOT, SYNTHETIC_DATA, count, side));
    }

    /** Everything the search does not vary, from the options; every option is checked first. */
    private UNetConfig baseConfig() {
        checkDataOptions();
        int inputHeight = side("--height", height);
        int inputWidth = side("--width", width);
        OptionChecks.atLeast(commandLine(), "--batch", batch, 1, "e.g. --batch 8");
        if (candidates != null) {
            OptionChecks.atLeast(commandLine(), "--candidates", candidates, 1, "e.g. --candidates 9");
        }
        OptionChecks.atLeast(commandLine(), "--epochs", epochs, 1, "e.g. --epochs 2");
        OptionChecks.atLeast(commandLine(), "--minutes", minutes, 1, "e.g. --minutes 30");
        if (!planOnly) {
            OptionChecks.outputFolder(commandLine(), "--output", output);
        }
        // Every candidate shares the encoder and the input: if these give no valid U-Net, no candidate is valid.
        return OptionChecks.validUNet(commandLine(), () -> UNetConfig.builder()
                        .encoder(encoderWithWeights())
                        .input(new ImageShape(3, inputHeight, inputWidth))
                        .numClasses(data == null ? SyntheticShapes.NUM_CLASSES : classes)
                        .updater(new TorchAdam(2e-3))
                        .seed(seed)
                        .build(),
                "--encoder " + EncoderShorthand.nameOf(encoder) + ", " + (size != null ? "--size " + size
                        : "--height " + inputHeight + ", --width " + inputWidth));
    }

    private void checkDataOptions() {
        if (data != null && classes == null) {
            throw usage("--classes is required with --data (--data " + data + "): give the number of classes in the"
                    + " masks, background included, e.g. --classes 2");
        }
        if (data == null && classes != null) {
            throw usage("--classes " + classes + " applies to --data only; synthetic shapes have "
                    + SyntheticShapes.NUM_CLASSES + " classes: add --data FOLDER or drop --classes");
        }
        if (classes != null && classes < 2) {
            throw usage("--classes must be >= 2 (background and at least one class) but was " + classes);
        }
        if (data != null && images != null) {
            throw usage("--images " + images + " sets the number of synthetic images, but --data " + data
                    + " gives the images: drop --images");
        }
        if (images != null && images < 5) {
            throw usage("--images must be >= 5 (a fifth of them for validation) but was " + images);
        }
        if (data == null && folder.validationData() != null) {
            throw usage("--val-data " + folder.validationData() + " gives validation images for --data, but without"
                    + " --data the search trains on synthetic shapes: add --data FOLDER or drop --val-data");
        }
        if (data == null && folder.maskEncodingOption().isPresent()) {
            String option = folder.maskEncodingOption().get();
            throw usage(option + " applies to --data only; synthetic shapes have class-id masks: add --data"
                    + " FOLDER or drop " + option);
        }
        folder.check(commandLine(), classes == null ? SyntheticShapes.NUM_CLASSES : classes);
    }

    /** {@code --size} or the side's own option, else the default. */
    private int side(String option, Integer own) {
        if (size != null && own != null) {
            throw usage("--size " + size + " sets both --height and --width, so " + option + " " + own
                    + " contradicts it: give --size, or --height and --width");
        }
        if (own != null) {
            OptionChecks.atLeast(commandLine(), option, own, 1, "e.g. " + option + " 256");
            return own;
        }
        if (size != null) {
            OptionChecks.atLeast(commandLine(), "--size", size, 1, "e.g. --size 256");
            return size;
        }
        return DEFAULT_SIDE;
    }

    /** The parsed encoder, with the zoo's ImageNet weights when {@code --pretrained} asks for them. */
    private Encoder encoderWithWeights() {
        if (!pretrained) {
            return encoder;
        }
        if (!(encoder instanceof ZooEncoder zoo)) {
            throw usage("--pretrained needs a zoo encoder, but --encoder " + EncoderShorthand.nameOf(encoder)
                    + " has no pretrained weights: use e.g. --encoder zoo:RESNET50, or drop --pretrained");
        }
        return ZooEncoder.imagenet(zoo.backbone());
    }

    /**
     * Why the encoder's pretrained weights cannot be loaded (the file is missing or fails the zoo's checksum), or
     * empty when they can (or none are asked for): checked once here, not by every candidate in turn.
     */
    private static Optional<String> missingPretrainedWeights(Encoder encoder) {
        if (!(encoder instanceof ZooEncoder zoo && zoo.weights().pretrained())) {
            return Optional.empty();
        }
        try {
            PretrainedWeights.verify(zoo.backbone(), zoo.weights());
            return Optional.empty();
        } catch (MissingWeightsException missing) {
            // the library's remedy is its API (Weights.file); this app has no option for a file elsewhere
            return Optional.of(missing.withRemedy("drop --pretrained to search from random weights"));
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Mid scales, reductions, upsample modes and attention from the options. */
    private SearchSpace searchSpace() {
        SearchSpace space = SearchSpace.defaults().withMidChannelScales(midChannelScales());
        checked(() -> SearchSpace.checkChoices("--reductions", reductions, "e.g. --reductions EQ_SKIP"));
        checked(() -> SearchSpace.checkChoices("--upsample", upsample.stream().map(UpsampleMode::name).toList(),
                "e.g. --upsample " + UpsampleMode.PIXEL_SHUFFLE));
        checked(() -> SearchSpace.checkChoices("--attention", attention, "e.g. --attention false"));
        return space.withReductions(reductions).withUpsampleModes(upsample).withMidAttention(attention);
    }

    private MidChannelScales midChannelScales() {
        if (scales != null && scaleSteps != null) {
            throw usage("--scales " + join(scales) + " and --scale-steps " + scaleSteps + " both set the mid scales:"
                    + " give --scales (explicit values) or --scale-steps (the range [" + format(minScale) + ", "
                    + format(maxScale) + "] in steps), not both");
        }
        if (scaleSteps == null) {
            for (String option : List.of("--min-scale", "--max-scale")) {
                if (OptionChecks.given(commandLine(), option)) {
                    throw usage(option + " " + format(option.equals("--min-scale") ? minScale : maxScale)
                            + " sets an end of the range that --scale-steps divides, but --scale-steps is not given"
                            + " (the search tries --scales " + join(scales == null ? DEFAULT_SCALES : scales)
                            + "): add --scale-steps, e.g. --scale-steps 3, or drop " + option);
                }
            }
        }
        if (scaleSteps != null) {
            // Checked whatever the strategy: a random search draws from the range and never reads the steps.
            if (scaleSteps < 2) {
                throw usage("--scale-steps must be >= 2 but was " + scaleSteps + " (with any --strategy): it"
                        + " divides the range [" + format(minScale) + ", " + format(maxScale) + "] into at least its"
                        + " two ends; for one mid scale give --scales, e.g. --scales 1");
            }
            checked(() -> MidChannelScales.Range.check("--min-scale", "--max-scale", minScale, maxScale));
            return new MidChannelScales.Range(minScale, maxScale);
        }
        List<Double> values = scales == null ? DEFAULT_SCALES : scales;
        checked(() -> MidChannelScales.Values.check("--scales", values));
        return new MidChannelScales.Values(values);
    }

    private SearchStrategy searchStrategy() {
        return switch (strategy) {
            // With explicit scales a grid tries each value once and never reads scaleSteps; Grid needs a valid one.
            case GRID -> parsed("--scale-steps " + scaleSteps, () -> new SearchStrategy.Grid(
                    scaleSteps == null ? 2 : scaleSteps));
            case RANDOM -> new SearchStrategy.Random(seed);
        };
    }

    private static String describe(Encoder encoder) {
        String name = EncoderShorthand.nameOf(encoder);
        return encoder instanceof ZooEncoder zoo && zoo.weights().pretrained() ? name + " (pretrained)" : name;
    }

    private static String join(List<Double> values) {
        return values.stream().map(Tune::format).collect(Collectors.joining(","));
    }

    /** A scale as a user types it: {@code 2}, {@code 0.25}. */
    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** Runs a check whose message names the options itself: its refusal is a usage error with that message. */
    private void checked(Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private <T> T parsed(String optionAndValue, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw usage(optionAndValue + " is not valid: " + e.getMessage());
        }
    }

    /** {@code --encoder} through {@link EncoderShorthand}, whose message names the value and the accepted forms. */
    static final class EncoderConverter extends ParsingConverter<Encoder> {
        EncoderConverter() {
            super(EncoderShorthand::parse);
        }
    }

    /** {@code --budget} through {@link MemoryBudget#parse}. */
    static final class BudgetConverter extends ParsingConverter<MemoryBudget> {
        BudgetConverter() {
            super(MemoryBudget::parse);
        }
    }
}
