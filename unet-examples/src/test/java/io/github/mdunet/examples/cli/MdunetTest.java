package io.github.mdunet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.examples.CalibrateMemory;
import io.github.mdunet.examples.PrintParameterTable;
import io.github.mdunet.examples.bench.PipelineBenchmark;
import io.github.mdunet.examples.bench.ScaleOutBenchmark;
import io.github.mdunet.examples.bench.SyntheticTrainingCheck;
import io.github.mdunet.examples.parity.CompareSteps;
import io.github.mdunet.examples.parity.ExportReference;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The tool's commands, help, and exit statuses, as a user meets them. */
class MdunetTest {

    /** What a run printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    static Run mdunet(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        StringWriter help = new StringWriter();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = Mdunet.commandLine().setErr(new PrintWriter(err, true)).setOut(new PrintWriter(help, true))
                    .execute(args);
            return new Run(exit, help + out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
        }
    }

    /** A shell's completion of every command, option and choice, from the tool itself. */
    @Test
    void theToolPrintsItsShellCompletion() {
        assertThat(mdunet("--help").out()).contains("generate-completion");
        Run run = mdunet("generate-completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F _complete_mdunet", "superres-predict", "seed-parity", "--rotate",
                "--mask-ignore", "--mask-values", "--mask-palette-indices", "FLIPS_ZOOM");
    }

    @Test
    void helpListsEveryCommand() {
        Run run = mdunet("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: mdunet", "train", "predict", "evaluate", "tune", "plan", "demo",
                "quick-start", "generate-data", "superres", "superres-predict", "bench", "--verbose");
        for (String command : new String[] {"train", "predict", "evaluate", "tune", "plan", "demo", "quick-start",
                "generate-data", "superres", "superres-predict"}) {
            assertThat(mdunet(command, "--help").out()).as(command).contains("Usage: mdunet " + command);
        }
        for (String benchmark : new String[] {"seed-parity", "cpu-speedup", "learning-parity", "upsamplers"}) {
            assertThat(mdunet("bench", benchmark, "--help").out()).as(benchmark)
                    .contains("Usage: mdunet bench " + benchmark);
        }
        String train = mdunet("train", "--help").out();
        assertThat(train).contains("--val-data", "--mask-palette", "--mask-values", "--mask-palette-indices",
                "--resume", "--fresh", "--ui", "--verbose",
                "--depth", "--base-width");
        // The address the dashboard prints and the README gives: DL4J's UI serves its overview there.
        assertThat(train.replaceAll("\\s+", " ")).contains("PORT/train/overview while training");
        assertThat(mdunet("predict", "--help").out()).contains("--skip-bad-files");
    }

    /** A description's lone {@code %} makes picocli warn and print the raw text: every help text formats cleanly. */
    @Test
    void everyHelpTextFormatsWithoutAWarning() {
        PrintStream original = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            renderUsage(Mdunet.commandLine());
        } finally {
            System.setErr(original);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).doesNotContain("Could not format");
    }

    private static void renderUsage(picocli.CommandLine command) {
        assertThat(command.getUsageMessage()).isNotBlank();
        command.getSubcommands().values().forEach(MdunetTest::renderUsage);
    }

    @Test
    void everyAppShowsItsOptionsDefaultsFromTheirValues() {
        List<CommandLine> apps = new ArrayList<>();
        Mdunet.commandLine().getSubcommands().values().stream()
                .filter(command -> !(command.getCommandSpec().userObject() instanceof AutoComplete.GenerateCompletion))
                .forEach(command -> apps.addAll(
                        command.getSubcommands().isEmpty() ? List.of(command) : command.getSubcommands().values()));
        Stream.of(new CalibrateMemory(), new ScaleOutBenchmark(), new ExportReference(), new CompareSteps(),
                        new PipelineBenchmark(), new SyntheticTrainingCheck(), new PrintParameterTable())
                .map(CommandLine::new).forEach(apps::add);
        for (CommandLine app : apps) {
            CommandSpec spec = app.getCommandSpec();
            assertThat(spec.userObject()).as(spec.qualifiedName()).isInstanceOf(AppCommand.class);
            assertThat(spec.usageMessage().showDefaultValues()).as(spec.qualifiedName()).isTrue();
            spec.interpolateVariables(false); // the descriptions as written, not with the defaults filled in
            for (OptionSpec option : spec.options()) {
                assertThat(String.join(" ", option.description())).as(spec.qualifiedName() + " " + option.longestName())
                        .doesNotContain("${DEFAULT-VALUE}");
            }
        }
        String train = mdunet("train", "--help").out();
        assertThat(train).containsPattern("--epochs=<epochs>\\s+Training epochs\\.\\s+Default: 20\\R")
                .containsPattern("--classes=<classes>\\s+Number of classes, background included\\.\\R\\s+--");
    }

    /** The modes' names in help come from {@code UpsampleMode}'s one table, never typed or counted by hand. */
    @Test
    void upsampleOptionsListTheModesOfTheOneTable() {
        String modes = String.join(", ", UpsampleMode.names());
        String seedParity = mdunet("bench", "seed-parity", "--help").out().replaceAll("\\s+", " ");
        assertThat(seedParity).contains("--upsample=<upsample> " + modes + ". Default: " + UpsampleMode.PIXEL_SHUFFLE);
        String upsamplers = mdunet("bench", "upsamplers", "--help").out().replaceAll("\\s+", " ");
        assertThat(upsamplers).contains("Modes to compare, of " + modes + " (default: all).");
    }

    @Test
    void noCommandOrABadOptionIsABadOptionWithoutAStackTrace() {
        Run none = mdunet();
        assertThat(none.exitCode()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(none.err()).contains("give a command, e.g. mdunet train --help");
        Run bad = mdunet("train", "--data", "nowhere", "--classes", "3", "--epochs", "0");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(bad.err()).contains("--epochs must be >= 1 but was 0", "Usage: mdunet train")
                .doesNotContain("\tat ");
        Run both = mdunet("train", "--data", "nowhere", "--classes", "3", "--resume", "--fresh");
        assertThat(both.err()).contains("--resume and --fresh contradict each other");
        Run port = mdunet("train", "--data", "nowhere", "--classes", "3", "--ui", "70000");
        assertThat(port.err()).contains("--ui takes a port in 1..65535 but was 70000");
    }

    @Test
    void planPrintsTheCandidatesWithoutTraining() {
        Run run = mdunet("plan", "--size", "32", "--batch", "2", "--budget", "2g", "--scales", "1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("est. memory", "EQ_SKIP", "fit");
    }

    @Test
    void versionNamesTheToolAndJava() {
        Run run = mdunet("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("mdunet ").contains("Java ");
    }
}
