package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.memoryuse.PeakMemorySampler;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeHeap;
import io.github.mdunet.core.nativememory.ReleasingWorkspaces;
import io.github.mdunet.runtime.cpu.CpuAcceleration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The child-JVM side of {@link MemoryCalibration#measureInChild}: measures the peak resident memory
 * ({@link Pointer#physicalBytes()}) of training (or running) one U-Net configuration at one batch size, minus the idle
 * baseline taken in the same process after ND4J and DL4J are initialised by a throwaway tiny U-Net. Run it in a fresh
 * JVM with a small pre-touched heap ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}) so heap growth does not count.
 * It applies {@link NativeHeap}'s policy first, as the apps do, so it measures what they use.
 *
 * <p>Arguments: {@code CONFIG_JSON BATCH MODE STEPS}: a file holding the {@link UNetConfig} as JSON, the batch size,
 * a {@link Mode} and the number of steps. Prints one result line
 * {@code PROBE baseline=B peak=P measured=M params=N} ({@link #resultLine}, read back by {@link #field});
 * {@code -Dmdunet.probe.verbose=1} also prints each step's time and own peak after it.
 */
public final class MemoryProbe {

    /** What each step does: a training step ({@code fit}) or a forward pass in inference mode. */
    public enum Mode { TRAIN, INFER }

    /** Set (to anything) in the probe's JVM, this system property prints each step's time and own peak. */
    static final String VERBOSE_PROPERTY = "mdunet.probe.verbose";

    /** The start of the result line, which the parent picks out of the child's output. */
    public static final String RESULT_PREFIX = "PROBE ";

    /** The fields of the result line, in the order printed, each as {@link #key()}{@code =value}. */
    public enum Field {
        /** Resident memory after warm-up, before the U-Net is built, in bytes. */
        BASELINE,
        /** The peak resident memory while the steps ran, in bytes. */
        PEAK,
        /** The peak over the baseline, in bytes: what the calibration fits. */
        MEASURED,
        /** The U-Net's parameter count. */
        PARAMS;

        /** The field's name in the line: the constant's name in lower case. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        NativeHeap.configureForApplication();
        CpuAcceleration.configure();
        UNetConfig config = new ObjectMapper().readValue(Files.readString(Path.of(args[0])), UNetConfig.class);
        int batchSize = Integer.parseInt(args[1]);
        boolean train = Mode.valueOf(args[2]) == Mode.TRAIN;
        int steps = Integer.parseInt(args[3]);

        warmUp();
        PeakMemorySampler sampler = new PeakMemorySampler(Duration.ofMillis(2));
        long baseline = sampler.baseline();

        UNet unet = UNet.build(config);
        DataSet batch = randomBatch(config, batchSize, 7);
        ReleasingWorkspaces.applyToThisThread(); // as the trainers do
        for (int step = 0; step < steps; step++) {
            long start = System.nanoTime();
            if (train) {
                unet.graph().fit(batch);
            } else {
                unet.graph().output(false, batch.getFeatures());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // Arrays released by DL4J outside its workspaces are freed only when the GC collects their Java objects;
            // a long training run collects them regularly, so this does too, between steps.
            System.gc();
            Thread.sleep(100);
            if (System.getProperty(VERBOSE_PROPERTY) != null) {
                System.out.println("step " + step + " seconds " + String.format(Locale.ROOT, "%.1f", seconds)
                        + " peak " + (sampler.peakSinceLast() - baseline) + " now "
                        + (Pointer.physicalBytes() - baseline));
            }
        }
        sampler.close();
        System.out.println(resultLine(baseline, sampler.peak(), unet.numParams()));
        System.out.flush();
        System.exit(0);
    }

    /** The result line: {@link #RESULT_PREFIX}, then each {@link Field} as {@code name=value}, separated by spaces. */
    static String resultLine(long baseline, long peak, long parameters) {
        Map<Field, Long> values = new EnumMap<>(Map.of(Field.BASELINE, baseline, Field.PEAK, peak, Field.MEASURED,
                peak - baseline, Field.PARAMS, parameters));
        return RESULT_PREFIX + values.entrySet().stream().map(value -> value.getKey().key() + "=" + value.getValue())
                .collect(Collectors.joining(" "));
    }

    /**
     * The value of {@code field} in a {@link #resultLine}; a line without it, or not a number there, is an
     * {@link IllegalStateException} (the child misbehaved) naming the field and showing the line.
     */
    static long field(String resultLine, Field field) {
        if (!resultLine.startsWith(RESULT_PREFIX)) {
            throw new IllegalStateException("not a memory probe's result line (it starts with '" + RESULT_PREFIX
                    + "'): " + resultLine);
        }
        String prefix = field.key() + "=";
        for (String text : resultLine.substring(RESULT_PREFIX.length()).trim().split(" +")) {
            if (text.startsWith(prefix)) {
                try {
                    return Long.parseLong(text.substring(prefix.length()));
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("the memory probe's " + field.key() + " is not a whole number: "
                            + resultLine);
                }
            }
        }
        throw new IllegalStateException("the memory probe's result line has no " + prefix + " field: " + resultLine);
    }

    /** Loads ND4J, DL4J and the SameDiff layers, and warms the JIT, with a U-Net too small to leave memory behind. */
    private static void warmUp() throws InterruptedException {
        UNetConfig tiny = new CalibrationCase("classic:1:2", 16, 1, ChannelReduction.EQ_SKIP, 1.0).toConfig();
        UNet unet = UNet.build(tiny);
        DataSet batch = randomBatch(tiny, 1, 1);
        for (int i = 0; i < 2; i++) {
            unet.graph().fit(batch);
            unet.graph().output(false, batch.getFeatures());
        }
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        System.gc();
        Thread.sleep(300);
    }

    /**
     * Uniform noise images {@code [batch, C, H, W]} and random one-hot labels {@code [batch, K, H, W]}, or, for a
     * loss that compares images, uniform noise target images {@code [batch, K, H, W]}.
     */
    public static DataSet randomBatch(UNetConfig config, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        int h = config.input().height();
        int w = config.input().width();
        INDArray features = Nd4j.rand(DataType.FLOAT, batch, config.input().channels(), h, w);
        if (config.loss().comparesImages()) {
            return new DataSet(features, Nd4j.rand(DataType.FLOAT, batch, config.numClasses(), h, w));
        }
        INDArray classes = Nd4j.rand(DataType.FLOAT, batch, 1, h, w).muli(config.numClasses()).castTo(DataType.INT32);
        INDArray labels = Nd4j.create(DataType.FLOAT, batch, config.numClasses(), h, w);
        for (int k = 0; k < config.numClasses(); k++) {
            labels.get(NDArrayIndex.all(), NDArrayIndex.point(k))
                    .assign(classes.eq(k).castTo(DataType.FLOAT).reshape(batch, h, w));
        }
        return new DataSet(features, labels);
    }
}
