package io.github.mdunet.spark.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.train.LearningRateSchedule;
import io.github.mdunet.data.augment.AugmentPreset;
import io.github.mdunet.data.augment.ColorJitter;
import io.github.mdunet.data.augment.ElasticDeformation;
import io.github.mdunet.data.augment.LightingSpace;
import io.github.mdunet.data.testing.SmallShapes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The Spark app's command line as a user meets it, like every other app's: checked before Spark starts. */
class SparkTrainFolderTest {

    @TempDir
    Path directory;

    /** What a run returned and wrote to its error stream. */
    record Run(int exitCode, String err) {
    }

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        int exit = CommandLines.of(new SparkTrainFolder()).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(exit, err.toString());
    }

    @Test
    void aBadOptionIsNamedWithTheUsageBeforeAnythingIsRead() {
        Run run = run("--data", directory.resolve("none").toString(), "--classes", "2", "--averaging-frequency", "0");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--averaging-frequency must be >= 1 but was 0", "Usage: spark-train-folder")
                .doesNotContain("\tat ");
    }

    /** An input the encoder cannot take is a bad option before the folder is read, as in train-folder. */
    @Test
    void anInputSmallerThanTheEncodersStrideIsABadOption() {
        Run run = run("--data", directory.resolve("none").toString(), "--classes", "2", "--size", "8", "--depth", "4");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("the options give no valid U-Net (--depth 4, --base-width", "--size 8)",
                "Usage: spark-train-folder").doesNotContain("\tat ");
    }

    @Test
    void aMissingDataFolderIsBadDataNamedWithoutAStackTrace() {
        Path missing = directory.resolve("no-such-folder");
        Run run = run("--data", missing.toString(), "--classes", "2", "--output", directory.resolve("out").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(run.err()).startsWith("spark-train-folder: segmentation dataset " + missing.resolve("images"))
                .doesNotContain("\tat ");
        assertThat(directory.resolve("out")).as("nothing written").doesNotExist();
    }

    /**
     * An earlier run's checkpoints in the output folder are refused before the data is read or Spark starts, naming
     * them and {@code --fresh}; nothing is moved or overwritten.
     */
    @Test
    void anEarlierRunIsRefusedUnlessFreshIsGiven() throws IOException {
        Path checkpoints = directory.resolve("out").resolve("checkpoints");
        Files.createDirectories(checkpoints);
        Files.writeString(checkpoints.resolve("last.zip"), "the earlier run's model");
        Run run = run("--data", directory.resolve("no-such-folder").toString(), "--classes", "2", "--output",
                directory.resolve("out").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains(checkpoints + " holds models without a training-state.json (last.zip): give"
                + " --fresh to start a new run").doesNotContain("\tat ");
        assertThat(Files.readString(checkpoints.resolve("last.zip"))).isEqualTo("the earlier run's model");
    }

    /** train-folder's folder options, checked the same way before Spark starts. */
    @Test
    void aPaletteBeyondTheClassesIsABadOptionAsInTrainFolder() {
        Run run = run("--data", directory.resolve("none").toString(), "--classes", "2", "--mask-palette",
                "0=#000000,1=#FF0000,3=#00FF00");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--mask-palette maps colour #00FF00 to class 3, but there are 2 classes",
                "Usage: spark-train-folder").doesNotContain("\tat ");
    }

    /**
     * The whole app in {@code local[2]}, configured as spark-submit configures it (through {@code spark.*} system
     * properties): colour masks read through {@code --mask-palette}, validated on the {@code --val-data} folder, the
     * best and last models written to the driver's output folder, and the figures printed; the earlier run in the
     * output folder moved aside by {@code --fresh}.
     */
    @Test
    void trainsOnColourMasksValidatedOnAFolderAndWritesTheModels() throws IOException {
        Path train = SmallShapes.withColourMasks(directory.resolve("train"), 8, 1);
        Path validation = SmallShapes.withColourMasks(directory.resolve("validation"), 4, 2);
        Path output = directory.resolve("out");
        Files.createDirectories(output.resolve("checkpoints"));
        Files.writeString(output.resolve("checkpoints").resolve("last.zip"), "the earlier run's model");
        Map<String, String> conf = Map.of("spark.master", "local[2]", "spark.ui.enabled", "false",
                "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1");
        conf.forEach(System::setProperty);
        PrintStream originalOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        Run run;
        try {
            run = run("--data", train.toString(), "--classes", "4", "--mask-palette",
                    String.join(",", SmallShapes.paletteEntries()), "--val-data", validation.toString(), "--size",
                    "32", "--depth", "2", "--base-width", "8", "--epochs", "2",
                    "--batch", "2", "--augment", "NONE", "--output", output.toString(), "--fresh", "--export-dir",
                    directory.resolve("export").toUri().toString());
        } finally {
            System.setOut(originalOut);
            conf.keySet().forEach(System::clearProperty);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(run.exitCode()).as(run.err() + printed).isZero();
        assertThat(printed).contains("Best epoch", "mean IoU: ");
        assertThat(output.resolve("checkpoints").resolve("best.zip")).isRegularFile();
        assertThat(output.resolve("checkpoints").resolve("last.zip")).isRegularFile();
        try (Stream<Path> siblings = Files.list(output)) {
            Path earlier = siblings.filter(path -> path.getFileName().toString().startsWith("checkpoints-previous-"))
                    .findFirst().orElseThrow();
            assertThat(Files.readString(earlier.resolve("last.zip"))).as("--fresh moved the earlier run aside")
                    .isEqualTo("the earlier run's model");
            assertThat(printed).contains("Starting afresh; the earlier run's files (last.zip) are now in " + earlier);
        }
    }

    @Test
    void theScheduleChosenIsTheOneTheDriverTrainsWith() {
        SparkTrainFolder app = new SparkTrainFolder();
        new CommandLine(app).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", "d", "--classes", "2",
                "--schedule", "flat_cos");
        assertThat(app.sparkTraining(3, 2).schedule()).isEqualTo(LearningRateSchedule.FlatCosine.fastai());
        SparkTrainFolder byDefault = new SparkTrainFolder();
        new CommandLine(byDefault).parseArgs("--data", "d", "--classes", "2");
        assertThat(byDefault.sparkTraining(3, 2).schedule()).isEqualTo(LearningRateSchedule.OneCycle.fastai());
    }

    /** The augmentation options of {@code mdunet train} reach the pipeline; a value out of range is a bad option. */
    @Test
    void theAugmentationOptionsAreTrainsAndCheckedBeforeAnythingIsRead() {
        SparkTrainFolder app = new SparkTrainFolder();
        new CommandLine(app).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", "d", "--classes", "2",
                "--augment", "fastai", "--rotate", "5", "--elastic", "2,16", "--jitter", "0.1,0.1,0.1,0.05");
        assertThat(app.augment.config()).isEqualTo(AugmentPreset.FASTAI.config().withRotation(5)
                .withElastic(new ElasticDeformation(2, 16))
                .withJitter(new ColorJitter(0.1, 0.1, 0.1, 0.05, LightingSpace.LOGITS)));
        Run run = run("--data", directory.resolve("none").toString(), "--classes", "2", "--warp", "0.7");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--warp must be in [0, 0.5) (a share of the window's half side; fastai's"
                + " max_warp is 0.2) but was 0.7", "Usage: spark-train-folder").doesNotContain("\tat ");
    }

    /** {@code --workers} sets the worker count outright, and the partitions follow it unless given. */
    @Test
    void theWorkerCountIsTheOneGivenElseSparksAndThePartitionsFollowIt() {
        SparkTrainFolder app = new SparkTrainFolder();
        new CommandLine(app).parseArgs("--data", "d", "--classes", "2", "--workers", "3");
        assertThat(app.workers(2)).isEqualTo(3);
        assertThat(app.partitions(app.workers(2))).isEqualTo(3);
        SparkTrainFolder byDefault = new SparkTrainFolder();
        new CommandLine(byDefault).parseArgs("--data", "d", "--classes", "2", "--partitions", "5");
        assertThat(byDefault.workers(2)).as("Spark's default parallelism").isEqualTo(2);
        assertThat(byDefault.partitions(byDefault.workers(2))).isEqualTo(5);

        Run run = run("--data", directory.resolve("none").toString(), "--classes", "2", "--workers", "-1");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--workers must be >= 0 but was -1");
    }

    @Test
    void helpShowsEachDefaultFromItsValue() {
        StringWriter out = new StringWriter();
        CommandLines.of(new SparkTrainFolder()).setOut(new PrintWriter(out, true)).execute("--help");
        assertThat(out.toString()).containsPattern("--averaging-frequency=<averagingFrequency>\\s+Batches each worker"
                + " fits between two averages\\.\\s+Default: 1\\R");
    }
}
