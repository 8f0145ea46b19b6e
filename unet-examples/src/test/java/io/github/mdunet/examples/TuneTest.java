package io.github.mdunet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.testing.TemporaryDl4jResources;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import io.github.mdunet.tuning.memory.EncoderShorthand;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import io.github.mdunet.tuning.search.CandidateCount;
import io.github.mdunet.tuning.search.CandidatePlanner;
import io.github.mdunet.tuning.search.PlannedCandidate;
import io.github.mdunet.tuning.search.SearchPlan;
import io.github.mdunet.tuning.search.SearchSpace;
import io.github.mdunet.tuning.search.SearchStrategy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.learning.config.Adam;
import picocli.CommandLine;

/** The tune app: its plan, a search on a folder, and an error naming the option for each bad input. */
class TuneTest {

    /**
     * One row of the plan table: index, mid scale, reduction, parameters, estimate (marked {@code *} when a note under
     * the table concerns it), verdict, and the earlier candidate of the same network, if any.
     */
    private static final Pattern PLAN_ROW = Pattern.compile("(?m)^\\s+(\\d+)\\s+(\\d\\.\\d{3}) (\\w+)\\s+([\\d,]+)"
            + "\\s+([\\d.]+ \\w+)\\*?\\s+(fits|does not fit)(?:, the network of #(\\d+): takes its score, not trained"
            + " again)?$");

    @TempDir
    Path directory;

    /** Pretrained files are looked for in an empty folder of each test's own. */
    @RegisterExtension
    final TemporaryDl4jResources resources = new TemporaryDl4jResources();

    /** What a run printed and returned. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run tune(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new Tune()).setCaseInsensitiveEnumValuesAllowed(true)
                    .setErr(new PrintWriter(err, true)).execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
        }
    }

    private static List<MatchResult> rows(String console) {
        return PLAN_ROW.matcher(console).results().toList();
    }

    @Test
    @Timeout(120)
    void planOnlyPrintsEveryCandidateAndWhetherItFitsWithoutWritingAnything() {
        UNetConfig base = UNetConfig.builder()
                .encoder(EncoderShorthand.parse("classic:2:4"))
                .input(new ImageShape(3, 32, 48))
                .numClasses(SyntheticShapes.NUM_CLASSES)
                .updater(new Adam(2e-3))
                .build();
        SearchSpace space = SearchSpace.defaults().withMidChannelScales(0.5, 1.0, 2.0);
        MemoryEstimator estimator = new MemoryEstimator();
        List<PlannedCandidate> unlimited = new CandidatePlanner(base, 2, MemoryBudget.unlimited(), estimator)
                .plan(space, new SearchStrategy.Grid(2), 9).candidates();
        long smallest = unlimited.stream().mapToLong(PlannedCandidate::estimatedBytes).min().orElseThrow();
        long largest = unlimited.stream().mapToLong(PlannedCandidate::estimatedBytes).max().orElseThrow();
        long budgetKib = (smallest + largest) / 2 / 1024; // --budget needs a unit
        long budget = budgetKib * 1024;
        SearchPlan expected = new CandidatePlanner(base, 2, new MemoryBudget(budget), estimator)
                .plan(space, new SearchStrategy.Grid(2), 9);
        Path output = directory.resolve("tune");

        Run run = tune("--plan-only", "--encoder", "classic:2:4", "--height", "32", "--width", "48", "--batch", "2",
                "--budget", budgetKib + "k", "--output", output.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).startsWith("classic:2:4 U-Net, input 3x32x48, 4 classes, batch 2, budget "
                + new MemoryBudget(budget) + ", grid search:");
        List<MatchResult> rows = rows(run.out());
        assertThat(rows).hasSize(9);
        for (int i = 0; i < rows.size(); i++) {
            PlannedCandidate candidate = expected.candidates().get(i);
            MatchResult row = rows.get(i);
            assertThat(Integer.parseInt(row.group(1))).isEqualTo(i);
            assertThat(Double.parseDouble(row.group(2))).isEqualTo(candidate.values().midChannelScale());
            assertThat(row.group(3)).isEqualTo(candidate.values().reduction().name());
            assertThat(Long.parseLong(row.group(4).replace(",", ""))).isEqualTo(candidate.parameterCount());
            assertThat(row.group(6)).isEqualTo(candidate.fits() ? "fits" : "does not fit");
            assertThat(row.group(7) == null ? "" : row.group(7))
                    .isEqualTo(candidate.sameNetworkAs().isPresent() ? "" + candidate.sameNetworkAs().getAsInt() : "");
        }
        assertThat(rows).extracting(r -> r.group(6)).contains("fits", "does not fit");
        assertThat(run.out()).contains(expected.fitting().size() + " of 9 candidates fit the budget");
        assertThat(rows).allSatisfy(row -> assertThat(row.group()).contains("*"));
        assertThat(run.out()).as("an encoder and input size the calibration never measured")
                .contains("* estimated outside the memory calibration, or raised for an error it measured:\n"
                        + "  #0, #1, #2, #3, #4, #5, #6, #7, #8: classic:2:4 is outside the calibration's classic"
                        + " encoders on the fused blocks (depths 3 to 4, widths 16 to 32): not measured\n"
                        + "  #0, #1, #2, #3, #4, #5, #6, #7, #8: input 32 x 48 is outside the sizes classic encoders"
                        + " were calibrated at on the fused blocks (128 to 192 px square): not measured\n");
        assertThat(output).doesNotExist();
    }

    /** A row of the plan table, whatever its columns: its index and mid scale first. */
    private static final Pattern ANY_PLAN_ROW = Pattern.compile("(?m)^\\s+\\d+\\s+\\d\\.\\d{3} ");

    /**
     * 3 scales x 3 reductions x 2 upsamplings x 2 attention settings: 36 grid points. The default limit of 9 kept the
     * first 9, all pixel shuffle without attention, hid those columns and said "9 of 9". A grid search now plans its
     * whole grid, and a limit that cuts it says how much and what it leaves out.
     */
    @Test
    @Timeout(120)
    void aGridSearchPlansItsWholeGridAndALimitThatCutsItSaysWhatItLeavesOut() {
        List<String> options = List.of("--plan-only", "--encoder", "classic:2:4", "--size", "32", "--batch", "2",
                "--budget", "64g", "--upsample", "pixelShuffle,bilinear", "--attention", "false,true", "--output",
                directory.resolve("tune").toString());

        Run whole = tune(options.toArray(String[]::new));

        assertThat(whole.exitCode()).as(whole.out() + whole.err()).isZero();
        assertThat(ANY_PLAN_ROW.matcher(whole.out()).results()).hasSize(36);
        assertThat(whole.out()).contains("36 of 36 candidates fit the budget").doesNotContain("never tried")
                .contains(" bilinear ").contains(" yes ");

        Run cut = tune(Stream.concat(options.stream(), Stream.of("--candidates", "9")).toArray(String[]::new));

        assertThat(cut.exitCode()).as(cut.out() + cut.err()).isZero();
        assertThat(ANY_PLAN_ROW.matcher(cut.out()).results()).hasSize(9);
        assertThat(cut.out()).contains("9 of 9 candidates fit the budget of 64.0 GiB at batch size 2. The candidate"
                + " limit (--candidates 9) keeps the first 9 of the grid's 36 points, so these are never tried:"
                + " upsample bilinear; mid attention true; --candidates 36 covers the grid.");
        assertThat(cut.out().lines().filter(line -> line.contains("midScale")).findFirst().orElseThrow())
                .contains("upsample", "attn");
    }

    /**
     * Without {@code --candidates} a random search draws unet-tuning's default ({@link CandidateCount}, where the plan
     * and the search take their counts from), and the option's description names that default.
     */
    @Test
    @Timeout(120)
    void aRandomSearchWithoutALimitDrawsTheDefaultThatTheOptionNames() {
        Run run = tune("--plan-only", "--strategy", "random", "--encoder", "classic:2:4", "--size", "32", "--batch",
                "2", "--budget", "64g", "--attention", "false,true", "--output", directory.resolve("tune").toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(ANY_PLAN_ROW.matcher(run.out()).results()).hasSize(CandidateCount.DEFAULT_RANDOM_CANDIDATES);
        assertThat(run.out()).contains("9 of 9 candidates fit the budget of 64.0 GiB at batch size 2. The random"
                + " search draws 9 of the space's 18 distinct candidates (--candidates 9)");
        assertThat(new CommandLine(new Tune()).getCommandSpec().findOption("--candidates").description())
                .containsExactly("At most this many candidates (default: every point of the grid with --strategy"
                        + " grid, 9 with --strategy random).");
    }

    @Test
    @Timeout(120)
    void planOnlyAnswersForResNet50At512WithFastaisRuleAndTheSeedConfiguration() {
        Run run = tune("--plan-only", "--encoder", "zoo:RESNET50", "--height", "512", "--width", "512", "--batch", "8",
                "--budget", "24g", "--output", directory.resolve("tune").toString());

        List<MatchResult> rows = rows(run.out());
        assertThat(rows).as(run.out() + run.err()).hasSize(9);
        assertThat(rows).extracting(r -> r.group(3) + "@" + r.group(2))
                .contains("NONE@2.000", "EQ_SKIP@1.000", "EQ_SKIP@0.500");
        boolean anyFits = rows.stream().anyMatch(r -> r.group(6).equals("fits"));
        assertThat(run.exitCode()).isEqualTo(anyFits ? 0 : ExitCode.NOTHING_FITS.code());
        assertThat(run.out()).startsWith("zoo:RESNET50 U-Net, input 3x512x512, 4 classes, batch 8, budget 24.0 GiB");
    }

    @Test
    @Timeout(60)
    void pretrainedIsAcceptedWithAZooEncoder() {
        Run run = tune("--plan-only", "--encoder", "zoo:SQUEEZENET", "--pretrained", "--size", "64", "--batch", "2",
                "--budget", "64g", "--scales", "1", "--output", directory.resolve("tune").toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).startsWith("zoo:SQUEEZENET (pretrained) U-Net, input 3x64x64");
        assertThat(rows(run.out())).hasSize(3);
    }

    /**
     * A missing pretrained file is bad data before any candidate trains; the message says where to place it and that
     * this app, which takes no file, can do without --pretrained, not the library's Weights.file(path).
     */
    @Test
    void aMissingPretrainedFileNamesWhereToPlaceItAndTheAppsWayOut() {
        Run run = tune("--encoder", "zoo:SQUEEZENET", "--pretrained", "--size", "64", "--batch", "2", "--budget",
                "64g", "--scales", "1", "--output", directory.resolve("tune").toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(run.err()).contains("--pretrained: SqueezeNet IMAGENET weights not found: place",
                resources.directory().toString(), "or drop --pretrained to search from random weights")
                .doesNotContain("Weights.file");
    }

    /** A pretrained file that is there but broken is bad data before any candidate trains, not one failure each. */
    @Test
    void aBrokenPretrainedFileIsBadDataBeforeAnyCandidate() throws java.io.IOException {
        Path cache = io.github.mdunet.zoo.pretrained.PretrainedWeights.cacheDirectory(
                io.github.mdunet.zoo.ZooBackbone.SQUEEZENET);
        Files.createDirectories(cache);
        String url = org.deeplearning4j.zoo.model.SqueezeNet.builder().build()
                .pretrainedUrl(org.deeplearning4j.zoo.PretrainedType.IMAGENET);
        Path cut = Files.write(cache.resolve(url.substring(url.lastIndexOf('/') + 1)), new byte[] {'P', 'K', 3});
        Run run = tune("--encoder", "zoo:SQUEEZENET", "--pretrained", "--size", "64", "--batch", "2", "--budget",
                "64g", "--scales", "1", "--output", directory.resolve("tune").toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(run.err()).contains("--pretrained: ", cut.toAbsolutePath().toString(),
                "fails the zoo's checksum");
    }

    @Test
    @Timeout(300)
    void dataSearchesOnTheFolderItIsGiven() {
        Path data = directory.resolve("shapes");
        SyntheticShapes.write(data, 10, 40, 5);
        Path output = directory.resolve("tune");

        Run run = tune("--data", data.toString(), "--classes", String.valueOf(SyntheticShapes.NUM_CLASSES),
                "--encoder", "classic:2:4", "--height", "32", "--width", "40", "--batch", "4", "--epochs", "1",
                "--scales", "1", "--candidates", "2", "--budget", "4g", "--output", output.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("8 training, 2 validation samples").contains("COMPLETE");
        assertThat(rows(run.out())).hasSize(2);
        assertThat(output.resolve("search/results.csv")).isNotEmptyFile();
        assertThat(output.resolve("search/best-model.zip")).isNotEmptyFile();
        assertThat(output.resolve("data")).as("no synthetic shapes written").doesNotExist();
    }

    /**
     * Synthetic shapes of another count or size go to a folder of their own: once, a rerun with the same --output
     * searched on the earlier run's set whatever --images said. A rerun with the same settings resumes.
     */
    @Test
    @Timeout(300)
    void syntheticShapesFollowImagesAndSizeOnARerunAndTheSameSettingsResume() throws Exception {
        Path output = directory.resolve("tune");
        List<String> common = List.of("--output", output.toString(), "--encoder", "classic:1:4", "--size", "16",
                "--batch", "4", "--scales", "1", "--reductions", "EQ_SKIP", "--candidates", "1", "--epochs", "1");

        Run ten = tune(Stream.concat(common.stream(), Stream.of("--images", "10")).toArray(String[]::new));
        assertThat(ten.exitCode()).as(ten.out() + ten.err()).isZero();
        assertThat(ten.out()).contains("8 training, 2 validation samples");
        Run five = tune(Stream.concat(common.stream(), Stream.of("--images", "5")).toArray(String[]::new));
        assertThat(five.exitCode()).as(five.out() + five.err()).isZero();
        assertThat(five.out()).contains("4 training, 1 validation samples");
        assertThat(output.resolve("data-10-images-16px/images")).isDirectoryContaining("glob:**/shapes_00009.png");
        assertThat(output.resolve("data-5-images-16px/images")).isDirectoryNotContaining("glob:**/shapes_00005.png");
        Path results = output.resolve("search/results.csv");
        assertThat(Files.readAllLines(results)).as("one row per data set").hasSize(1 + 2);

        Run again = tune(Stream.concat(common.stream(), Stream.of("--images", "5")).toArray(String[]::new));
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("4 training, 1 validation samples");
        assertThat(Files.readAllLines(results)).as("the same settings resume: nothing trained again").hasSize(1 + 2);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(List.of("--encoder", "classic:3:16", "--pretrained"),
                        List.of("--pretrained", "--encoder classic:3:16", "use e.g. --encoder zoo:RESNET50")),
                Arguments.of(List.of("--data", "my-folder"),
                        List.of("--classes is required with --data", "--data my-folder", "e.g. --classes 2")),
                Arguments.of(List.of("--encoder", "resnet50"),
                        List.of("--encoder", "'resnet50'", "classic:DEPTH:WIDTH", "zoo:RESNET50")),
                Arguments.of(List.of("--encoder", "zoo:RESNET51"),
                        List.of("--encoder", "'zoo:RESNET51'", "use one of zoo:RESNET50, zoo:RESNET50_DL4J")),
                Arguments.of(List.of("--classes", "3"),
                        List.of("--classes 3", "synthetic shapes have 4 classes",
                                "add --data FOLDER or drop --classes")),
                Arguments.of(List.of("--size", "64", "--height", "32"),
                        List.of("--size 64", "--height 32", "give --size, or --height and --width")),
                Arguments.of(List.of("--reductions", "NONE,NONE"), List.of("--reductions must not repeat a value (it"
                        + " would train the same networks twice) but was [NONE, NONE]")),
                Arguments.of(List.of("--upsample", "pixelShuffle,pixelShuffle"), List.of("--upsample must not repeat a"
                        + " value (it would train the same networks twice) but was [pixelShuffle, pixelShuffle]")),
                Arguments.of(List.of("--scales", "0.5,5"),
                        List.of("--scales must each be in (0, 4.0] but [0.5, 5.0] holds 5.0")),
                Arguments.of(List.of("--scale-steps", "2", "--min-scale", "3", "--max-scale", "1"),
                        List.of("--max-scale must be in [3.0, 4.0] but was 1.0")),
                Arguments.of(List.of("--scales", "1", "--scale-steps", "3"),
                        List.of("--scales 1", "--scale-steps 3", "(the range [0.25, 2] in steps), not both")),
                Arguments.of(List.of("--scales", "1", "--scale-steps", "3", "--min-scale", "0.5"),
                        List.of("--scales 1", "--scale-steps 3", "(the range [0.5, 2] in steps), not both")),
                Arguments.of(List.of("--min-scale", "1", "--max-scale", "1.5"),
                        List.of("--min-scale 1 sets an end of the range that --scale-steps divides, but --scale-steps"
                                + " is not given (the search tries --scales 0.5,1,2): add --scale-steps, e.g."
                                + " --scale-steps 3, or drop --min-scale")),
                Arguments.of(List.of("--scales", "1,2", "--max-scale", "2"),
                        List.of("--max-scale 2 sets an end of the range", "(the search tries --scales 1,2)",
                                "drop --max-scale")),
                Arguments.of(List.of("--encoder", "classic:5:8", "--size", "16"),
                        List.of("the options give no valid U-Net (--encoder classic:5:8, --size 16): ")),
                Arguments.of(List.of("--encoder", "classic:5:8", "--height", "64", "--width", "8"),
                        List.of("the options give no valid U-Net (--encoder classic:5:8, --height 64, --width 8): ")),
                Arguments.of(List.of("--val-data", "my-validation"),
                        List.of("--val-data my-validation gives validation images for --data, but without --data the"
                                + " search trains on synthetic shapes: add --data FOLDER or drop --val-data")),
                Arguments.of(List.of("--data", "my-folder", "--classes", "2", "--val-data", "my-validation",
                                "--validation-fraction", "0.3"),
                        List.of("--validation-fraction 0.3 and --val-data my-validation both choose the validation"
                                + " images")),
                Arguments.of(List.of("--budget", "lots"),
                        List.of("--budget", "'lots'", "24g")),
                Arguments.of(List.of("--budget", "0g"),
                        List.of("--budget", "'0g' is 0 bytes", "24g")),
                Arguments.of(List.of("--budget", "24"),
                        List.of("--budget", "'24' has no unit", "24g", "512m")),
                Arguments.of(List.of("--budget", "24ib"),
                        List.of("--budget", "'24ib'", "24g", "512m")),
                Arguments.of(List.of("--strategy", "random", "--scale-steps", "0"),
                        List.of("--scale-steps must be >= 2 but was 0 (with any --strategy)", "--scales 1")),
                Arguments.of(List.of("--scale-steps", "1"),
                        List.of("--scale-steps must be >= 2 but was 1", "the range [0.25, 2]")),
                Arguments.of(List.of("--budget", "99999999999t"),
                        List.of("--budget", "'99999999999t' is more than any memory")),
                Arguments.of(List.of("--validation-fraction", "1.5"),
                        List.of("--validation-fraction must be in (0, 1) but was 1.5")),
                Arguments.of(List.of("--batch", "0"),
                        List.of("--batch must be >= 1 but was 0", "e.g. --batch 8")));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputFailsNamingTheOptionTheValueAndTheFix(List<String> args, List<String> expected) {
        List<String> all = Stream.concat(Stream.of("--plan-only", "--output", directory.resolve("tune").toString()),
                args.stream()).toList();

        Run run = tune(all.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        String message = run.err().lines().findFirst().orElse("");
        assertThat(message).contains(expected);
        assertThat(run.out()).as("nothing planned").isEmpty();
    }
}
