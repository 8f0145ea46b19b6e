package io.github.mdunet.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.app.BadInputException;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.examples.CommandLineErrorsTest.Run;
import io.github.mdunet.tuning.memory.CalibrationCase;
import io.github.mdunet.tuning.memory.MemoryCalibration.Measurement;
import io.github.mdunet.tuning.memory.MemoryEstimate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * memory-calibration with {@code --case}: the cases already in calibration.csv stay in it and in the fit. Every case
 * here is recorded, so nothing is measured (no child JVM starts).
 */
class CalibrateMemoryTest {

    /** Cases and measured bytes from the shipped calibration (unet-tuning's cpu-calibration.csv). */
    private static final List<Map.Entry<String, Long>> RECORDED = List.of(
            Map.entry("classic:4:16/128/4/EQ_SKIP/1.00", 442_683_392L),
            Map.entry("classic:4:16/128/4/NONE/2.00", 821_325_824L),
            Map.entry("classic:4:32/128/8/HALVE/0.50", 1_250_230_272L),
            Map.entry("classic:4:32/192/4/EQ_SKIP/1.00", 1_416_339_456L),
            Map.entry("classic:3:32/160/4/HALVE/1.50", 963_403_776L),
            Map.entry("classic:3:16/192/8/EQ_SKIP/2.00", 1_129_000_960L),
            Map.entry("classic:3:8/96/4/NONE/0.50", 230_461_440L),
            Map.entry("zoo:SQUEEZENET/128/8/EQ_SKIP/1.00", 1_359_183_872L),
            Map.entry("zoo:SQUEEZENET/160/4/HALVE/0.50", 1_075_130_368L));

    @TempDir
    Path out;

    /** A calibration.csv of the first {@code rows} recorded cases; only the first and last columns are read. */
    private Path recorded(int rows) throws IOException {
        String lines = RECORDED.subList(0, rows).stream().map(e -> e.getKey() + ",0,0,0,0,0,0,0,0,0," + e.getValue())
                .collect(Collectors.joining("\n", "case,...,measured\n", "\n"));
        return Files.writeString(out.resolve("calibration.csv"), lines);
    }

    private static Map<String, Long> measuredByCase(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().skip(1).map(line -> line.split(","))
                .collect(Collectors.toMap(f -> f[0], f -> Long.parseLong(f[f.length - 1])));
    }

    /** Once, a --case rewrote the file with that case alone and fitted eight terms on one row. */
    @Test
    @Timeout(120)
    void aCaseIsAddedToTheRecordedOnesAndTheFitIsOverAllOfThem() throws IOException {
        Path csv = recorded(RECORDED.size());

        Run run = CommandLineErrorsTest.run(new CalibrateMemory(), "--out", out.toString(), "--case",
                "classic:3:8/96/4/NONE/0.5");

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(measuredByCase(csv)).isEqualTo(RECORDED.stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        String table = Files.readString(out.resolve("calibration.md"));
        RECORDED.forEach(e -> assertThat(table).contains("| " + e.getKey() + " |"));
    }

    /** A row cut short after its third field used to have that field read as the case's measured bytes. */
    @Test
    @Timeout(120)
    void aRowWithTheWrongNumberOfFieldsIsRefusedNamingFileAndLine() throws IOException {
        Path csv = recorded(RECORDED.size());
        Files.writeString(csv, Files.readString(csv) + "zoo:SQUEEZENET/96/8/NONE/1.00,14684994,123\n");

        Run run = CommandLineErrorsTest.run(new CalibrateMemory(), "--out", out.toString(), "--case",
                RECORDED.get(0).getKey());

        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(run.err()).contains(csv + ", line 11: 'zoo:SQUEEZENET/96/8/NONE/1.00,14684994,123' has 3 fields"
                + " but a row has 11 (case,parameters,", "fix or delete the line").doesNotContain("\tat ");
        assertThat(out.resolve("calibration.md")).doesNotExist();
    }

    /** A last row cut inside its last number still has every field: only the missing line break shows it. */
    @Test
    @Timeout(120)
    void aLastRowWithoutItsLineBreakIsRefused() throws IOException {
        Path csv = recorded(RECORDED.size());
        String text = Files.readString(csv);
        Files.writeString(csv, text.substring(0, text.length() - 3));

        Run run = CommandLineErrorsTest.run(new CalibrateMemory(), "--out", out.toString(), "--case",
                RECORDED.get(0).getKey());

        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(run.err()).contains(csv + ", line 10: the file ends inside this line (no line break after it)",
                "delete the line").doesNotContain("\tat ");
    }

    /**
     * The table is replaced, never rewritten in place: a hard link to the old calibration.md keeps the old text (a
     * write in place would show the new one through it, and a kill midway would leave half a table).
     */
    @Test
    @Timeout(120)
    void theTableIsReplacedAtomically() throws IOException {
        recorded(RECORDED.size());
        Path table = Files.writeString(out.resolve("calibration.md"), "old table\n");
        Path oldTable = Files.createLink(out.resolve("old.md"), table);

        Run run = CommandLineErrorsTest.run(new CalibrateMemory(), "--out", out.toString(), "--case",
                RECORDED.get(0).getKey());

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(Files.readString(table)).contains("| " + RECORDED.get(0).getKey() + " |");
        assertThat(oldTable).hasContent("old table");
        assertThat(out).isDirectoryNotContaining("glob:**.partial");
    }

    /** The measurements are replaced atomically too, and read back as written. */
    @Test
    void theMeasurementsAreReplacedAtomicallyAndReadBack() throws IOException {
        Path csv = Files.writeString(out.resolve("calibration.csv"), "old rows\n");
        Path oldCsv = Files.createLink(out.resolve("old.csv"), csv);
        CalibrationCase c = CalibrationCase.parse(RECORDED.get(0).getKey());
        Measurement m = new Measurement(c, new MemoryEstimate.RawTerms(1, 2, 3, 4, 5, 6, 7), 28, RECORDED.get(0)
                .getValue(), 9);

        CalibrateMemory.writeCsv(csv, List.of(m));

        assertThat(oldCsv).hasContent("old rows");
        assertThat(Files.readAllLines(csv)).element(1).isEqualTo(c + ",9,1,2,3,4,5,6,7,28,"
                + RECORDED.get(0).getValue());
        assertThat(CalibrateMemory.readMeasured(csv)).containsExactly(Map.entry(c.toString(),
                RECORDED.get(0).getValue()));
        assertThat(out).isDirectoryNotContaining("glob:**.partial");
    }

    /**
     * The mid scale was written with 2 decimals: 0.125 came back as 0.13 (another network, refitted against this
     * one's measurement), and 1.004 as 1.00, the key of 1.0, so one of the two was never measured.
     */
    @Test
    void eachRowReadsBackAsTheCaseThatWasMeasured() throws IOException {
        Path csv = out.resolve("calibration.csv");
        List<CalibrationCase> cases = List.of(CalibrationCase.parse("classic:4:16/128/4/EQ_SKIP/0.125"),
                CalibrationCase.parse("classic:4:16/128/4/EQ_SKIP/1.0"),
                CalibrationCase.parse("classic:4:16/128/4/EQ_SKIP/1.004"));
        List<Measurement> rows = cases.stream().map(c -> new Measurement(c, new MemoryEstimate.RawTerms(1, 2, 3, 4, 5,
                6, 7), 28, 100 + cases.indexOf(c), 9)).toList();

        CalibrateMemory.writeCsv(csv, rows);

        Map<String, Long> read = CalibrateMemory.readMeasured(csv);
        assertThat(read).hasSize(3);
        assertThat(read.keySet().stream().map(CalibrationCase::parse)).containsExactlyElementsOf(cases);
    }

    @Test
    void aRowThatDoesNotEndInPositiveBytesIsRefused() throws IOException {
        Path csv = Files.writeString(out.resolve("calibration.csv"), "case,...,measured\n"
                + RECORDED.get(0).getKey() + ",0,0,0,0,0,0,0,0,0,0\n");

        assertThatThrownBy(() -> CalibrateMemory.readMeasured(csv)).isInstanceOf(BadInputException.class)
                .hasMessage(csv + ", line 2: '" + RECORDED.get(0).getKey() + ",0,0,0,0,0,0,0,0,0,0' does not end in"
                        + " the measured bytes (a positive whole number); fix or delete the line (or the file, to"
                        + " measure every case again)");
    }

    @Test
    @Timeout(120)
    void fewerRowsThanTermsAreKeptButNotFitted() throws IOException {
        Path csv = recorded(3);

        Run run = CommandLineErrorsTest.run(new CalibrateMemory(), "--out", out.toString(), "--case",
                RECORDED.get(1).getKey());

        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(run.err()).contains(csv + " holds 3 measured case(s) but the correction has 8 terms: no fit was"
                + " made (calibration.md not written)", "measure at least 5 more case(s) with --case")
                .doesNotContain("\tat ");
        assertThat(measuredByCase(csv)).containsOnlyKeys(RECORDED.get(0).getKey(), RECORDED.get(1).getKey(),
                RECORDED.get(2).getKey());
        assertThat(out.resolve("calibration.md")).doesNotExist();
    }
}
