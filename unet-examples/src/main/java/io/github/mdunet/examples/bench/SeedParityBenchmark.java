package io.github.mdunet.examples.bench;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.layers.direct.ConvWays;
import io.github.mdunet.core.layers.direct.ConvWorkspace;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeMemoryLimits;
import io.github.mdunet.examples.DecoderOptions;
import io.github.mdunet.examples.InputSizeOptions;
import io.github.mdunet.runtime.cpu.CpuAcceleration;
import io.github.mdunet.tuning.cost.ForwardFlops;
import io.github.mdunet.tuning.memory.EncoderShorthand;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.memory.MemoryCalibration;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import io.github.mdunet.tuning.memory.MemoryProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The seed's yardstick on this machine: a U-Net (by default the seed's: reference ResNet50, {@code EQ_SKIP}, mid scale
 * 1.0, pixel shuffle, Adam, FLOAT, 2 classes) timed against the same JVM's SGEMM, and its training memory measured
 * in a fresh child JVM beside the estimator's figure.
 *
 * <p>One run prints, for each layer path ({@code --layers}: the fused blocks and DL4J's stock layers by default, their
 * steps timed in turn so that the machine's load falls on both alike): parameters; forward convolution GFLOP per image
 * ({@link ForwardFlops}); SGEMM 2048 x 2048 GFLOP/s (before and after the steps); the training step's img/s, GFLOP/s
 * (3x the forward work) and its ratio to SGEMM, as the median of the timed steps after warm-up; inference img/s; the
 * speed-up of each path over the last; with {@code --time-save}, how long saving the trained U-Net with its updater
 * state takes with {@code UNet.save} and with DL4J's {@code ModelSerializer.writeModel}; the peak resident memory of a
 * training step over the pre-step baseline at the memory size ({@link MemoryProbe}, one child JVM per path) with the
 * estimate and its error; and the seed's sentence: fastai's rule and the narrower decoders at the memory size, their
 * estimates against a budget, measured where the estimate is at most {@link #MEASURE_MEMORY_PERCENT}% of this machine's
 * memory ({@code --measure-variants}). A measurement not run prints why, with the estimate and the machine's memory.
 */
@Command(name = "seed-parity", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Times a U-Net's training step against the same JVM's SGEMM and measures its training memory"
                + " in a child JVM beside the estimate (default: the seed's ResNet50 U-Net). Each timed step trains"
                + " and infers once; at least 5 are timed. --height and --width size the timed steps, --memory-height"
                + " and --memory-width the memory measurement.")
public final class SeedParityBenchmark extends AppCommand {

    private static final int SGEMM_SIZE = 2048;
    /** Saves timed per file writer with {@code --time-save}, in turn. */
    static final int SAVE_ROUNDS = 2;
    /** The largest estimate, in percent of physical memory, whose training memory is measured in a child JVM. */
    static final int MEASURE_MEMORY_PERCENT = 80;

    /** The seed's sentence: fastai's decoder against the narrower ones, at the memory size. */
    record Variant(ChannelReduction reduction, double midScale) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s, mid %.1f", reduction, midScale);
        }
    }

    static final List<Variant> SEED_VARIANTS = List.of(new Variant(ChannelReduction.NONE, 2.0),
            new Variant(ChannelReduction.HALVE, 1.0), new Variant(ChannelReduction.EQ_SKIP, 1.0),
            new Variant(ChannelReduction.EQ_SKIP, 0.5));

    @Option(names = "--encoder", description = EncoderShorthand.FORMS + ".")
    String encoder = "zoo:RESNET50";

    @Mixin
    DecoderOptions decoder = new DecoderOptions();

    @Option(names = "--classes", description = "Output classes.")
    int classes = 2;

    /** The input of the timed steps. */
    @Mixin
    InputSizeOptions input = new InputSizeOptions(256, 256);

    @Mixin
    TimedStepsOptions timing = new TimedStepsOptions(4, 2, 5);

    @Option(names = "--memory-height", description = "Height of the memory measurement.")
    int memoryHeight = 512;

    @Option(names = "--memory-width", description = "Width of the memory measurement.")
    int memoryWidth = 512;

    @Option(names = "--memory-batch", description = "Batch of the memory measurement.")
    int memoryBatch = 8;

    @Option(names = "--memory-steps", description = "Training steps in the memory child.")
    int memorySteps = 2;

    @Option(names = "--no-memory", description = "Skip the memory measurements (estimates are still printed).")
    boolean noMemory;

    @Option(names = "--measure-variants", description = "Also measure each variant of the seed's sentence that this"
            + " machine has the memory for, an estimate up to 80%% of it (one child JVM each; minutes per variant at"
            + " 512 x 512).")
    boolean measureVariants;

    @Option(names = "--time-save", description = "Also time saving each trained U-Net with its updater state:"
            + " UNet.save against DL4J's ModelSerializer.writeModel, " + SAVE_ROUNDS + " rounds in turn, in a"
            + " temporary directory (about 3 minutes per path for the seed).")
    boolean timeSave;

    @Option(names = "--budget", description = "The GPU budget of the seed's sentence.")
    String budget = "24g";

    @Option(names = "--layers", split = ",", defaultValue = "FUSED,STOCK", description = "The layer paths to compare,"
            + " timed in turn step by step: ${COMPLETION-CANDIDATES}; the last one is the reference of the speed-up.")
    List<BlockLayers> layers;

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new SeedParityBenchmark()));
    }

    @Override
    public Integer call() throws Exception {
        validate();
        UNetConfig base = config(decoder.reduction(), decoder.midScale(), input.shape(3));
        MemoryBudget gpuBudget = MemoryBudget.parse(budget);
        MemoryEstimator estimator = new MemoryEstimator();

        System.out.println("Machine: " + MachineInfo.describe());
        System.out.println("ND4J: " + CpuAcceleration.configure().describe());
        System.out.println("Fused convolutions' ways (-D" + ConvWays.PROPERTY + "): " + ConvWays.fromSystemProperty()
                + ", workspace limit (-D" + ConvWorkspace.PROPERTY + "): " + ConvWorkspace.fromSystemProperty());
        System.out.println("U-Net: " + describe(base) + "; layers " + layers);

        double sgemmBefore = sgemmGflops();
        System.out.printf(Locale.ROOT, "SGEMM %d x %d in this JVM: %.1f GFLOP/s%n", SGEMM_SIZE, SGEMM_SIZE,
                sgemmBefore);
        List<PathRun> runs = new ArrayList<>();
        for (BlockLayers path : layers) {
            runs.add(new PathRun(path, base.withLayers(path)));
        }
        timeInterleaved(runs);
        if (timeSave) {
            for (PathRun run : runs) {
                run.saves = SaveTiming.measure(run.unet);
            }
        }
        release(runs);
        double sgemmAfter = sgemmGflops();
        double sgemm = (sgemmBefore + sgemmAfter) / 2;
        System.out.printf(Locale.ROOT, "SGEMM again after the steps: %.1f GFLOP/s%n", sgemmAfter);

        List<String> header = new ArrayList<>(List.of("figure"));
        runs.forEach(run -> header.add(run.path.name()));
        List<String[]> rows = new ArrayList<>();
        rows.add(row(runs, "parameters", run -> String.format(Locale.ROOT, "%,d", run.parameters)));
        rows.add(row(runs, String.format(Locale.ROOT, "forward convolution GFLOP per image at %d x %d",
                base.input().height(), base.input().width()),
                run -> String.format(Locale.ROOT, "%.1f", run.forwardFlops / 1e9)));
        rows.add(row(runs, "SGEMM 2048 x 2048, same JVM (before / after the steps)", run -> String.format(Locale.ROOT,
                "%.0f / %.0f GFLOP/s", sgemmBefore, sgemmAfter)));
        rows.add(row(runs, String.format(Locale.ROOT, "training step, batch %d (median of %d, paths interleaved)",
                timing.batch, timing.steps), run -> String.format(Locale.ROOT, "%.2f s, %.2f img/s",
                run.trainSeconds, timing.batch / run.trainSeconds)));
        rows.add(row(runs, "training GFLOP/s (3x forward work)", run -> String.format(Locale.ROOT, "%.1f",
                run.trainGflops(timing.batch))));
        rows.add(row(runs, "training / SGEMM (mean of both SGEMM figures)", run -> String.format(Locale.ROOT, "%.2f",
                run.trainGflops(timing.batch) / sgemm)));
        rows.add(row(runs, String.format(Locale.ROOT, "inference, batch %d", timing.batch),
                run -> String.format(Locale.ROOT, "%.2f img/s", timing.batch / run.inferSeconds)));
        if (runs.size() > 1) {
            PathRun reference = runs.get(runs.size() - 1);
            rows.add(row(runs, "speed-up over " + reference.path + " (training / inference)",
                    run -> String.format(Locale.ROOT, "%.2fx / %.2fx", reference.trainSeconds / run.trainSeconds,
                            reference.inferSeconds / run.inferSeconds)));
        }
        if (timeSave) {
            rows.add(row(runs, "save with the updater state: UNet.save / ModelSerializer.writeModel (median of "
                    + SAVE_ROUNDS + " in turn)", run -> run.saves.describe()));
        }
        String memorySize = String.format(Locale.ROOT, "%d x %d, batch %d", memoryHeight, memoryWidth, memoryBatch);
        for (PathRun run : runs) {
            run.estimate = estimator.estimate(run.config.withInput(new ImageShape(3, memoryHeight, memoryWidth)),
                    memoryBatch).total();
        }
        rows.add(row(runs, "estimated training memory, " + memorySize, run -> MemoryBudget.format(run.estimate)));
        if (!noMemory) {
            for (PathRun run : runs) {
                run.measured = measure(run.config.withInput(new ImageShape(3, memoryHeight, memoryWidth)), memoryBatch,
                        run.estimate);
            }
            rows.add(row(runs, "measured peak over baseline, " + memorySize, run -> run.measured.isPresent()
                    ? MemoryBudget.format(run.measured.getAsLong()) + String.format(Locale.ROOT, " (estimate %+.0f%%)",
                    100.0 * (run.estimate - run.measured.getAsLong()) / run.measured.getAsLong())
                    : "not measured: " + notMeasuredReason(run.estimate)));
        }
        System.out.println();
        System.out.println(markdown(header, rows));
        System.out.println();
        System.out.println(seedSentence(estimator, gpuBudget));
        return 0;
    }

    /** One path's U-Net and what was measured on it. */
    private static final class PathRun {
        final BlockLayers path;
        final UNetConfig config;
        final double forwardFlops;
        UNet unet;
        DataSet data;
        long parameters;
        double trainSeconds;
        double inferSeconds;
        long estimate;
        OptionalLong measured = OptionalLong.empty();
        SaveTiming saves;

        PathRun(BlockLayers path, UNetConfig config) {
            this.path = path;
            this.config = config;
            this.forwardFlops = ForwardFlops.perImage(config);
        }

        double trainGflops(int batch) {
            return ForwardFlops.TRAINING_PASSES * forwardFlops * batch / trainSeconds / 1e9;
        }
    }

    /** Seconds per save and file sizes of {@code UNet.save} and of DL4J's {@code ModelSerializer.writeModel}. */
    record SaveTiming(double[] unetSeconds, long unetBytes, double[] serializerSeconds, long serializerBytes) {

        /** Saves {@code unet} with its updater state {@link #SAVE_ROUNDS} times with each writer, in turn. */
        static SaveTiming measure(UNet unet) throws IOException {
            Path directory = Files.createTempDirectory("seed-parity-save");
            Path unetFile = directory.resolve("unet.zip");
            Path serializerFile = directory.resolve("model-serializer.zip");
            double[] unetSeconds = new double[SAVE_ROUNDS];
            double[] serializerSeconds = new double[SAVE_ROUNDS];
            try {
                for (int round = 0; round < SAVE_ROUNDS; round++) {
                    long start = System.nanoTime();
                    unet.save(unetFile);
                    unetSeconds[round] = (System.nanoTime() - start) / 1e9;
                    start = System.nanoTime();
                    ModelSerializer.writeModel(unet.graph(), serializerFile.toFile(), true);
                    serializerSeconds[round] = (System.nanoTime() - start) / 1e9;
                    System.out.printf(Locale.ROOT, "  save %d: UNet.save %.2f s, ModelSerializer.writeModel %.2f s%n",
                            round + 1, unetSeconds[round], serializerSeconds[round]);
                }
                return new SaveTiming(unetSeconds, Files.size(unetFile), serializerSeconds,
                        Files.size(serializerFile));
            } finally {
                Files.deleteIfExists(unetFile);
                Files.deleteIfExists(serializerFile);
                Files.deleteIfExists(directory);
            }
        }

        String describe() {
            double unetMedian = CpuSpeedupBenchmark.median(unetSeconds);
            double serializerMedian = CpuSpeedupBenchmark.median(serializerSeconds);
            return String.format(Locale.ROOT, "%.2f s, %s / %.2f s, %s (%.1fx faster, file %+.0f%%)", unetMedian,
                    MemoryBudget.format(unetBytes), serializerMedian, MemoryBudget.format(serializerBytes),
                    serializerMedian / unetMedian, 100.0 * (unetBytes - serializerBytes) / serializerBytes);
        }
    }

    /**
     * Builds every path's U-Net, warms each up, then times the paths in turn step by step (A, B, A, B, ...), so that
     * a change in the machine's load falls on all of them alike; the medians count.
     */
    private void timeInterleaved(List<PathRun> runs) {
        for (PathRun run : runs) {
            run.unet = UNet.build(run.config);
            run.parameters = run.unet.numParams();
            run.data = MemoryProbe.randomBatch(run.config, timing.batch, 11);
            System.out.printf(Locale.ROOT, "%s: %,d parameters, warming up...%n", run.path, run.parameters);
            for (int i = 0; i < timing.warmup; i++) {
                run.unet.graph().fit(run.data);
            }
            run.unet.graph().output(false, run.data.getFeatures());
        }
        double[][] train = new double[runs.size()][timing.steps];
        double[][] infer = new double[runs.size()][timing.steps];
        for (int step = 0; step < timing.steps; step++) {
            for (int r = 0; r < runs.size(); r++) {
                PathRun run = runs.get(r);
                long start = System.nanoTime();
                run.unet.graph().fit(run.data);
                train[r][step] = (System.nanoTime() - start) / 1e9;
                start = System.nanoTime();
                run.unet.graph().output(false, run.data.getFeatures());
                infer[r][step] = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "  step %d %s: training %.2f s, inference %.2f s%n", step + 1, run.path,
                        train[r][step], infer[r][step]);
            }
        }
        for (int r = 0; r < runs.size(); r++) {
            PathRun run = runs.get(r);
            run.trainSeconds = CpuSpeedupBenchmark.median(train[r]);
            run.inferSeconds = CpuSpeedupBenchmark.median(infer[r]);
        }
    }

    /**
     * Frees the timed U-Nets. The graphs' workspaces belong to this thread and outlive the graphs: they are freed
     * too, and the memory children that follow get the machine's memory.
     */
    private static void release(List<PathRun> runs) {
        for (PathRun run : runs) {
            run.unet.graph().clear();
            run.unet = null;
            run.data = null;
        }
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        System.gc();
    }

    private static String[] row(List<PathRun> runs, String figure, java.util.function.Function<PathRun, String> value) {
        String[] row = new String[runs.size() + 1];
        row[0] = figure;
        for (int i = 0; i < runs.size(); i++) {
            row[i + 1] = value.apply(runs.get(i));
        }
        return row;
    }

    private void validate() {
        OptionChecks.atLeast(commandLine(), "--steps", timing.steps, 5);
        OptionChecks.atLeast(commandLine(), "--batch", timing.batch, 1);
        OptionChecks.atLeast(commandLine(), "--memory-batch", memoryBatch, 1);
        OptionChecks.atLeast(commandLine(), "--memory-steps", memorySteps, 1);
        OptionChecks.atLeast(commandLine(), "--warmup", timing.warmup, 0);
        OptionChecks.atLeast(commandLine(), "--classes", classes, 2);
        input.check(commandLine());
        if (layers.isEmpty() || layers.size() != new java.util.HashSet<>(layers).size()) {
            throw usage("--layers must name " + Checks.oneOf(BlockLayers.class) + ", or several, each once, but was "
                    + layers);
        }
    }

    private UNetConfig config(ChannelReduction rule, double scale, ImageShape shape) {
        return UNetConfig.builder()
                .encoder(EncoderShorthand.parse(encoder))
                .input(shape)
                .numClasses(classes)
                .upsample(decoder.upsample())
                .channelReduction(rule)
                .midChannelScale(scale)
                .build();
    }

    private static String describe(UNetConfig config) {
        return EncoderShorthand.nameOf(config.encoder()) + ", " + config.decoderWidths() + ", mid "
                + config.midChannelScale() + ", " + config.upsample().name() + ", "
                + config.updater().getClass().getSimpleName() + ", " + config.dataType() + ", " + config.numClasses()
                + " classes";
    }

    /** The seed's sentence at the memory size: parameters, estimate, budget verdict, and measurements if asked. */
    private String seedSentence(MemoryEstimator estimator, MemoryBudget gpuBudget) throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (Variant variant : SEED_VARIANTS) {
            UNetConfig config = config(variant.reduction(), variant.midScale(),
                    new ImageShape(3, memoryHeight, memoryWidth)).withLayers(layers.get(0));
            var estimate = estimator.estimate(config, memoryBatch);
            String measured = "";
            if (measureVariants) {
                OptionalLong bytes = measure(config, memoryBatch, estimate.total());
                measured = bytes.isPresent() ? MemoryBudget.format(bytes.getAsLong())
                        : "not measured: " + notMeasuredReason(estimate.total());
            }
            rows.add(new String[] {variant.toString(), String.format(Locale.ROOT, "%,d", estimate.parameterCount()),
                    MemoryBudget.format(estimate.total()), gpuBudget.fits(estimate) ? "fits" : "does not fit",
                    measured});
        }
        return String.format(Locale.ROOT, "The seed's sentence: %s at %d x %d, batch %d, budget %s, %s layers%n%n",
                EncoderShorthand.nameOf(EncoderShorthand.parse(encoder)), memoryHeight, memoryWidth, memoryBatch,
                gpuBudget, layers.get(0))
                + markdown(List.of("decoder", "parameters", "estimated training memory", "budget " + gpuBudget,
                "measured peak over baseline"), rows);
    }

    /** Peak training memory over baseline in a child JVM, or empty when this machine lacks the memory. */
    private OptionalLong measure(UNetConfig config, int batchSize, long estimate) throws Exception {
        Optional<String> skip = skipReason(estimate, MachineInfo.totalMemoryBytes());
        if (skip.isPresent()) {
            System.out.printf(Locale.ROOT, "not measuring %s at batch %d: %s%n", describe(config), batchSize,
                    skip.get());
            return OptionalLong.empty();
        }
        System.out.printf(Locale.ROOT, "measuring %s at batch %d in a child JVM (estimate %s)...%n",
                describe(config), batchSize, MemoryBudget.format(estimate));
        try {
            return OptionalLong.of(MemoryCalibration.measureInChild(config, batchSize, MemoryProbe.Mode.TRAIN,
                    memorySteps, "512m"));
        } catch (IllegalStateException e) {
            System.out.println("  the child failed: " + e.getMessage().lines().findFirst().orElse(""));
            return OptionalLong.empty();
        }
    }

    private static String notMeasuredReason(long estimate) {
        return skipReason(estimate, MachineInfo.totalMemoryBytes()).orElse("the child JVM failed (see above)");
    }

    /**
     * Why a child measurement estimated at {@code estimate} bytes is not run on a machine of {@code physical} bytes,
     * or empty to run it: it runs up to {@link #MEASURE_MEMORY_PERCENT} of physical memory, since the system and
     * this JVM (with the timed models) hold the rest, and a child near the machine's size swaps or is killed.
     */
    static Optional<String> skipReason(long estimate, long physical) {
        long limit = physical / 100 * MEASURE_MEMORY_PERCENT;
        return estimate > limit
                ? Optional.of(String.format(Locale.ROOT, "the estimate %s is over %d%% of this machine's %s (%s)",
                        MemoryBudget.format(estimate), MEASURE_MEMORY_PERCENT, MemoryBudget.format(physical),
                        MemoryBudget.format(limit)))
                : Optional.empty();
    }

    /** The median wall time of {@code timed} runs of {@code step} after {@code untimed} runs. */
    static double medianSeconds(int untimed, int timed, Runnable step) {
        for (int i = 0; i < untimed; i++) {
            step.run();
        }
        double[] seconds = new double[timed];
        for (int i = 0; i < timed; i++) {
            long start = System.nanoTime();
            step.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        return CpuSpeedupBenchmark.median(seconds);
    }

    /** Single-precision {@code C = A B} at 2048 x 2048 through ND4J's BLAS: the median of 9 after 2 untimed. */
    static double sgemmGflops() {
        INDArray a = Nd4j.rand(DataType.FLOAT, SGEMM_SIZE, SGEMM_SIZE);
        INDArray b = Nd4j.rand(DataType.FLOAT, SGEMM_SIZE, SGEMM_SIZE);
        INDArray c = Nd4j.create(DataType.FLOAT, SGEMM_SIZE, SGEMM_SIZE);
        double seconds = medianSeconds(2, 9, () -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0));
        return 2.0 * SGEMM_SIZE * SGEMM_SIZE * SGEMM_SIZE / seconds / 1e9;
    }

    private static String[] row(String figure, String value) {
        return new String[] {figure, value};
    }

    static String markdown(List<String> header, List<String[]> rows) {
        StringBuilder out = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        out.append(" --- |".repeat(header.size())).append('\n');
        for (String[] row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }

    /** What this machine is, for the benchmark's header. */
    static final class MachineInfo {

        private MachineInfo() {
        }

        static long totalMemoryBytes() {
            return NativeMemoryLimits.physicalMemory();
        }

        static String describe() {
            String model = "unknown CPU";
            try {
                model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(line -> line.startsWith("model name")).findFirst()
                        .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse(model);
            } catch (IOException e) {
                // not Linux: the model name is only informative
            }
            return String.format(Locale.ROOT, "%s, %d cores, %s memory, Java %s", model,
                    Runtime.getRuntime().availableProcessors(), MemoryBudget.format(totalMemoryBytes()),
                    System.getProperty("java.version"));
        }
    }
}
