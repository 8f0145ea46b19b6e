package io.github.mdunet.examples;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.BadInputException;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.app.ParsingConverter;
import io.github.mdunet.core.files.AtomicFiles;
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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * The command line of {@link MemoryCalibration}: measures each case's peak training memory in a child JVM, adds it to
 * the cases already in {@code calibration.csv} (a case there is reused, not measured again), fits the estimator's
 * correction on every row of the file and prints and writes the table. Both files are replaced atomically
 * ({@link AtomicFiles}), and a row of calibration.csv that is not whole (wrong number of fields, no line break after
 * the last) is refused, naming the file and the line. A row's case is written whole
 * ({@link CalibrationCase#toString()}) and shown with 2 decimals ({@link CalibrationCase#label()}); rows of earlier
 * versions, whose mid scale was rounded to 2 decimals, are read as the scale they show. The command is in
 * unet-tuning's README.
 */
@Command(name = "memory-calibration", mixinStandardHelpOptions = true,
        description = "Measures peak training memory of U-Net configurations in child JVMs and fits the estimator's"
                + " correction.")
public final class CalibrateMemory extends AppCommand {

    static final String CSV = "calibration.csv";
    static final String MARKDOWN = "calibration.md";
    /** The first line of calibration.csv: its columns. */
    static final String HEADER = "case,parameters,parameterStateBytes,activationBytes,spatialConvolutionBytes,"
            + "customLayerBytes,workspaceBytes,fusedSpatialBytes,fusedPointwiseBytes,uncorrected,measured";
    /** The fields of every row. */
    static final int FIELDS = HEADER.split(",").length;

    @Option(names = "--out", description = "Directory for calibration.csv and calibration.md; cases already measured"
            + " in its calibration.csv are reused, not re-measured, and every row of it is kept and fitted.")
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
        Files.createDirectories(out);
        Path csvFile = out.resolve(CSV);
        // Every row of the file, in its order: this run's cases are added to them (a case already there keeps its
        // place and its measurement), so that measuring a few more cases never drops the earlier ones.
        Map<String, Measurement> rows = new LinkedHashMap<>();
        readMeasured(csvFile).forEach((text, measured) -> {
            CalibrationCase recorded = recordedCase(csvFile, text);
            rows.put(recorded.toString(), measurement(raw, recorded, measured));
        });
        for (CalibrationCase c : list) {
            Measurement m = rows.get(c.toString());
            if (m == null) {
                long measured;
                try {
                    measured = MemoryCalibration.measureInChild(c.toConfig(), c.batch(), MemoryProbe.Mode.TRAIN,
                            steps, xmx);
                } catch (IllegalStateException e) {
                    System.out.println("SKIPPED " + c + ": " + e.getMessage().lines().findFirst().orElse(""));
                    continue;
                }
                m = measurement(raw, c, measured);
                rows.put(c.toString(), m);
                writeCsv(csvFile, rows.values());
            }
            System.out.printf(Locale.ROOT, "%-40s uncorrected %10s measured %10s%n", c.label(),
                    MemoryBudget.format(m.uncorrected()), MemoryBudget.format(m.measured()));
        }
        List<Measurement> measurements = List.copyOf(rows.values());
        if (measurements.size() < MemoryCalibration.TERMS) {
            throw new BadInputException(csvFile + " holds " + measurements.size() + " measured case(s) but the"
                    + " correction has " + MemoryCalibration.TERMS + " terms: no fit was made (" + MARKDOWN + " not"
                    + " written) and the measurements stay in the file; measure at least "
                    + (MemoryCalibration.TERMS - measurements.size()) + " more case(s) with --case, or run without"
                    + " --case for the built-in list");
        }
        MemoryCorrection fitted = MemoryCalibration.fit(measurements);
        String table = MemoryCalibration.table(measurements, fitted);
        System.out.println(table);
        AtomicFiles.durable().writeString(out.resolve(MARKDOWN), table);
        return 0;
    }

    private static Measurement measurement(MemoryEstimator raw, CalibrationCase c, long measured) {
        MemoryEstimate estimate = raw.estimate(c.toConfig(), c.batch());
        return new Measurement(c, estimate.raw(), estimate.uncorrectedTotal(), measured, estimate.parameterCount());
    }

    /**
     * The measured bytes of each case in {@code file} (its first and last columns), in the file's order.
     *
     * @throws BadInputException naming the file and the line when a row does not have {@link #FIELDS} fields, does not
     *                           end in a positive number, or is the last and has no line break after it (a write cut
     *                           short inside its number)
     */
    static Map<String, Long> readMeasured(Path file) throws IOException {
        Map<String, Long> measured = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return measured;
        }
        String text = Files.readString(file);
        List<String> lines = text.lines().toList();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = file + ", line " + (i + 1) + ": ";
            if (i == lines.size() - 1 && !text.endsWith("\n")) {
                throw new BadInputException(where + "the file ends inside this line (no line break after it), so its"
                        + " measured bytes may be cut short; delete the line to measure its case again");
            }
            String[] fields = line.split(",", -1);
            if (fields.length != FIELDS) {
                throw new BadInputException(where + "'" + line + "' has " + fields.length + " fields but a row has "
                        + FIELDS + " (" + HEADER + "): it is cut short or was not written by this version; fix or"
                        + " delete the line (or the file, to measure every case again)");
            }
            long bytes;
            try {
                bytes = Long.parseLong(fields[FIELDS - 1].trim());
            } catch (NumberFormatException e) {
                bytes = 0;
            }
            if (bytes < 1) {
                throw new BadInputException(where + "'" + line + "' does not end in the measured bytes (a positive"
                        + " whole number); fix or delete the line (or the file, to measure every case again)");
            }
            measured.put(fields[0], bytes);
        }
        return measured;
    }

    private static CalibrationCase recordedCase(Path file, String text) {
        try {
            CalibrationCase parsed = CalibrationCase.parse(text);
            parsed.toConfig();
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + ": the recorded case '" + text + "' cannot be estimated ("
                    + e.getMessage() + "); fix or delete its line", e);
        }
    }

    /**
     * Replaces {@code file} with a row per measurement, atomically: a reader or a kill sees the old rows or new. Each
     * row starts with its case's text ({@link CalibrationCase#toString()}: the mid scale whole, so that it is read back
     * as the same case).
     */
    static void writeCsv(Path file, Collection<Measurement> measurements) throws IOException {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (Measurement m : measurements) {
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d\n", m.probeCase(),
                    m.parameterCount(), m.raw().parameterState(), m.raw().activations(), m.raw().spatialConvolutions(),
                    m.raw().customLayers(), m.raw().workspace(), m.raw().fusedSpatialBlocks(),
                    m.raw().fusedPointwiseBlocks(), m.uncorrected(), m.measured()));
        }
        AtomicFiles.durable().writeString(file, csv);
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
