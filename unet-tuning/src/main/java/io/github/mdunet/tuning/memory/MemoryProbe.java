package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeHeap;
import io.github.mdunet.runtime.cpu.CpuAcceleration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The child-JVM side of {@link MemoryCalibration#measureInChild}: measures the peak resident memory
 * ({@link Pointer#physicalBytes()}) of training (or running) one U-Net configuration at one batch size, minus the idle baseline
 * taken in the same process after ND4J and DL4J are initialised by a throwaway tiny U-Net. Run it in a fresh JVM
 * with a small pre-touched heap ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}) so heap growth does not count. It
 * applies {@link NativeHeap}'s policy first, as the apps do, so it measures what they use.
 *
 * <p>Arguments: {@code CONFIG_JSON BATCH MODE STEPS}: a file holding the {@link UNetConfig} as JSON, the batch size,
 * a {@link Mode} and the number of steps. Prints one result line
 * {@code PROBE baseline=B peak=P measured=M params=N} ({@link #resultLine}, read back by {@link #field});
 * {@code -Dmdunet.probe.verbose=1} also prints the peak after each step.
 */
public final class MemoryProbe {

    /** What each step does: a training step ({@code fit}) or a forward pass in inference mode. */
    public enum Mode { TRAIN, INFER }

    /** The start of the result line, which the parent picks out of the child's output. */
    public static final String RESULT_PREFIX = "PROBE ";
    /** The result's field: resident memory after warm-up, before the U-Net is built, in bytes. */
    public static final String BASELINE = "baseline";
    /** The result's field: the peak resident memory while the steps ran, in bytes. */
    public static final String PEAK = "peak";
    /** The result's field: the peak over the baseline, in bytes: what the calibration fits. */
    public static final String MEASURED = "measured";
    /** The result's field: the U-Net's parameter count. */
    public static final String PARAMETERS = "params";

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
        for (int step = 0; step < steps; step++) {
            if (train) {
                unet.graph().fit(batch);
            } else {
                unet.graph().output(false, batch.getFeatures());
            }
            // Arrays released by DL4J outside its workspaces are freed only when the GC collects their Java objects;
            // a long training run collects them regularly, so this does too, between steps.
            System.gc();
            Thread.sleep(100);
            if (System.getProperty("mdunet.probe.verbose") != null) {
                System.out.println("step " + step + " peak " + (sampler.peak() - baseline) + " now "
                        + (Pointer.physicalBytes() - baseline));
            }
        }
        sampler.close();
        System.out.println(resultLine(baseline, sampler.peak(), unet.numParams()));
        System.out.flush();
        System.exit(0);
    }

    /** The result line: {@link #RESULT_PREFIX}, then each field as {@code name=value}, separated by spaces. */
    static String resultLine(long baseline, long peak, long parameters) {
        return RESULT_PREFIX + BASELINE + "=" + baseline + " " + PEAK + "=" + peak + " " + MEASURED + "="
                + (peak - baseline) + " " + PARAMETERS + "=" + parameters;
    }

    /**
     * The value of the field {@code name} of a {@link #resultLine}; a line without it, or not a number there, is an
     * {@link IllegalStateException} (the child misbehaved) naming the field and showing the line.
     */
    static long field(String resultLine, String name) {
        if (!resultLine.startsWith(RESULT_PREFIX)) {
            throw new IllegalStateException("not a memory probe's result line (it starts with '" + RESULT_PREFIX
                    + "'): " + resultLine);
        }
        for (String field : resultLine.substring(RESULT_PREFIX.length()).trim().split(" +")) {
            int equals = field.indexOf('=');
            if (equals > 0 && field.substring(0, equals).equals(name)) {
                try {
                    return Long.parseLong(field.substring(equals + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("the memory probe's " + name + " is not a whole number: "
                            + resultLine);
                }
            }
        }
        throw new IllegalStateException("the memory probe's result line has no " + name + "= field: " + resultLine);
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

    /** Uniform noise images {@code [batch, C, H, W]} and random one-hot labels {@code [batch, K, H, W]}. */
    public static DataSet randomBatch(UNetConfig config, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        int h = config.input().height();
        int w = config.input().width();
        INDArray features = Nd4j.rand(DataType.FLOAT, batch, config.input().channels(), h, w);
        INDArray classes = Nd4j.rand(DataType.FLOAT, batch, 1, h, w).muli(config.numClasses()).castTo(DataType.INT32);
        INDArray labels = Nd4j.create(DataType.FLOAT, batch, config.numClasses(), h, w);
        for (int k = 0; k < config.numClasses(); k++) {
            labels.get(NDArrayIndex.all(), NDArrayIndex.point(k))
                    .assign(classes.eq(k).castTo(DataType.FLOAT).reshape(batch, h, w));
        }
        return new DataSet(features, labels);
    }
}
