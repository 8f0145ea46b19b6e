package io.github.mdunet.examples;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.app.ParsingConverter;
import io.github.mdunet.tuning.memory.CalibrationCase;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.memory.MemoryCalibration;
import io.github.mdunet.tuning.memory.MemoryCalibration.Measurement;
import io.github.mdunet.tuning.memory.MemoryCorrection;
import io.github.mdunet.tuning.memory.MemoryEstimate;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import io.github.mdunet.tuning.memory.MemoryProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * The command line of {@link MemoryCalibration}: measures each case's peak training memory in a child JVM, fits the
 * estimator's correction and prints and writes the table. The command is in unet-tuning's README.
 */
@Command(name = "memory-calibration", mixinStandardHelpOptions = true,
        description = "Measures peak training memory of U-Net configurations in child JVMs and fits the estimator's"
                + " correction.")
public final class CalibrateMemory extends AppCommand {

    @Option(names = "--out", description = "Directory for calibration.csv and calibration.md; cases already measured"
            + " in its calibration.csv are reused, not re-measured.")
    Path out = Path.of("target/calibration");

    @Option(names = "--case", converter = CaseConverter.class, showDefaultValue = Visibility.NEVER,
            description = "A case encoder/size/batch/reduction/midScale[/layers]; repeat; default: the built-in list.")
    List<CalibrationCase> cases = new ArrayList<>();

    @Option(names = "--steps", description = "Training steps per child.")
    int steps = 3;

    @Option(names = "--xmx", description = "Heap of each child, pre-touched.")
    String xmx = "512m";

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new CalibrateMemory()));
    }

    @Override
    public Integer call() throws Exception {
        OptionChecks.atLeast(commandLine(), "--steps", steps, 1);
        List<CalibrationCase> list = cases.isEmpty() ? MemoryCalibration.DEFAULT_CASES : cases;
        MemoryEstimator raw = new MemoryEstimator(MemoryCorrection.NONE);
        List<Measurement> measurements = new ArrayList<>();
        Files.createDirectories(out);
        Path csvFile = out.resolve("calibration.csv");
        Map<String, Long> previous = new HashMap<>();
        if (Files.exists(csvFile)) {
            List<String> lines = Files.readAllLines(csvFile);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                previous.put(f[0], Long.parseLong(f[f.length - 1]));
            }
        }
        for (CalibrationCase c : list) {
            MemoryEstimate estimate = raw.estimate(c.toConfig(), c.batch());
            long measured;
            if (previous.containsKey(c.toString())) {
                measured = previous.get(c.toString());
            } else {
                try {
                    measured = MemoryCalibration.measureInChild(c.toConfig(), c.batch(), MemoryProbe.Mode.TRAIN,
                            steps, xmx);
                } catch (IllegalStateException e) {
                    System.out.println("SKIPPED " + c + ": " + e.getMessage().lines().findFirst().orElse(""));
                    continue;
                }
            }
            Measurement m = new Measurement(c, estimate.raw(), estimate.uncorrectedTotal(), measured,
                    estimate.parameterCount());
            measurements.add(m);
            writeCsv(csvFile, measurements);
            System.out.printf(Locale.ROOT, "%-40s uncorrected %10s measured %10s%n", c,
                    MemoryBudget.format(m.uncorrected()), MemoryBudget.format(m.measured()));
        }
        MemoryCorrection fitted = MemoryCalibration.fit(measurements);
        String table = MemoryCalibration.table(measurements, fitted);
        System.out.println(table);
        Files.writeString(out.resolve("calibration.md"), table);
        return 0;
    }

    private static void writeCsv(Path file, List<Measurement> measurements) throws IOException {
        StringBuilder csv = new StringBuilder(
                "case,parameters,parameterStateBytes,activationBytes,spatialConvolutionBytes,customLayerBytes,"
                        + "workspaceBytes,fusedSpatialBytes,fusedPointwiseBytes,uncorrected,measured\n");
        for (Measurement m : measurements) {
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d%n", m.probeCase(),
                    m.parameterCount(), m.raw().parameterState(), m.raw().activations(), m.raw().spatialConvolutions(),
                    m.raw().customLayers(), m.raw().workspace(), m.raw().fusedSpatialBlocks(),
                    m.raw().fusedPointwiseBlocks(), m.uncorrected(), m.measured()));
        }
        Files.writeString(file, csv);
    }

    /**
     * {@code --case}: a {@link CalibrationCase} from its text form, refused unless its configuration builds, so that a
     * bad case is an option error before anything is measured.
     */
    static final class CaseConverter extends ParsingConverter<CalibrationCase> {
        CaseConverter() {
            super(CaseConverter::buildable);
        }

        private static CalibrationCase buildable(String text) {
            CalibrationCase parsed = CalibrationCase.parse(text);
            try {
                parsed.toConfig();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("calibration case '" + text + "': " + e.getMessage(), e);
            }
            return parsed;
        }
    }
}
