package io.github.mdunet.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The seed-parity benchmark end to end on a tiny U-Net: every figure is printed, memory measured in a child. */
class SeedParityBenchmarkTest {

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new SeedParityBenchmark()).execute(args);
            assertThat(exit).as("exit code, output:%n%s", captured).isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static double figure(String console, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(console);
        assertThat(matcher.find()).as("%s in%n%s", regex, console).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static final long GIB = 1L << 30;

    /** A child near the machine's size would swap or be killed: it runs only up to 80% of physical memory. */
    @Test
    void aMemoryMeasurementIsSkippedAboveEightyPercentOfPhysicalMemoryNamingBothFigures() {
        long machine = (long) (23.5 * GIB);
        assertThat(SeedParityBenchmark.skipReason((long) (20.8 * GIB), machine)).hasValue(
                "the estimate 20.8 GiB is over 80% of this machine's 23.5 GiB (18.8 GiB)");
        assertThat(SeedParityBenchmark.skipReason((long) (27.2 * GIB), machine)).isPresent();
        assertThat(SeedParityBenchmark.skipReason(machine / 100 * 80, machine)).isEmpty();
        assertThat(SeedParityBenchmark.skipReason(machine / 100 * 80 + 1, machine)).isPresent();
        assertThat(SeedParityBenchmark.skipReason(12 * GIB, machine)).isEmpty();
    }

    @Test
    void printsEveryFigureOfTheParityTableAndTheSeedsSentence() {
        String console = run("--encoder", "classic:2:4", "--height", "32", "--width", "48", "--batch", "2",
                "--warmup", "1", "--steps", "5", "--memory-height", "32", "--memory-width", "32", "--memory-batch", "2",
                "--memory-steps", "1", "--budget", "64k", "--time-save");
        assertThat(console).contains("U-Net: classic:2:4, EQ_SKIP, mid 1.0, pixelShuffle, TorchAdam, FLOAT, 2 classes");
        assertThat(console).contains("| figure | FUSED | STOCK |");
        assertThat(console).containsPattern("\\| parameters \\| ([1-9][\\d,]*) \\| \\1 \\|");
        assertThat(figure(console, "GFLOP per image at 32 x 48 \\| (\\d+\\.\\d) \\|")).isGreaterThanOrEqualTo(0);
        assertThat(figure(console, "SGEMM 2048 x 2048, same JVM \\(before / after the steps\\)"
                        + " \\| (\\d+) / \\d+ GFLOP/s"))
                .isPositive();
        String step = "training step, batch 2 \\(median of 5, paths interleaved\\) \\| \\S+ s, (\\S+) img/s \\| \\S+ s,"
                + " \\S+ img/s \\|";
        assertThat(figure(console, step)).isPositive();
        // a tiny network runs far below SGEMM speed: the ratio may print as 0.00
        assertThat(figure(console, "training / SGEMM \\(mean of both SGEMM figures\\) \\| (\\S+) \\|")).isBetween(0.0,
                1.0);
        assertThat(figure(console, "inference, batch 2 \\| (\\S+) img/s \\| \\S+ img/s \\|")).isPositive();
        assertThat(figure(console, "speed-up over STOCK \\(training / inference\\)"
                        + " \\| (\\S+)x / \\S+x \\| 1.00x / 1.00x"))
                .isPositive();
        assertThat(console).containsPattern("save with the updater state: UNet.save / ModelSerializer.writeModel"
                + " \\(median of 2 in turn\\) \\| \\d+\\.\\d\\d s, [\\d.]+ [KM]iB / \\d+\\.\\d\\d s, [\\d.]+ [KM]iB"
                + " \\([\\d.]+x faster, file [+-]\\d+%\\) \\|");
        assertThat(console).containsPattern("measured peak over baseline, 32 x 32, batch 2 \\| [\\d.]+ [KMG]iB"
                + " \\(estimate [+-]\\d+%\\) \\| [\\d.]+ [KMG]iB \\(estimate [+-]\\d+%\\) \\|");
        // four decoders of the seed's sentence; a 64 KiB budget keeps none of them
        assertThat(console).contains("| NONE, mid 2.0 |", "| HALVE, mid 1.0 |", "| EQ_SKIP, mid 1.0 |",
                "| EQ_SKIP, mid 0.5 |");
        assertThat(console.split("does not fit", -1)).hasSize(5);
    }

    @Test
    void refusesFewerThanFiveTimedSteps() {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int exit = new CommandLine(new SeedParityBenchmark())
                .setErr(new java.io.PrintWriter(errors, true, StandardCharsets.UTF_8)).execute("--steps", "3");
        assertThat(exit).isNotZero();
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("--steps must be >= 5 but was 3");
    }
}
