package io.github.mdunet.examples.bench;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.runtime.cpu.CpuAcceleration;
import io.github.mdunet.runtime.cpu.CpuAcceleration.NativeReport;
import io.github.mdunet.runtime.cpu.CpuAcceleration.Status;
import io.github.mdunet.runtime.process.ChildJvm;
import io.github.mdunet.tuning.cost.ForwardFlops;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.model.UNet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How much faster a U-Net trains with {@link CpuAcceleration}'s automatic choice than with the plain nd4j-native
 * build. One run starts two child JVMs on the same classpath, one after the other so they do not share the
 * cores: {@code plain} ({@code -Dmdunet.onednn=off}) and {@code auto} (the build chosen for this CPU, oneDNN for
 * DL4J's conv/BN/pooling layers). Each times {@code graph.fit(features, labels)} on random data: warm-up steps,
 * then the median of the timed steps, reported as images per second. The parent prints both, the speed-up and
 * the build each child really loaded.
 *
 * <p>Run it from the repository root (about 3 minutes on a quiet 2-core machine; the plain child dominates, and
 * other processes on the machine slow it down a lot):
 * <pre>
 * mvn -o -q -pl unet-examples -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp unet-examples/target/classes:$(cat unet-examples/target/classpath.txt) \
 *     io.github.mdunet.examples.bench.CpuSpeedupBenchmark --warmup 2 --steps 5
 * </pre>
 * or, with the modules installed ({@code mvn -o -q -pl unet-examples -am install -DskipTests}), through Maven:
 * <pre>
 * mvn -o -q -pl unet-examples exec:java -Dexec.mainClass=io.github.mdunet.examples.bench.CpuSpeedupBenchmark \
 *     -Dexec.args="--warmup 2 --steps 5"
 * </pre>
 * exec:java runs the parent inside Maven, whose {@code java.class.path} is Maven's own; the children get the
 * project's classpath from the class loader instead.
 */
@Command(name = "cpu-speedup-benchmark", mixinStandardHelpOptions = true,
        description = "U-Net training speed: plain nd4j-native build versus the automatic oneDNN choice.")
public final class CpuSpeedupBenchmark extends AppCommand {

    /** The target: a training step at least this many times faster with the automatic choice. */
    static final double TARGET_SPEEDUP = 5.0;
    static final String RESULT_PREFIX = "RESULT ";
    /** How long one variant may run before it is stopped (about 3 minutes at the defaults). */
    private static final Duration CHILD_TIMEOUT = Duration.ofHours(1);

    /** The two configurations, in the order they run. */
    enum Variant {
        /** The plain jar, DL4J's layer helpers off (DL4J's default). */
        PLAIN("-D" + CpuAcceleration.OPT_OUT_PROPERTY + "=" + CpuAcceleration.OPT_OUT_OFF),
        /** CpuAcceleration's automatic choice. */
        AUTO("-D" + CpuAcceleration.OPT_OUT_PROPERTY + "=" + CpuAcceleration.OPT_OUT_AUTO);

        final String jvmFlag;

        Variant(String jvmFlag) {
            this.jvmFlag = jvmFlag;
        }
    }

    /** The network timed, chosen with {@code --network} (in any case, e.g. {@code mdunet} or {@code zoo}). */
    enum Network {
        /** This project's U-Net: classic encoder, depth 4, width 64, 2 classes, pixel shuffle. */
        MDUNET,
        /** DL4J's zoo UNet: its head is always one sigmoid channel. */
        ZOO
    }

    @Mixin
    TimedStepsOptions timing = new TimedStepsOptions(2, 2, 5);

    @Option(names = "--size", description = "Input height and width.")
    int imageSize = 128;

    @Option(names = "--network", description = "mdunet: this project's U-Net (classic encoder, depth 4, width 64,"
            + " 2 classes, pixel shuffle); zoo: DL4J's zoo UNet.")
    Network network = Network.MDUNET;

    @Option(names = "--child", hidden = true, description = "Internal: run one variant in this JVM.")
    Variant child;

    public static void main(String[] args) {
        // Not CommandLines.run: the parent leaves the native build to each child, whose flag chooses it.
        int exit = CommandLines.of(new CpuSpeedupBenchmark()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() throws Exception {
        OptionChecks.atLeast(commandLine(), "--steps", timing.steps, 1);
        OptionChecks.atLeast(commandLine(), "--batch", timing.batch, 1);
        OptionChecks.atLeast(commandLine(), "--size", imageSize, 1);
        OptionChecks.atLeast(commandLine(), "--warmup", timing.warmup, 0);
        if (child != null) {
            runChild();
            return 0;
        }
        return runParent();
    }

    /**
     * The network timed, 3 x size x size in: this project's classic U-Net (depth 4, width 64, batch norm, two
     * classes) or DL4J's zoo U-Net (one sigmoid channel out).
     */
    static ComputationGraph buildNetwork(int imageSize, Network network) {
        return switch (network) {
            case MDUNET -> io.github.mdunet.core.model.UNet.build(io.github.mdunet.core.config.UNetConfig.builder()
                    .encoder(new io.github.mdunet.core.encoder.ClassicEncoder(4, 64,
                            io.github.mdunet.core.blocks.Normalization.BATCH))
                    .input(new io.github.mdunet.core.blocks.ImageShape(3, imageSize, imageSize))
                    .numClasses(2)
                    .seed(1234)
                    .build()).graph();
            case ZOO -> UNet.builder()
                    .numClasses(1) // the zoo U-Net ignores this: its head is always one sigmoid channel
                    .inputShape(new int[] {3, imageSize, imageSize})
                    .seed(1234)
                    .build()
                    .init();
        };
    }

    /** Random images and a random two-class mask matching {@link #buildNetwork}'s head. */
    static MultiDataSet trainingBatch(int batchSize, int imageSize, Network network) {
        Nd4j.getRandom().setSeed(42);
        INDArray features = Nd4j.rand(DataType.FLOAT, batchSize, 3, imageSize, imageSize);
        INDArray labels = Nd4j.rand(DataType.FLOAT, batchSize, 1, imageSize, imageSize).gt(0.5)
                .castTo(DataType.FLOAT);
        if (network == Network.MDUNET) {
            labels = Nd4j.concat(1, labels.rsub(1.0), labels);
        }
        return new MultiDataSet(features, labels);
    }

    // ------------------------------------------------------------------------------------------------------------

    private void runChild() {
        Status status = CommandLines.prepareNativeRuntime(); // before anything below loads JavaCPP or ND4J
        System.out.println("configure(): " + status.describe());
        ComputationGraph graph = buildNetwork(imageSize, network);
        NativeReport report = CpuAcceleration.nativeReport();
        System.out.println("loaded:      " + report.describe());
        System.out.println("helpers:     " + helperSummary(graph));
        MultiDataSet batch = trainingBatch(timing.batch, imageSize, network);
        double convFlopsPerStep = ForwardFlops.TRAINING_PASSES * ForwardFlops.perImage(graph.getConfiguration(),
                InputType.convolutional(imageSize, imageSize, 3)) * timing.batch;

        for (int i = 0; i < timing.warmup; i++) {
            double seconds = timeStep(graph, batch);
            System.out.printf("warm-up %d:   %.3f s%n", i + 1, seconds);
        }
        double[] times = new double[timing.steps];
        for (int i = 0; i < timing.steps; i++) {
            times[i] = timeStep(graph, batch);
            System.out.printf("step %d:      %.3f s (%.2f img/s)%n", i + 1, times[i], timing.batch / times[i]);
        }
        double median = median(times);
        double fastest = Arrays.stream(times).min().orElseThrow();
        System.out.printf("median:      %.3f s per step, %.3f img/s, conv about %.0f GFLOP/s, score %.4f%n",
                median, timing.batch / median, convFlopsPerStep / median / 1e9, graph.score());
        System.out.println(RESULT_PREFIX + new ChildResult(child, median, fastest, String.valueOf(report.loadedBuild()),
                report.dl4jLayersUseOneDnn()).encode());
    }

    private static double timeStep(ComputationGraph graph, MultiDataSet batch) {
        long start = System.nanoTime();
        graph.fit(batch);
        return (System.nanoTime() - start) / 1e9;
    }

    private int runParent() throws IOException, InterruptedException {
        System.out.printf("U-Net training step, batch %d, 3x%dx%d, %d warm-up + %d timed steps per variant.%n",
                timing.batch, imageSize, imageSize, timing.warmup, timing.steps);
        System.out.printf("%d cores; other processes on the machine distort both figures (oneDNN's OpenMP threads "
                + "suffer most), so run it on a quiet machine.%n", Runtime.getRuntime().availableProcessors());
        Map<Variant, ChildResult> results = new TreeMap<>();
        for (Variant variant : Variant.values()) {
            System.out.printf("%n=== %s (%s) ===%n", variant.name().toLowerCase(), variant.jvmFlag);
            try {
                results.put(variant, runChildJvm(variant));
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage().lines().findFirst().orElse("") + "; see its output above.");
                return 1;
            }
        }
        ChildResult plain = results.get(Variant.PLAIN);
        ChildResult auto = results.get(Variant.AUTO);
        double speedup = plain.medianSeconds() / auto.medianSeconds();
        System.out.printf("%n%-6s %-14s %-15s %14s %10s %14s%n", "", "loaded build", "DL4J on oneDNN",
                "median s/step", "img/s", "fastest s/step");
        for (ChildResult r : List.of(plain, auto)) {
            System.out.printf("%-6s %-14s %-15s %14.3f %10.3f %14.3f%n", r.variant().name().toLowerCase(),
                    r.loadedBuild(), r.oneDnnLayers(), r.medianSeconds(), timing.batch / r.medianSeconds(),
                    r.fastestSeconds());
        }
        System.out.printf("speed-up auto/plain: %.1fx on the median step, %.1fx on the fastest (target %.0fx: %s)%n",
                speedup, plain.fastestSeconds() / auto.fastestSeconds(), TARGET_SPEEDUP,
                speedup >= TARGET_SPEEDUP ? "reached" : "NOT reached");
        return 0;
    }

    /**
     * Runs {@code variant} in a child JVM, showing the lines worth showing as they come. Its {@code -D} flag decides
     * the build: the property wins over {@link CpuAcceleration#OPT_OUT_ENVIRONMENT_VARIABLE}.
     */
    private ChildResult runChildJvm(Variant variant) throws IOException, InterruptedException {
        List<String> arguments = List.of("--child", variant.name(), "--warmup", String.valueOf(timing.warmup),
                "--steps", String.valueOf(timing.steps), "--batch", String.valueOf(timing.batch),
                "--size", String.valueOf(imageSize), "--network", network.name());
        String result = new ChildJvm("the " + variant.name().toLowerCase() + " variant", List.of(variant.jvmFlag),
                CpuSpeedupBenchmark.class, arguments, CHILD_TIMEOUT).run(RESULT_PREFIX, line -> {
                    if (isWorthShowing(line)) {
                        System.out.println("  [" + variant.name().toLowerCase() + "] " + line);
                    }
                }).line();
        return ChildResult.decode(result.substring(RESULT_PREFIX.length()));
    }

    /** ND4J's start-up banner is long; keep our lines, warnings and errors. */
    private static boolean isWorthShowing(String line) {
        return !line.contains(" INFO org.nd4j.") && !line.contains(" INFO org.deeplearning4j.")
                && !line.matches("^[A-Z_]+$") && !line.startsWith("GCC:") && !line.startsWith("STD version")
                && !line.startsWith("DEFAULT_ENGINE") && !line.isBlank();
    }

    /** Layer type to helper type, counted: shows at a glance whether conv, BN and pooling run on oneDNN. */
    static Map<String, Integer> helperSummary(ComputationGraph graph) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Layer layer : graph.getLayers()) {
            Object helper = layer.getHelper();
            String key = layer.getClass().getSimpleName() + " -> "
                    + (helper == null ? "built-in" : helper.getClass().getSimpleName());
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * One child's figures, passed to the parent as a single line. The fastest step is shown beside the median
     * because other processes on a small machine only ever make steps slower.
     */
    record ChildResult(Variant variant, double medianSeconds, double fastestSeconds, String loadedBuild,
                       boolean oneDnnLayers) {

        String encode() {
            return String.join(" ", variant.name(), Double.toString(medianSeconds), Double.toString(fastestSeconds),
                    loadedBuild, Boolean.toString(oneDnnLayers));
        }

        static ChildResult decode(String line) {
            String[] f = line.trim().split(" ");
            return new ChildResult(Variant.valueOf(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), f[3],
                    Boolean.parseBoolean(f[4]));
        }
    }
}
