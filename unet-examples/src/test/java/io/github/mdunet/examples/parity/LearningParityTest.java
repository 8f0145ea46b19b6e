package io.github.mdunet.examples.parity;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.examples.GenerateBenchmarkData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/** The parity benchmark's results, in the units of the PyTorch reference's results. */
class LearningParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The training losses recorded for each epoch are the trainer's own per-pixel means, the units the reference
     * records (about ln 4 for an untrained 4-class U-Net), not those divided once more by the pixel count.
     */
    @Test
    void recordsTheTrainersPerPixelLossesPerEpoch(@TempDir Path directory) throws Exception {
        Path data = directory.resolve("bench");
        Path out = directory.resolve("ours");
        assertThat(CommandLines.of(new GenerateBenchmarkData()).execute("--out", data.toString(), "--train", "8",
                "--heldout", "4", "--width", "32", "--height", "32")).isZero();

        int exit = CommandLines.of(new LearningParity()).execute("--data", data.toString(), "--seeds", "1",
                "--epochs", "2", "--depth", "2", "--base-width", "2", "--batch", "4", "--out", out.toString());

        assertThat(exit).isZero();
        JsonNode seed = JSON.readTree(out.resolve("results.json").toFile()).path("seeds").get(0);
        List<Double> recorded = new ArrayList<>();
        seed.path("trainLossPerEpoch").forEach(loss -> recorded.add(loss.asDouble()));
        List<Double> trainers = new ArrayList<>();
        JSON.readTree(out.resolve("seed-1").resolve("training-state.json").toFile()).path("history")
                .forEach(epoch -> trainers.add(epoch.path("trainLoss").asDouble()));
        assertThat(recorded).hasSize(2).isEqualTo(trainers);
        assertThat(recorded.get(0)).as("a 4-class cross-entropy early in training").isBetween(0.3, 5.0);

        Path reference = out.resolve("results.json");
        assertThat(CommandLines.of(new LearningParity()).execute("--report-only", "--out", out.toString(),
                "--reference", reference.toString())).as("--report-only needs no --data").isZero();
    }

    /** Without --report-only, --data is required: its absence is named before anything is written. */
    @Test
    void trainingWithoutDataIsRefusedNamingTheOption(@TempDir Path directory) {
        Path out = directory.resolve("ours");
        StringWriter err = new StringWriter();

        int exit = CommandLines.of(new LearningParity()).setErr(new PrintWriter(err, true))
                .execute("--out", out.toString());

        assertThat(exit).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(err.toString()).contains("Missing required option: '--data=<data>'",
                "or --report-only to train nothing");
        assertThat(out).doesNotExist();
    }

    /** --report-only reads --out's results.json: a folder without one is named, with the fix. */
    @Test
    void aReportWithoutResultsNamesTheFolder(@TempDir Path directory) {
        StringWriter err = new StringWriter();

        int exit = CommandLines.of(new LearningParity()).setErr(new PrintWriter(err, true))
                .execute("--report-only", "--out", directory.toString());

        assertThat(exit).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(err.toString()).contains("--out " + directory + " holds no results.json",
                "run learning-parity with --data first");
    }

    /**
     * With --init every seed starts from the exported U-Net's weights (the reference's --init with its init.npz);
     * without it the seed draws its own.
     */
    @Test
    void initStartsTheSeedFromTheExportedWeights(@TempDir Path directory) throws Exception {
        Path data = benchmark(directory);
        Path exported = export(directory, "2");
        Path withInit = directory.resolve("with-init");
        Path own = directory.resolve("own");
        String[] recipe = {"--data", data.toString(), "--seeds", "5", "--epochs", "1", "--depth", "2",
            "--base-width", "2", "--batch", "4"};

        assertThat(CommandLines.of(new LearningParity()).execute(with(recipe, "--out", withInit.toString(),
                "--init", exported.resolve("init-model.zip").toString()))).isZero();
        assertThat(CommandLines.of(new LearningParity()).execute(with(recipe, "--out", own.toString()))).isZero();

        INDArray start = UNet.load(exported.resolve("init-model.zip")).graph().params();
        assertThat(startingWeights(withInit)).isEqualTo(start);
        assertThat(startingWeights(own)).as("seed 5's own weights").isNotEqualTo(start);
        assertThat(JSON.readTree(withInit.resolve("results.json").toFile()).path("init").asText())
                .isEqualTo(exported.resolve("init-model.zip").toString());
        assertThat(JSON.readTree(own.resolve("results.json").toFile()).path("init").asText()).isEqualTo("own");
    }

    /**
     * An --init exported before file format 6 (its configuration without a decoder layout) holds the earlier layout,
     * which builds this recipe's network too: it is the same recipe.
     */
    @Test
    void anInitExportedBeforeFormatSixIsTheSameRecipe(@TempDir Path directory) throws Exception {
        Path data = benchmark(directory);
        Path init = export(directory, "2").resolve("init-model.zip");
        try (FileSystem zip = FileSystems.newFileSystem(init)) {
            Path entry = zip.getPath("mdunet-config.json");
            ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(entry));
            root.put("formatVersion", 5);
            ((ObjectNode) root.get("config")).remove("decoderLayout");
            Files.writeString(entry, JSON.writeValueAsString(root));
        }

        assertThat(CommandLines.of(new LearningParity()).execute("--data", data.toString(), "--seeds", "5",
                "--epochs", "1", "--depth", "2", "--base-width", "2", "--batch", "4", "--init", init.toString(),
                "--out", directory.resolve("with-earlier-init").toString())).isZero();
    }

    /** An --init U-Net of another recipe is refused before anything is written, naming the field that differs. */
    @Test
    void anInitOfAnotherRecipeIsRefusedNamingTheField(@TempDir Path directory) throws Exception {
        Path data = benchmark(directory);
        Path exported = export(directory, "4");
        Path out = directory.resolve("ours");
        StringWriter err = new StringWriter();

        int exit = CommandLines.of(new LearningParity()).setErr(new PrintWriter(err, true)).execute("--data",
                data.toString(), "--seeds", "1", "--epochs", "1", "--depth", "2", "--base-width", "2", "--batch", "4",
                "--init", exported.resolve("init-model.zip").toString(), "--out", out.toString());

        assertThat(exit).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(err.toString()).contains("--init " + exported.resolve("init-model.zip")
                + " holds a U-Net of another recipe: encoder ClassicEncoder[depth=2, baseWidth=4",
                "Export it with export-reference and the same");
        assertThat(out).doesNotExist();
    }

    private static Path benchmark(Path directory) {
        Path data = directory.resolve("bench");
        assertThat(CommandLines.of(new GenerateBenchmarkData()).execute("--out", data.toString(), "--train", "8",
                "--heldout", "4", "--width", "32", "--height", "32")).isZero();
        return data;
    }

    private static Path export(Path directory, String baseWidth) {
        Path exported = directory.resolve("exported");
        assertThat(CommandLines.of(new ExportReference()).execute("--out", exported.toString(), "--height", "32",
                "--width", "32", "--depth", "2", "--base-width", baseWidth, "--batch", "4", "--epochs", "1"))
                .isZero();
        return exported;
    }

    /** The weights the first seed started from: the U-Net the run wrote for the reference before training it. */
    private static INDArray startingWeights(Path out) throws Exception {
        return UNet.load(out.resolve("reference-input").resolve("init-model.zip")).graph().params();
    }

    private static String[] with(String[] arguments, String... more) {
        String[] all = java.util.Arrays.copyOf(arguments, arguments.length + more.length);
        System.arraycopy(more, 0, all, arguments.length, more.length);
        return all;
    }
}
