package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.layers.direct.ConvWays;
import io.github.mdunet.core.layers.direct.ConvWorkspace;
import io.github.mdunet.core.nativememory.NativeHeap;
import io.github.mdunet.core.nativememory.NativeMemoryLimits;
import io.github.mdunet.runtime.process.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Calibrates {@link MemoryEstimator} on this machine: for each {@link CalibrationCase}, trains a few steps in a fresh
 * child JVM ({@link MemoryProbe}, same classpath) and takes its peak resident memory minus its idle baseline; then
 * fits a {@link MemoryCorrection} (least squares, one factor per term and an offset) and prints, as a Markdown table,
 * DL4J's uncorrected estimate, the corrected one and the measurement for each case with the relative errors
 * (in-sample and leave-one-out).
 *
 * <p>The command line is unet-examples' {@code CalibrateMemory} (see this module's README). Run it on a quiet
 * machine: every child has the whole machine's memory to itself only when nothing else big runs.
 */
public final class MemoryCalibration {

    private MemoryCalibration() {
    }

    /**
     * Small cases (classic encoders at several depths and widths, SqueezeNet, Tiny YOLO, Darknet19; the three
     * reductions, mid scales 0.5 to 2, inputs 64 to 192, batches 2 to 8; under 3 GB each) and the seed's network:
     * ResNet50 in both layouts at 512 x 512, batches 2 to 8 where this 24 GB machine allows (5 to 17 GB each); on
     * DL4J's stock layers, then a selection of them on the fused blocks.
     */
    public static final List<CalibrationCase> DEFAULT_CASES = List.of(
            new CalibrationCase("classic:4:16", 128, 4, ChannelReduction.EQ_SKIP, 1.0),
            new CalibrationCase("classic:4:16", 128, 4, ChannelReduction.NONE, 2.0),
            new CalibrationCase("classic:4:32", 128, 8, ChannelReduction.HALVE, 0.5),
            new CalibrationCase("classic:4:32", 192, 4, ChannelReduction.EQ_SKIP, 1.0),
            new CalibrationCase("classic:3:32", 160, 4, ChannelReduction.HALVE, 1.5),
            new CalibrationCase("classic:3:16", 192, 8, ChannelReduction.EQ_SKIP, 2.0),
            new CalibrationCase("classic:3:8", 96, 4, ChannelReduction.NONE, 0.5),
            new CalibrationCase("zoo:SQUEEZENET", 128, 8, ChannelReduction.EQ_SKIP, 1.0),
            new CalibrationCase("zoo:SQUEEZENET", 160, 4, ChannelReduction.HALVE, 0.5),
            new CalibrationCase("zoo:SQUEEZENET", 96, 8, ChannelReduction.NONE, 1.0),
            new CalibrationCase("zoo:TINY_YOLO", 128, 2, ChannelReduction.EQ_SKIP, 0.5),
            new CalibrationCase("classic:5:32", 64, 2, ChannelReduction.EQ_SKIP, 0.5),
            new CalibrationCase("zoo:DARKNET19", 96, 2, ChannelReduction.HALVE, 1.0),
            new CalibrationCase("zoo:RESNET50_DL4J", 512, 2, ChannelReduction.EQ_SKIP, 1.0),
            new CalibrationCase("zoo:RESNET50", 512, 2, ChannelReduction.EQ_SKIP, 1.0),
            new CalibrationCase("zoo:RESNET50_DL4J", 512, 4, ChannelReduction.EQ_SKIP, 1.0),
            new CalibrationCase("zoo:RESNET50", 512, 4, ChannelReduction.EQ_SKIP, 1.0),
            new CalibrationCase("zoo:RESNET50_DL4J", 512, 8, ChannelReduction.EQ_SKIP, 1.0),
            new CalibrationCase("zoo:RESNET50", 256, 8, ChannelReduction.EQ_SKIP, 1.0),
            new CalibrationCase("zoo:RESNET50", 512, 4, ChannelReduction.EQ_SKIP, 0.5),
            new CalibrationCase("zoo:RESNET50", 512, 4, ChannelReduction.HALVE, 1.0),
            new CalibrationCase("classic:4:16", 128, 4, ChannelReduction.EQ_SKIP, 1.0, BlockLayers.FUSED),
            new CalibrationCase("classic:4:32", 192, 4, ChannelReduction.EQ_SKIP, 1.0, BlockLayers.FUSED),
            new CalibrationCase("classic:3:16", 192, 8, ChannelReduction.EQ_SKIP, 2.0, BlockLayers.FUSED),
            new CalibrationCase("classic:3:32", 160, 4, ChannelReduction.HALVE, 1.5, BlockLayers.FUSED),
            new CalibrationCase("zoo:SQUEEZENET", 128, 8, ChannelReduction.EQ_SKIP, 1.0, BlockLayers.FUSED),
            new CalibrationCase("zoo:TINY_YOLO", 128, 2, ChannelReduction.EQ_SKIP, 0.5, BlockLayers.FUSED),
            new CalibrationCase("zoo:DARKNET19", 96, 2, ChannelReduction.HALVE, 1.0, BlockLayers.FUSED),
            new CalibrationCase("zoo:RESNET50_DL4J", 512, 4, ChannelReduction.EQ_SKIP, 1.0, BlockLayers.FUSED),
            new CalibrationCase("zoo:RESNET50", 512, 4, ChannelReduction.EQ_SKIP, 1.0, BlockLayers.FUSED),
            new CalibrationCase("zoo:RESNET50_DL4J", 512, 8, ChannelReduction.EQ_SKIP, 1.0, BlockLayers.FUSED),
            new CalibrationCase("zoo:RESNET50", 512, 8, ChannelReduction.EQ_SKIP, 1.0, BlockLayers.FUSED),
            new CalibrationCase("zoo:RESNET50", 256, 8, ChannelReduction.EQ_SKIP, 1.0, BlockLayers.FUSED),
            new CalibrationCase("zoo:RESNET50", 256, 2, ChannelReduction.EQ_SKIP, 1.0, BlockLayers.FUSED),
            new CalibrationCase("zoo:XCEPTION", 128, 4, ChannelReduction.EQ_SKIP, 1.0, BlockLayers.FUSED));

    /** One case: the estimator's raw terms and the measured peak training memory, in bytes. */
    public record Measurement(CalibrationCase probeCase, MemoryEstimate.RawTerms raw, long uncorrected, long measured,
                              long parameterCount) {

        double[] features() {
            return new double[] {raw.parameterState(), raw.activations(), raw.spatialConvolutions(),
                    raw.customLayers(), raw.workspace(), raw.fusedSpatialBlocks(), raw.fusedPointwiseBlocks(), 1};
        }
    }

    /** Cases measured above this size get their own leave-one-out figure in {@link #table}. */
    public static final long LARGE_CASE_BYTES = 4L << 30;

    /**
     * The fitted terms, in the order of {@link Measurement#features()} (the first must stay positive): a fit needs at
     * least this many measurements.
     */
    public static final int TERMS = 8;

    /** How long one probe may run: the largest default cases take minutes. */
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(30);

    /**
     * Runs {@link MemoryProbe} for {@code config} at {@code batchSize} in a fresh JVM with this JVM's classpath and
     * returns its peak resident memory minus its idle baseline, in bytes. The child has JavaCPP's native-memory limits
     * lifted, so a configuration that needs more memory than its heap setting implies is measured, not refused, and
     * this JVM's {@code -Dmdunet.nativeHeap} policy (see {@code NativeHeap}) and {@code -Dmdunet.convWays} and
     * {@code -Dmdunet.convWorkspace} settings (see {@code ConvWays} and {@code ConvWorkspace}).
     */
    public static long measureInChild(UNetConfig config, int batchSize, MemoryProbe.Mode mode, int steps, String xmx)
            throws IOException, InterruptedException {
        Path configFile = Files.createTempFile("mdunet-probe-", ".json");
        try {
            Files.writeString(configFile, new ObjectMapper().writeValueAsString(config));
            ChildJvm probe = new ChildJvm("memory probe of " + config + " at batch " + batchSize,
                    probeJvmOptions(xmx), MemoryProbe.class, List.of(configFile.toString(),
                            Integer.toString(batchSize), mode.name(), Integer.toString(steps)), PROBE_TIMEOUT);
            return MemoryProbe.field(probe.run(MemoryProbe.RESULT_PREFIX).line(), MemoryProbe.Field.MEASURED);
        } finally {
            Files.deleteIfExists(configFile);
        }
    }

    /**
     * The probe's JVM options: a fixed heap of {@code xmx}, JavaCPP's limits lifted, and this JVM's
     * {@code -Dmdunet.nativeHeap}, {@code -Dmdunet.convWays} and {@code -Dmdunet.convWorkspace} (empty when unset: the
     * child's defaults).
     */
    static List<String> probeJvmOptions(String xmx) {
        return List.of("-Xms" + xmx, "-Xmx" + xmx, "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC",
                "-D" + NativeHeap.PROPERTY + "=" + System.getProperty(NativeHeap.PROPERTY, ""),
                "-D" + ConvWays.PROPERTY + "=" + System.getProperty(ConvWays.PROPERTY, ""),
                "-D" + ConvWorkspace.PROPERTY + "=" + System.getProperty(ConvWorkspace.PROPERTY, ""),
                "-D" + NativeMemoryLimits.MAX_BYTES_PROPERTY + "=0",
                "-D" + NativeMemoryLimits.MAX_PHYSICAL_BYTES_PROPERTY + "=0");
    }

    /**
     * Least-squares fit of {@code measured ~ p * parameterState + a * activations + s * spatialConvolutions
     * + c * customLayers + w * workspace + fs * fusedSpatialBlocks + fp * fusedPointwiseBlocks + offset}, weighted by
     * {@code 1 / measured} so that relative errors are minimised. While a factor comes out below its floor (0.05 for
     * the parameter term, 0 for the others), the one furthest below is dropped (fixed at 1 for the parameter term, 0
     * for the others) and the rest refitted: one at a time, since dropping one term changes what the others must
     * explain.
     *
     * @throws IllegalArgumentException when there are fewer than {@link #TERMS} measurements: the fit would be
     *                                  underdetermined
     */
    public static MemoryCorrection fit(List<Measurement> measurements) {
        if (measurements.size() < TERMS) {
            throw new IllegalArgumentException("the memory correction has " + TERMS + " terms, so it needs at least "
                    + TERMS + " measurements but got " + measurements.size() + ": measure "
                    + (TERMS - measurements.size()) + " more case(s)");
        }
        boolean[] free = {true, true, true, true, true, true, true, true};
        double[] fixed = {1, 0, 0, 0, 0, 0, 0, 0};
        double[] floor = {0.05, 0, 0, 0, 0, 0, 0, 0};
        for (int attempt = 0; attempt < TERMS; attempt++) {
            double[] solution = leastSquares(measurements, free, fixed);
            int worst = -1;
            for (int i = 0; i < TERMS; i++) {
                if (free[i] && solution[i] < floor[i]
                        && (worst < 0 || solution[i] - floor[i] < solution[worst] - floor[worst])) {
                    worst = i;
                }
            }
            if (worst < 0) {
                return new MemoryCorrection(solution[0], solution[1], solution[2], solution[3], solution[4],
                        solution[5], solution[6], Math.round(solution[7]));
            }
            free[worst] = false;
        }
        return MemoryCorrection.NONE;
    }

    private static double[] leastSquares(List<Measurement> measurements, boolean[] free, double[] fixed) {
        List<Integer> columns = new ArrayList<>();
        for (int i = 0; i < TERMS; i++) {
            if (free[i]) {
                columns.add(i);
            }
        }
        int k = columns.size();
        double[][] normal = new double[k][k + 1];
        for (Measurement m : measurements) {
            double[] x = m.features();
            double y = m.measured;
            for (int i = 0; i < TERMS; i++) {
                if (!free[i]) {
                    y -= fixed[i] * x[i];
                }
            }
            double weight = 1.0 / m.measured;
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) {
                    normal[r][c] += x[columns.get(r)] * weight * x[columns.get(c)] * weight;
                }
                normal[r][k] += x[columns.get(r)] * weight * y * weight;
            }
        }
        double[] beta = solve(normal);
        double[] solution = fixed.clone();
        for (int r = 0; r < k; r++) {
            solution[columns.get(r)] = beta[r];
        }
        return solution;
    }

    /** Gaussian elimination with partial pivoting on an augmented matrix {@code [A | b]}. */
    private static double[] solve(double[][] augmented) {
        int n = augmented.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(augmented[row][col]) > Math.abs(augmented[pivot][col])) {
                    pivot = row;
                }
            }
            double[] tmp = augmented[col];
            augmented[col] = augmented[pivot];
            augmented[pivot] = tmp;
            double diagonal = augmented[col][col];
            if (Math.abs(diagonal) < 1e-12) {
                continue;
            }
            for (int row = 0; row < n; row++) {
                if (row != col) {
                    double factor = augmented[row][col] / diagonal;
                    for (int c = col; c <= n; c++) {
                        augmented[row][c] -= factor * augmented[col][c];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.abs(augmented[i][i]) < 1e-12 ? 0 : augmented[i][n] / augmented[i][i];
        }
        return x;
    }

    static long predict(MemoryCorrection c, Measurement m) {
        return Math.round(c.parameterFactor() * m.raw.parameterState() + c.activationFactor() * m.raw.activations()
                + c.spatialConvolutionFactor() * m.raw.spatialConvolutions()
                + c.customLayerFactor() * m.raw.customLayers() + c.workspaceFactor() * m.raw.workspace()
                + c.fusedSpatialFactor() * m.raw.fusedSpatialBlocks()
                + c.fusedPointwiseFactor() * m.raw.fusedPointwiseBlocks() + c.offsetBytes());
    }

    /**
     * The Markdown table of the calibration: per case, uncorrected, corrected and leave-one-out estimates against
     * measured (the leave-one-out figure is the in-sample one when the other cases are too few to fit).
     */
    public static String table(List<Measurement> measurements, MemoryCorrection fitted) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Correction: parameter state x %.3f, activations x %.3f,"
                        + " spatial convolution outputs x %.3f more, SameDiff layers x %.3f, workspace x %.3f,"
                        + " fused k x k block outputs x %.3f more, fused 1 x 1 block outputs x %.3f more,"
                        + " offset %s%n%n",
                fitted.parameterFactor(), fitted.activationFactor(), fitted.spatialConvolutionFactor(),
                fitted.customLayerFactor(), fitted.workspaceFactor(), fitted.fusedSpatialFactor(),
                fitted.fusedPointwiseFactor(), MemoryBudget.format(fitted.offsetBytes())));
        md.append("| configuration (encoder/size/batch/reduction/midScale) | parameters | DL4J report | estimate | "
                + "measured | error | leave-one-out error |\n|---|---:|---:|---:|---:|---:|---:|\n");
        double minError = Double.MAX_VALUE;
        double maxError = -Double.MAX_VALUE;
        double maxAbsLoo = 0;
        double maxAbsLooLarge = 0;
        for (int i = 0; i < measurements.size(); i++) {
            Measurement m = measurements.get(i);
            long estimate = predict(fitted, m);
            List<Measurement> others = new ArrayList<>(measurements);
            others.remove(i);
            long loo = others.size() >= TERMS ? predict(fit(others), m) : estimate;
            double error = (estimate - m.measured) / (double) m.measured;
            double looError = (loo - m.measured) / (double) m.measured;
            minError = Math.min(minError, error);
            maxError = Math.max(maxError, error);
            maxAbsLoo = Math.max(maxAbsLoo, Math.abs(looError));
            if (m.measured > LARGE_CASE_BYTES) {
                maxAbsLooLarge = Math.max(maxAbsLooLarge, Math.abs(looError));
            }
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %+.1f%% | %+.1f%% |%n",
                    m.probeCase.label(), m.parameterCount, MemoryBudget.format(m.uncorrected),
                    MemoryBudget.format(estimate), MemoryBudget.format(m.measured), 100 * error, 100 * looError));
        }
        md.append(String.format(Locale.ROOT, "%nError range (estimate vs measured): %+.1f%% to %+.1f%%;"
                + " largest leave-one-out"
                + " error %.1f%%, %.1f%% over the cases above %s.%n", 100 * minError, 100 * maxError, 100 * maxAbsLoo,
                100 * maxAbsLooLarge, MemoryBudget.format(LARGE_CASE_BYTES)));
        return md.toString();
    }
}
