package io.github.mdunet.tuning;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.cpu.CpuAcceleration;
import io.github.mdunet.core.nativememory.NativeMemoryLimits;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.tuning.memory.EncoderNames;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import io.github.mdunet.tuning.search.CandidateStatus;
import io.github.mdunet.tuning.search.MidChannelScales;
import io.github.mdunet.tuning.search.SearchResult;
import io.github.mdunet.tuning.search.SearchSpace;
import io.github.mdunet.tuning.search.SearchStrategy;
import io.github.mdunet.tuning.search.SyntheticSquares;
import io.github.mdunet.tuning.search.UNetSearch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Runs a memory-bounded search over {@code midChannelScale} and the channel reduction on synthetic data (bright
 * squares on noise) and prints the results table. For example:
 *
 * <pre>
 * java -cp ... io.github.mdunet.tuning.SearchMain --budget 512m --strategy grid --scale-steps 3 --out target/search
 * </pre>
 *
 * Run it again with the same {@code --out} to resume an interrupted search. {@code --help} lists every option.
 *
 * <p>Exit status, as the apps of unet-examples ({@code ExitCode}): 0 when a candidate was trained, 2 for a bad
 * option (its message and the usage, before anything runs), 4 when no candidate fits the budget, 1 when the search
 * failed otherwise.
 */
@Command(name = "unet-search", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Searches the U-Net decoder's width (mid scale, channel reduction, upsampling, attention) under "
                + "a memory budget, on synthetic data; writes results.csv, search.png and best-model.zip.")
public final class SearchMain implements Callable<Integer> {

    /** Exit status when no candidate fits the budget (the apps' {@code ExitCode.NOTHING_FITS}). */
    static final int NOTHING_FITS = 4;

    @Option(names = "--budget", converter = BudgetConverter.class,
            description = "Memory budget, e.g. 24g, 512m (default: unlimited).")
    MemoryBudget budget = MemoryBudget.unlimited();

    @Option(names = "--encoder", converter = EncoderConverter.class, defaultValue = "classic:3:8",
            description = "classic:DEPTH:WIDTH or zoo:BACKBONE (default: ${DEFAULT-VALUE}).")
    io.github.mdunet.core.encoder.Encoder encoder;

    @Option(names = "--size", description = "Input height and width (default: ${DEFAULT-VALUE}).")
    int size = 48;

    @Option(names = "--batch", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch = 4;

    @Option(names = "--strategy", description = "grid or random (default: ${DEFAULT-VALUE}).")
    String strategy = "grid";

    @Option(names = "--scale-steps", description = "Grid: values of midChannelScale (default: ${DEFAULT-VALUE}).")
    int scaleSteps = 3;

    @Option(names = "--seed", description = "Random search and data seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--min-scale", description = "Lowest midChannelScale (default: ${DEFAULT-VALUE}).")
    double minScale = 0.25;

    @Option(names = "--max-scale", description = "Highest midChannelScale (default: ${DEFAULT-VALUE}).")
    double maxScale = 2.0;

    @Option(names = "--reductions", split = ",", description = "Channel reductions (default: NONE,HALVE,EQ_SKIP).")
    List<ChannelReduction> reductions = List.of(ChannelReduction.values());

    @Option(names = "--upsample", split = ",", description = "Upsample modes, among pixelShuffle, pixelShuffleBlur, "
            + "transposed, bilinearConv, bilinear (default: pixelShuffle).")
    List<String> upsample = List.of("pixelShuffle");

    @Option(names = "--attention", split = ",", description = "Mid attention settings, e.g. false,true (default: false).")
    List<Boolean> attention = List.of(false);

    @Option(names = "--epochs", description = "Training epochs per candidate (default: ${DEFAULT-VALUE}).")
    int epochs = 2;

    @Option(names = "--train-examples", description = "Synthetic training examples (default: ${DEFAULT-VALUE}).")
    int trainExamples = 64;

    @Option(names = "--validation-examples", description = "Synthetic validation examples (default: ${DEFAULT-VALUE}).")
    int validationExamples = 16;

    @Option(names = "--max-candidates", description = "Stop after this many candidates (default: ${DEFAULT-VALUE}).")
    int maxCandidates = 30;

    @Option(names = "--max-minutes", description = "Start no candidate after this many minutes (default: ${DEFAULT-VALUE}).")
    long maxMinutes = 60;

    @Option(names = "--out", description = "Output directory; reuse it to resume (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("target/unet-search");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The search's result after {@link #call()}. */
    SearchResult result;

    public static void main(String[] args) {
        NativeMemoryLimits.raiseForApplication(); // before anything loads JavaCPP
        CpuAcceleration.configure();
        System.exit(new CommandLine(new SearchMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() {
        if (!strategy.equals("grid") && !strategy.equals("random")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--strategy must be grid or random but was '" + strategy + "'");
        }
        requireAtLeast("--size", size, 1);
        requireAtLeast("--batch", batch, 1);
        requireAtLeast("--scale-steps", scaleSteps, 1);
        requireAtLeast("--epochs", epochs, 1);
        requireAtLeast("--train-examples", trainExamples, 1);
        requireAtLeast("--validation-examples", validationExamples, 1);
        requireAtLeast("--max-candidates", maxCandidates, 1);
        requireAtLeast("--max-minutes", maxMinutes, 1);
        UNetConfig base = parsed("--encoder " + EncoderNames.nameOf(encoder) + " --size " + size,
                () -> UNetConfig.builder()
                        .encoder(encoder)
                        .input(new ImageShape(3, size, size))
                        .numClasses(SyntheticSquares.NUM_CLASSES)
                        .updater(new TorchAdam(1e-3))
                        .build());
        MidChannelScales.Range scales = parsed("--min-scale " + minScale + " --max-scale " + maxScale,
                () -> new MidChannelScales.Range(minScale, maxScale));
        SearchStrategy chosen = switch (strategy) {
            case "grid" -> new SearchStrategy.Grid(scaleSteps);
            case "random" -> new SearchStrategy.Random(seed);
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--strategy must be grid or random but was '" + strategy + "'");
        };
        System.out.println("Base configuration at batch " + batch + ": "
                + new MemoryEstimator().estimate(base, batch).toTable());
        result = UNetSearch.builder()
                .baseConfig(base)
                .space(new SearchSpace(scales, reductions,
                        upsample.stream().map(UpsampleMode::parse).toList(), attention))
                .strategy(chosen)
                .budget(budget)
                .batchSize(batch)
                .data(SyntheticSquares.iterator(trainExamples, 3, size, batch, seed),
                        SyntheticSquares.iterator(validationExamples, 3, size, batch, seed + 1))
                .epochs(epochs)
                .maxCandidates(maxCandidates)
                .maxTime(Duration.ofMinutes(maxMinutes))
                .outputDirectory(out)
                .build()
                .run();
        System.out.println(result.table());
        System.out.println(result.message());
        System.out.println("results: " + result.resultsCsv() + ", chart: " + result.chart()
                + result.bestModel().map(p -> ", best model: " + p).orElse(""));
        if (result.best().isPresent()) {
            return 0;
        }
        return result.candidates().stream().allMatch(c -> c.status() == CandidateStatus.REJECTED) ? NOTHING_FITS : 1;
    }

    private void requireAtLeast(String option, long value, long minimum) {
        if (value < minimum) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be >= " + minimum
                    + " but was " + value);
        }
    }

    private <T> T parsed(String options, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), options + " is not valid: " + e.getMessage());
        }
    }

    /** {@code --encoder} through {@link EncoderNames}, whose message names the value and the accepted forms. */
    static final class EncoderConverter implements CommandLine.ITypeConverter<io.github.mdunet.core.encoder.Encoder> {
        @Override
        public io.github.mdunet.core.encoder.Encoder convert(String value) {
            try {
                return EncoderNames.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --budget} through {@link MemoryBudget#parse}. */
    static final class BudgetConverter implements CommandLine.ITypeConverter<MemoryBudget> {
        @Override
        public MemoryBudget convert(String value) {
            try {
                return MemoryBudget.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
