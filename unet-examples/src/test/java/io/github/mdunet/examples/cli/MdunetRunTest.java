package io.github.mdunet.examples.cli;

import static io.github.mdunet.examples.cli.MdunetTest.mdunet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.app.ExitCode;
import io.github.mdunet.data.testing.SmallShapes;
import io.github.mdunet.examples.report.ReportPages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The tool end to end on tiny data with colour masks: train with a validation folder, a palette file and the
 * training UI, the run's report, a second run refused until --resume or --fresh says what to do (--fresh keeps the
 * earlier run's checkpoints, report and evaluation), and evaluate, twice into one folder.
 */
class MdunetRunTest {

    @TempDir
    Path directory;

    static Path paletteFile(Path file) throws IOException {
        List<String> lines = new ArrayList<>(List.of("# class id = mask colour"));
        lines.addAll(SmallShapes.paletteEntries());
        return Files.write(file, lines);
    }

    private static String[] with(String[] args, String... more) {
        return Stream.concat(Stream.of(args), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void trainsReportsRefusesAGuessResumesStartsAfreshAndEvaluates() throws Exception {
        Path data = SmallShapes.withColourMasks(directory.resolve("train"), 12, 3);
        Path validation = SmallShapes.withColourMasks(directory.resolve("validation"), 4, 5);
        Path palette = paletteFile(directory.resolve("palette.txt"));
        Path output = directory.resolve("run");
        String[] train = {"train", "--data", data.toString(), "--val-data", validation.toString(), "--classes", "4",
            "--mask-palette", palette.toString(), "--output", output.toString(), "--height", "32", "--width", "32",
            "--epochs", "1", "--batch", "12", "--patience", "0"};
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        MdunetTest.Run first = mdunet(with(train, "--ui", String.valueOf(port)));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("12 training, 4 validation samples",
                "Training dashboard (DL4J's UI, open while this run trains): http://localhost:" + port
                        + "/train/overview", "Report: ", "mean IoU: ");
        Document report = ReportPages.read(output.resolve("report.html"));
        assertThat(report.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("mdunet train: " + output);
        assertThat(ReportPages.text(report, "options")).contains("--mask-palette", "--val-data", "#E6194B");
        assertThat(ReportPages.text(report, "channel-plan")).contains("stage 1", "head");
        assertThat(ReportPages.text(report, "model-config")).contains("numClasses=4");
        assertThat(ReportPages.rows(report, "epochs")).isEqualTo(1);
        assertThat(ReportPages.rows(report, "per-class")).isEqualTo(4);
        assertThat(ReportPages.text(report, "time-spent")).contains("whole run", "mean epoch");
        assertThat(ReportPages.pictures(report)).hasSize(2 + 4); // curves, confusion matrix, the 4 images
        ReportPages.checkInBrowserIfInstalled(output.resolve("report.html"), directory, "Channel plan",
                "Confusion matrix", "Worst images");
        assertThat(output.resolve("evaluation/confusion-matrix.png")).isNotEmptyFile();
        assertThat(output.resolve("evaluation/per-class.csv")).content().startsWith("class,name,iou,dice");

        MdunetTest.Run guessed = mdunet(train);
        assertThat(guessed.exitCode()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(guessed.err()).contains("holds a run after epoch 1 (best.zip, last.zip, training-state.json):"
                + " give --resume to continue it, or --fresh to start a new run").doesNotContain("\tat ");

        MdunetTest.Run resumed = mdunet(with(train, "--resume"));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("Resuming the run in " + output.resolve("checkpoints") + " after epoch 1",
                "all 1 epochs done");
        assertThat(ReportPages.text(ReportPages.read(output.resolve("report.html")), "time-spent"))
                .as("the resumed run trained no epoch itself; epoch 1 is the earlier run's")
                .contains("(this process, resumed after epoch 1)", "over 0 epoch(s)", "earlier runs (resumed)");

        MdunetTest.Run fresh = mdunet(with(train, "--fresh"));
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        assertThat(fresh.out()).contains("Starting afresh; the earlier run's files (best.zip, last.zip,"
                + " training-state.json, report.html, evaluation/) are now in "
                + output.toAbsolutePath().resolve("checkpoints-previous-"));
        try (Stream<Path> siblings = Files.list(output)) {
            List<Path> previous = siblings.filter(p -> p.getFileName().toString().startsWith("checkpoints-previous-"))
                    .toList();
            assertThat(previous).hasSize(1);
            assertThat(previous.get(0).resolve("best.zip")).isRegularFile();
            assertThat(previous.get(0).resolve("report.html")).as("the earlier run's report is kept").isNotEmptyFile();
            assertThat(previous.get(0).resolve("evaluation/per-class.csv")).isNotEmptyFile();
        }
        assertThat(output.resolve("report.html")).isNotEmptyFile();
        assertThat(output.resolve("evaluation/per-class.csv")).isNotEmptyFile();

        Path evaluation = directory.resolve("evaluation");
        Path model = output.resolve("checkpoints/best.zip");
        MdunetTest.Run evaluated = mdunet("evaluate", "--model", model.toString(), "--data", validation.toString(),
                "--mask-palette", palette.toString(), "--output", evaluation.toString(), "--worst", "2");
        assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
        assertThat(evaluated.out()).contains("Confusion matrix (rows: actual, columns: predicted)", "mean IoU: ");
        assertThat(evaluation.resolve("per-image.csv")).content().hasLineCount(5);
        assertThat(evaluation.resolve("confusion-matrix.csv")).content().startsWith("actual\\predicted,0,1,2,3");
        // Precision and recall of each class are its diagonal count over its column and over its row.
        List<long[]> matrix = Files.readAllLines(evaluation.resolve("confusion-matrix.csv")).stream().skip(1)
                .map(line -> Arrays.stream(line.split(",")).skip(1).mapToLong(Long::parseLong).toArray()).toList();
        List<String> perClass = Files.readAllLines(evaluation.resolve("per-class.csv"));
        assertThat(perClass.get(0)).endsWith(",precision,recall");
        for (int k = 0; k < 4; k++) {
            String[] row = perClass.get(k + 1).split(",");
            int c = k;
            long column = matrix.stream().mapToLong(counts -> counts[c]).sum();
            long labelled = Arrays.stream(matrix.get(k)).sum();
            assertThat(Double.parseDouble(row[6])).as("precision of %d", k)
                    .isCloseTo(column == 0 ? Double.NaN : (double) matrix.get(k)[k] / column, within(1e-6));
            assertThat(Double.parseDouble(row[7])).as("recall of %d", k)
                    .isCloseTo(labelled == 0 ? Double.NaN : (double) matrix.get(k)[k] / labelled, within(1e-6));
        }
        try (Stream<Path> worst = Files.list(evaluation.resolve("worst"))) {
            assertThat(worst.count()).isEqualTo(2);
        }
        Document page = ReportPages.read(evaluation.resolve("evaluation.html"));
        assertThat(ReportPages.rows(page, "per-class")).isEqualTo(4);
        assertThat(ReportPages.pictures(page)).hasSize(1 + 2);

        // Another evaluation into the same folder replaces the overlays of the first; a file of the user's stays.
        Path notes = Files.writeString(evaluation.resolve("worst/notes.txt"), "mine");
        MdunetTest.Run again = mdunet("evaluate", "--model", model.toString(), "--data", data.toString(),
                "--mask-palette", palette.toString(), "--output", evaluation.toString(), "--worst", "1");
        assertThat(again.exitCode()).as(again.err()).isZero();
        try (Stream<Path> worst = Files.list(evaluation.resolve("worst"))) {
            assertThat(worst.map(p -> p.getFileName().toString())).hasSize(2).contains("notes.txt")
                    .anyMatch(name -> name.startsWith("01-"));
        }
        assertThat(notes).hasContent("mine");

        MdunetTest.Run colours = mdunet("evaluate", "--model", model.toString(), "--data", validation.toString(),
                "--output", evaluation.toString());
        assertThat(colours.exitCode()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(colours.err()).contains("colour mask", "--mask-palette").doesNotContain("\tat ");
    }
}
