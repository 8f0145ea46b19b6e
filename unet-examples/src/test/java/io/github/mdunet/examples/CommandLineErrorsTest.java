package io.github.mdunet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a user sees when an option or a file is wrong: the message, the exit status of its kind, no stack trace. */
class CommandLineErrorsTest {

    private static final String EARLIER_MODEL = "an earlier run's model";

    @TempDir
    Path directory;

    /** What a run printed and returned. */
    record Run(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /**
     * The apps that write synthetic data or a search under {@code --output} refuse one that is a file before they
     * write or print a plan, as train, predict and evaluate do (they threw an UncheckedIOException after the work).
     */
    @ParameterizedTest
    @MethodSource("appsWritingUnderTheirOutput")
    void anOutputThatIsAFileIsABadOptionBeforeAnythingIsWritten(Object app, String name) throws Exception {
        Path file = Files.writeString(directory.resolve("afile"), "");
        Run run = run(app, "--output", file.toString());
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--output " + file + " is a file, not a folder: give a folder", "Usage: " + name)
                .doesNotContain("\tat ");
        assertThat(run.out()).as("no plan, no data written").isEmpty();
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }
    }

    static Stream<Arguments> appsWritingUnderTheirOutput() {
        return Stream.of(Arguments.of(new Demo(), "demo"), Arguments.of(new Tune(), "tune"),
                Arguments.of(new io.github.mdunet.examples.superres.SuperResolution(), "super-resolution"));
    }

    static Run run(Object app, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = CommandLines.of(app).setErr(new PrintWriter(err, true)).execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
        }
    }

    /** A grey image of one value, PNG or JPEG by its extension. */
    static void solid(Path file, int width, int height) throws java.io.IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        String name = file.getFileName().toString();
        javax.imageio.ImageIO.write(image, name.endsWith(".png") ? "png" : "jpeg", file.toFile());
    }

    static Stream<Arguments> badTrainFolderOptions() {
        return Stream.of(
                Arguments.of(List.of("--epochs", "0"), "--epochs must be >= 1 but was 0"),
                Arguments.of(List.of("--batch", "0"), "--batch must be >= 1 but was 0"),
                Arguments.of(List.of("--classes", "1"), "--classes must be >= 2 but was 1 (background and at least one"
                        + " class, since the head is a softmax)"),
                Arguments.of(List.of("--learning-rate", "-0.001"), "--learning-rate must be a positive number but was"
                        + " -0.001"),
                Arguments.of(List.of("--learning-rate", "NaN"),
                        "--learning-rate must be a positive number but was NaN"),
                Arguments.of(List.of("--mid-scale", "9"), "midChannelScale must be in (0, 4.0] but was 9.0"),
                Arguments.of(List.of("--height", "4"),
                        "the options give no valid U-Net (--encoder CLASSIC, --depth 4, --base-width 32, --height 4"),
                Arguments.of(List.of("--depth", "0"), "--depth must be >= 1 but was 0"),
                Arguments.of(List.of("--encoder", "resnet50", "--depth", "3", "--base-width", "16"), "--depth and"
                        + " --base-width size the classic encoder, but --encoder was RESNET50, a zoo backbone of its"
                        + " own size: drop --depth and --base-width, or give --encoder classic"),
                Arguments.of(List.of("--encoder", "vgg16", "--base-width", "16"), "--base-width sizes the classic"
                        + " encoder, but --encoder was VGG16"),
                Arguments.of(List.of("--output", "OUTPUT_FILE"), "--output OUTPUT_FILE is a file, not a folder: give"
                        + " a folder (it is made when missing)"),
                Arguments.of(List.of("--validation-fraction", "0"), "--validation-fraction must be in (0, 1) but was"
                        + " 0.0"),
                Arguments.of(List.of("--significant-bits", "17"), "--significant-bits must be 1 to 16 (the bits"
                        + " of a 16-bit sample that hold its value: 16 for 0-65535, 12 for 0-4095) but was 17"),
                Arguments.of(List.of("--mask-palette", "0=#000000,1=#FF0000,3=#00FF00"),
                        "--mask-palette maps colour #00FF00 to class 3, but there are 2 classes (ids 0 to 1): give 4"
                                + " classes or fix the palette"),
                Arguments.of(List.of("--zoom", "1.2"), "--zoom takes MIN,MAX"),
                Arguments.of(List.of("--rotate", "200"), "--rotate must be in [0, 180] degrees but was 200.0"),
                Arguments.of(List.of("--elastic", "-2"),
                        "--elastic's MAGNITUDE must be a finite number >= 0 (pixels) but was -2.0"),
                Arguments.of(List.of("--elastic", "2,3"), "--elastic's SPACING must be >= 4 pixels but was 3"),
                Arguments.of(List.of("--jitter", "0.1,0.2,1.5"), "--jitter's SATURATION must be in [0, 1) but was 1.5"),
                Arguments.of(List.of("--zoom", "0,1.2"), "--zoom needs 0 < MIN <= MAX but was MIN=0.0, MAX=1.2"),
                Arguments.of(List.of("--p-lighting", "-1"), "--p-lighting must be in [0, 1] but was -1.0"),
                Arguments.of(List.of("--workers", "0"), "--workers must be >= 1 but was 0"),
                Arguments.of(List.of("--workers", "2", "--averaging-frequency", "0"),
                        "--averaging-frequency must be >= 1 but was 0"),
                Arguments.of(List.of("--sync", "shared_gradients"),
                        "--sync and --averaging-frequency need --workers 2 or more, but --workers was 1"),
                Arguments.of(List.of("--workers", "2", "--sync", "shared_gradients", "--averaging-frequency", "3"),
                        "--averaging-frequency applies to --sync averaging only"),
                Arguments.of(List.of("--class-weights", "1,x"), "--class-weights takes auto or one number per class,"
                        + " background first, but was 1,x (e.g. --class-weights 1,1)"),
                Arguments.of(List.of("--class-weights", "1,2,3"), "--class-weights takes one finite weight >= 0 per"
                        + " class, not all 0, background first, but was 1,2,3 for --classes 2"),
                Arguments.of(List.of("--class-weights", "1,-2"), "but was 1,-2 for --classes 2"),
                Arguments.of(List.of("--class-weights", "0,0"), "not all 0"),
                Arguments.of(List.of("--tversky", "0.3,0.7"), "--tversky sets the Tversky loss's weights, but --loss"
                        + " was CROSS_ENTROPY: add --loss tversky"),
                Arguments.of(List.of("--loss", "tversky", "--tversky", "0.3"),
                        "--tversky takes ALPHA,BETA (two weights) but was [0.3] (e.g. --tversky 0.3,0.7)"),
                Arguments.of(List.of("--loss", "tversky", "--tversky", "0,0"), "--tversky 0.0,0.0: Tversky.alpha and"
                        + " beta must be finite, >= 0 and not both 0"),
                Arguments.of(List.of("--find-lr-steps", "20"), "--find-lr-steps sets the learning-rate finder, but"
                        + " --find-lr was not given: add --find-lr"),
                Arguments.of(List.of("--find-lr", "--find-lr-range", "1e-7"),
                        "--find-lr-range takes START,END (two rates) but was [1.0E-7] (e.g. --find-lr-range 1e-7,10)"),
                Arguments.of(List.of("--find-lr", "--find-lr-range", "1,1e-3"), "--find-lr-range 1.0,0.001"
                        + " --find-lr-steps 100 is not a sweep: LearningRateFinder.Settings needs 0 < startRate <"
                        + " endRate"),
                Arguments.of(List.of("--freeze-epochs", "-1"), "--freeze-epochs must be >= 0 but was -1 (0 trains"
                        + " everything from the start)"),
                Arguments.of(List.of("--encoder", "squeezenet", "--freeze-epochs", "1"), "--freeze-epochs 1"
                        + " fine-tunes pretrained weights, but the encoder starts from random ones: add --pretrained"
                        + " or --encoder-weights FILE"),
                Arguments.of(List.of("--encoder", "squeezenet", "--pretrained", "--encoder-lr-factor", "0.1"),
                        "--encoder-lr-factor sets the encoder's rate once --freeze-epochs unfreezes it: add"
                                + " --freeze-epochs 1"),
                Arguments.of(List.of("--encoder", "squeezenet", "--pretrained", "--no-train-bn"),
                        "--no-train-bn says what the frozen encoder's batch norms do in the --freeze-epochs epochs:"
                                + " add --freeze-epochs 1, or drop it"),
                Arguments.of(List.of("--train-bn"), "--train-bn says what the frozen encoder's batch norms do"),
                Arguments.of(List.of("--encoder", "squeezenet", "--pretrained", "--freeze-epochs", "1",
                        "--encoder-lr-factor", "2"), "--freeze-epochs 1 --encoder-lr-factor 2.0:"
                        + " FineTuning.encoderLearningRateFactor must be in (0, 1] but was 2.0"),
                Arguments.of(List.of("--encoder", "squeezenet", "--pretrained", "--encoder-weights", "w.zip"),
                        "--pretrained and --encoder-weights both say where the encoder's weights come from"),
                Arguments.of(List.of("--encoder-weights", "w.zip"), "--encoder-weights needs a zoo encoder (e.g."
                        + " --encoder resnet50)"),
                Arguments.of(List.of("--find-lr", "--find-lr-steps", "6"), "--find-lr-range 1e-7,10 --find-lr-steps"
                        + " 6 is not a sweep: LearningRateFinder.Settings.steps must be >= 7"));
    }

    /** Checked before anything is read: the data folder does not even exist, yet the option is what is reported. */
    @ParameterizedTest
    @MethodSource("badTrainFolderOptions")
    void aBadTrainFolderOptionIsNamedBeforeAnyDataIsReadOrWritten(List<String> option, String message) {
        Path output = directory.resolve("train");
        Path file = directory.resolve("a-file");
        List<String> classes = option.contains("--classes") ? List.of() : List.of("--classes", "2");
        List<String> outputs = option.contains("--output") ? List.of() : List.of("--output", output.toString());
        List<String> args = Stream.of(List.of("--data", directory.resolve("no-such-folder").toString()), outputs,
                        classes, option).flatMap(List::stream)
                .map(arg -> arg.replace("OUTPUT_FILE", file.toString())).toList();
        try {
            Files.writeString(file, "not a folder");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Run run = run(new TrainFolder(), args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains(message.replace("OUTPUT_FILE", file.toString())).contains("Usage: train-folder")
                .doesNotContain("\tat ");
        assertThat(output).as("nothing written").doesNotExist();
    }

    /**
     * The zoo's file missing from DL4J's cache: the message says where to place it and gives this app's way to a
     * copy elsewhere (--encoder-weights, which skips the checksum), not the library's Weights.file(path).
     */
    @Test
    void aMissingPretrainedFileNamesTheAppsOptionNotTheLibrarysApi() throws java.io.IOException {
        Path output = directory.resolve("train");
        Path resources = Files.createDirectories(directory.resolve("dl4j"));
        org.deeplearning4j.common.resources.DL4JResources.setBaseDirectory(resources.toFile());
        try {
            Run run = run(new TrainFolder(), "--data", directory.resolve("no-such-folder").toString(), "--classes",
                    "2", "--output", output.toString(), "--encoder", "squeezenet", "--pretrained");
            assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_DATA.code());
            assertThat(run.err()).contains("--pretrained: SqueezeNet IMAGENET weights not found: place",
                            resources.toString(), "or give a copy from elsewhere with --encoder-weights"
                                    + " FILE in place of --pretrained (it skips the zoo's checksum)")
                    .doesNotContain("Weights.file").doesNotContain("\tat ");
        } finally {
            org.deeplearning4j.common.resources.DL4JResources.resetBaseDirectoryLocation();
        }
        assertThat(output).as("nothing written").doesNotExist();
    }

    /** {@code count} synthetic 32 x 32 shapes drawn from {@code seed}, in the folder "shapes". */
    private Path shapes(int count, long seed) {
        Path data = directory.resolve("shapes");
        SyntheticShapes.write(data, count, 32, seed);
        return data;
    }

    /** The output folder "train", holding an earlier run's best model, which --fresh would move aside. */
    private Path anEarlierRun() throws java.io.IOException {
        Path output = directory.resolve("train");
        Files.writeString(Files.createDirectories(output.resolve("checkpoints")).resolve("best.zip"), EARLIER_MODEL);
        return output;
    }

    /** {@link #anEarlierRun}'s model is where it was, and nothing else is in {@code output}. */
    private static void assertTheEarlierRunStaysWhereItWas(Path output) throws java.io.IOException {
        assertThat(output.resolve("checkpoints/best.zip")).as("the earlier run stays where it was")
                .hasContent(EARLIER_MODEL);
        try (Stream<Path> files = Files.list(output)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("checkpoints");
        }
    }

    /** train-folder's arguments for one epoch on {@code data}'s 4 classes at 32 x 32, afresh in {@code output}. */
    private static String[] trainingAfresh(Path data, Path output, String... more) {
        return Stream.concat(Stream.of("--data", data.toString(), "--classes", "4", "--output", output.toString(),
                "--height", "32", "--width", "32", "--epochs", "1", "--fresh"), Stream.of(more)).toArray(String[]::new);
    }

    /**
     * The training UI's port is bound before anything else happens: once, a busy port was found only after the data
     * was read and --fresh had moved the earlier run aside.
     */
    @Test
    @Timeout(120)
    void aBusyUiPortIsABadOptionBeforeTheEarlierRunIsSetAsideOrAnyDataRead() throws Exception {
        Path data = shapes(6, 1);
        Path output = anEarlierRun();
        try (ServerSocket busy = new ServerSocket(0)) {
            Run run = run(new TrainFolder(), trainingAfresh(data, output, "--ui", String.valueOf(busy.getLocalPort())));

            assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_OPTION.code());
            assertThat(run.err()).contains("--ui " + busy.getLocalPort()).doesNotContain("\tat ");
            assertThat(run.out()).as("no data read").doesNotContain("training, ");
        }
        assertTheEarlierRunStaysWhereItWas(output);
    }

    /**
     * One usable image (the other left out by --skip-bad-files) cannot be split: below a fraction of 0.5 the dataset
     * once opened without validation, and training failed with a stack trace (exit status 1) after --fresh had set
     * the earlier run aside; from 0.5 on the refusal ended with a stack trace too.
     */
    @Test
    @Timeout(120)
    void oneUsableImageIsBadDataBeforeTheEarlierRunIsSetAside() throws Exception {
        Path data = shapes(2, 1);
        Files.writeString(data.resolve("masks/shapes_00001.png"), "not a mask");
        Path output = anEarlierRun();
        for (String fraction : List.of("0.2", "0.5")) {
            Run run = run(new TrainFolder(), trainingAfresh(data, output, "--skip-bad-files", "--validation-fraction",
                    fraction));

            assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_DATA.code());
            assertThat(run.err()).contains("has 1 usable sample (1 left out as bad, listed below), too few for"
                            + " Split.BySeed(validationFraction " + fraction + "; --validation-fraction on the command"
                            + " line)")
                    .contains("or validate on folders of their own (Split.ByFolder; --val-data on the command line)")
                    .contains("masks/shapes_00001.png: not a readable image")
                    .doesNotContain("\tat ").doesNotContain("Usage:");
            assertThat(run.out()).doesNotContain("Starting afresh");
        }
        assertTheEarlierRunStaysWhereItWas(output);
    }

    /**
     * --depth and --base-width size the classic encoder of train (once fixed at 4 and 32): a resume with another size
     * is another U-Net, which the checkpoint's configuration refuses before anything is trained.
     */
    @Test
    @Timeout(300)
    void theClassicEncodersSizeIsTrainedAndAResumeWithAnotherIsRefused() throws Exception {
        Path data = shapes(6, 1);
        Path output = directory.resolve("train");
        List<String> args = List.of("--data", data.toString(), "--classes", "4", "--output", output.toString(),
                "--height", "32", "--width", "32", "--epochs", "1", "--batch", "4", "--base-width", "4");
        Run trained = run(new TrainFolder(), Stream.concat(args.stream(), Stream.of("--depth", "2"))
                .toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.all()).isZero();
        assertThat(io.github.mdunet.core.model.UNet.load(output.resolve("checkpoints/last.zip")).config().encoder())
                .isEqualTo(new io.github.mdunet.core.encoder.ClassicEncoder(2, 4,
                        io.github.mdunet.core.blocks.Normalization.BATCH));
        byte[] last = Files.readAllBytes(output.resolve("checkpoints/last.zip"));

        Run resumed = run(new TrainFolder(), Stream.concat(args.stream(), Stream.of("--depth", "3", "--resume"))
                .toArray(String[]::new));
        assertThat(resumed.exitCode()).as(resumed.all()).isEqualTo(ExitCode.FAILED.code());
        assertThat(resumed.err()).contains("checkpoint directory", "UNetConfig.encoder.depth: 2 in the checkpoint, 3"
                + " now").doesNotContain("\tat ");
        assertThat(output.resolve("checkpoints/last.zip")).as("nothing trained").hasBinaryContent(last);
    }

    @ParameterizedTest
    @MethodSource("badBenchmarkTimings")
    void aBadBenchmarkTimingIsNamedBeforeAnyChildStarts(List<String> option, String message) {
        Run run = run(new io.github.mdunet.examples.bench.CpuSpeedupBenchmark(), option.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains(message).doesNotContain("Exception");
    }

    static Stream<Arguments> badBenchmarkTimings() {
        return Stream.of(
                Arguments.of(List.of("--steps", "0"), "--steps must be >= 1 but was 0"),
                Arguments.of(List.of("--batch", "0"), "--batch must be >= 1 but was 0"),
                Arguments.of(List.of("--warmup", "-1"), "--warmup must be >= 0 but was -1"),
                Arguments.of(List.of("--network", "tiny"), "expected one of [MDUNET, ZOO] (case-insensitive) but was"
                        + " 'tiny'"));
    }

    /** The measuring apps check their options first: nothing is trained, measured or written for a bad one. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badMeasuringAppOptions")
    void aBadMeasuringAppOptionIsNamedBeforeAnythingRuns(String app, List<String> args, String message) {
        Path output = directory.resolve("out");
        Object command = switch (app) {
            case "scale-out-benchmark" -> new io.github.mdunet.examples.bench.ScaleOutBenchmark();
            case "export-reference" -> new io.github.mdunet.examples.parity.ExportReference();
            case "learning-parity" -> new io.github.mdunet.examples.parity.LearningParity();
            case "memory-calibration" -> new CalibrateMemory();
            case "seed-parity" -> new io.github.mdunet.examples.bench.SeedParityBenchmark();
            case "pipeline-benchmark" -> new io.github.mdunet.examples.bench.PipelineBenchmark();
            case "synthetic-training-check" -> new io.github.mdunet.examples.bench.SyntheticTrainingCheck();
            case "print-parameter-table" -> new PrintParameterTable();
            case "feature-loss-memory" -> new io.github.mdunet.examples.bench.FeatureLossMemory();
            default -> throw new IllegalArgumentException(app);
        };
        Run run = run(command, args.stream().map(arg -> arg.replace("OUT", output.toString())).toArray(String[]::new));

        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains(message, "Usage: " + app).doesNotContain("\tat ");
        assertThat(output).as("nothing written").doesNotExist();
    }

    /**
     * learning-parity reads --reference before it trains: a missing file, or a reference trained with another
     * augmentation (whose row would not compare with this project's), is named before anything is written.
     */
    @Test
    void learningParityRefusesAnIncomparableReferenceBeforeTraining() throws Exception {
        Path output = directory.resolve("out");
        Path reference = Files.writeString(directory.resolve("torch.json"), "{\"augment\": \"flips-zoom\"}");

        Run other = run(new io.github.mdunet.examples.parity.LearningParity(), "--data", directory.toString(),
                "--out", output.toString(), "--augment", "fastai", "--reference", reference.toString());
        Run missing = run(new io.github.mdunet.examples.parity.LearningParity(), "--data", directory.toString(),
                "--out", output.toString(), "--reference", directory.resolve("no.json").toString());

        assertThat(other.exitCode()).as(other.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(other.err()).contains("--reference " + reference + " was trained with augment 'flips-zoom' but"
                + " this project's runs with 'fastai'", "use --augment flips_zoom");
        assertThat(missing.exitCode()).as(missing.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(missing.err()).contains("--reference " + directory.resolve("no.json") + " cannot be read");
        assertThat(output).as("nothing written").doesNotExist();
    }

    /** Each app, its arguments ({@code OUT}: a folder that must stay unwritten) and the message they get. */
    static Stream<Arguments> badMeasuringAppOptions() {
        return Stream.of(
                Arguments.of("scale-out-benchmark", List.of("--workers", "1,0"), "--workers must be >= 1 but was 0"),
                Arguments.of("scale-out-benchmark", List.of("--epochs", "0"), "--epochs must be >= 1 but was 0"),
                Arguments.of("scale-out-benchmark", List.of("--size", "4"),
                        "the options give no valid U-Net (--size 4, --depth 3, --base-width 16)"),
                Arguments.of("seed-parity", List.of("--height", "0"), "--height must be >= 1 but was 0"),
                Arguments.of("export-reference", List.of("--out", "OUT", "--classes", "1"),
                        "--classes must be >= 2 but was 1"),
                Arguments.of("export-reference", List.of("--out", "OUT", "--steps", "-1"),
                        "--steps must be >= 0 but was -1"),
                Arguments.of("export-reference", List.of("--out", "OUT", "--height", "0"),
                        "--height must be >= 1 but was 0"),
                Arguments.of("learning-parity", List.of("--data", "OUT/data", "--out", "OUT", "--epochs", "0"),
                        "--epochs must be >= 1 but was 0"),
                Arguments.of("learning-parity", List.of("--data", "OUT/data", "--out", "OUT", "--base-width", "0"),
                        "--base-width must be >= 1 but was 0"),
                Arguments.of("memory-calibration", List.of("--out", "OUT", "--steps", "0"),
                        "--steps must be >= 1 but was 0"),
                Arguments.of("memory-calibration", List.of("--out", "OUT", "--case", "classic:3:8/64/two/EQ_SKIP/1.0"),
                        "calibration case must be encoder/size/batch/reduction/midScale[/layers]"),
                Arguments.of("memory-calibration", List.of("--out", "OUT", "--case", "classic:3:8/64/2/EQ_SKIP/9"),
                        "calibration case 'classic:3:8/64/2/EQ_SKIP/9': midChannelScale"),
                Arguments.of("seed-parity", List.of("--layers", "STOCK,STOCK"), "--layers must name one of FUSED,"
                        + " STOCK, or several, each once, but was [STOCK, STOCK]"),
                Arguments.of("seed-parity", List.of("--upsample", "nearest"), "Invalid value for option '--upsample':"
                        + " upsample mode must be one of " + UpsampleMode.names() + " but was 'nearest'"),
                Arguments.of("pipeline-benchmark", List.of("--batches", "0"), "--batches must be >= 1 but was 0"),
                Arguments.of("pipeline-benchmark", List.of("--steps", "-1"), "--steps must be >= 0 but was -1"),
                Arguments.of("pipeline-benchmark", List.of("--size", "big"),
                        "Invalid value for option '--size': 'big' is not an int"),
                Arguments.of("pipeline-benchmark", List.of("--size", "4"),
                        "the options give no valid U-Net (--size 4, --depth 5, --base-width 32): "),
                Arguments.of("synthetic-training-check", List.of("--images", "0"), "--images must be >= 1 but was 0"),
                Arguments.of("synthetic-training-check", List.of("--base-width", "0"),
                        "--base-width must be >= 1 but was 0"),
                Arguments.of("synthetic-training-check", List.of("--epochs", "0"), "--epochs must be >= 1 but was 0"),
                Arguments.of("synthetic-training-check", List.of("--minutes", "-1"),
                        "--minutes must be >= 0 but was -1"),
                Arguments.of("feature-loss-memory", List.of("--steps", "0"), "--steps must be >= 1 but was 0"),
                Arguments.of("feature-loss-memory", List.of("--case", "96"),
                        "Invalid value for option '--case' (SIZExBATCH): expected SIZExBATCH, e.g. 96x4, but was '96'"),
                Arguments.of("feature-loss-memory", List.of("--case", "96x4,8x2"), "Invalid value for option"
                        + " '--case' (SIZExBATCH): expected a size of at least 16 (VGG16's total stride) and a batch"
                        + " of at least 1, but was '8x2'"),
                Arguments.of("print-parameter-table", List.of("256"),
                        "give HEIGHT and WIDTH, or neither for 512 x 512, but only HEIGHT 256 was given"),
                Arguments.of("print-parameter-table", List.of("256", "0"), "WIDTH must be >= 1 but was 0"),
                Arguments.of("print-parameter-table", List.of("256", "wide"),
                        "Invalid value for positional parameter at index 1 (WIDTH): 'wide' is not an int"));
    }

    /** The synthetic-shapes benchmarks once read their options by hand and ignored a misspelt one. */
    @Test
    void anUnknownBenchmarkOptionIsRefusedWithTheOneMeant() {
        Run run = run(new io.github.mdunet.examples.bench.PipelineBenchmark(), "--sizes", "64");

        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("Unknown options: '--sizes', '64'", "Possible solutions: --size")
                .doesNotContain("\tat ");
    }

    @Test
    void aMissingDataFolderIsBadDataNamedWithoutAStackTrace() {
        Path missing = directory.resolve("no-such-folder");
        Run run = run(new TrainFolder(), "--data", missing.toString(), "--classes", "2", "--output",
                directory.resolve("train").toString());
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(run.err()).startsWith("train-folder: segmentation dataset " + missing.resolve("images"))
                .doesNotContain("\tat ").doesNotContain("Usage:");
    }

    @Test
    void aModelFileThatIsNotAModelIsBadDataNamingIt() throws Exception {
        Path notes = Files.writeString(directory.resolve("notes.zip"), "not a model");
        Path image = Files.createDirectories(directory.resolve("in")).resolve("a.png");
        solid(image, 32, 32);
        Run run = run(new Predict(), "--model", notes.toString(), "--input", image.getParent().toString(),
                "--output", directory.resolve("out").toString());
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(run.err()).startsWith("predict: --model " + notes + " cannot be used: " + notes
                + ": not a U-Net model file: not a zip archive").doesNotContain("\tat ");
        Run noInput = run(new Predict(), "--model", notes.toString(), "--input", directory.resolve("nothing")
                .toString());
        assertThat(noInput.exitCode()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(noInput.err()).contains("--input " + directory.resolve("nothing") + ": no image or folder there");
    }

    /** a.png and a.jpg would both have become a_mask.png, the second silently replacing the first. */
    @Test
    @Timeout(300)
    void inputsSharingAStemGetOutputsOfTheirOwnAndReplacingIsAnnounced() throws Exception {
        Path data = shapes(8, 3);
        Path trained = directory.resolve("train");
        Run training = run(new TrainFolder(), "--data", data.toString(), "--classes",
                String.valueOf(SyntheticShapes.NUM_CLASSES), "--output", trained.toString(), "--height", "32",
                "--width", "32", "--epochs", "1", "--batch", "4", "--encoder", "classic");
        assertThat(training.exitCode()).as(training.all()).isZero();
        Path inputs = Files.createDirectories(directory.resolve("photos"));
        Files.copy(data.resolve("images/shapes_00000.png"), inputs.resolve("a.png"));
        solid(inputs.resolve("a.jpg"), 40, 40);
        Path predictions = directory.resolve("predictions");
        String[] args = {"--model", trained.resolve("checkpoints/best.zip").toString(), "--input", inputs.toString(),
                "--output", predictions.toString()};

        Run first = run(new Predict(), args);
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(first.out()).contains("note: a.jpg and a.png share the name 'a': their outputs are named"
                + " a_jpg_mask.png and a_png_mask.png");
        assertThat(predictions.resolve("a_png_mask.png")).isNotEmptyFile();
        assertThat(predictions.resolve("a_jpg_mask.png")).isNotEmptyFile();
        assertThat(predictions.resolve("a_mask.png")).doesNotExist();
        assertThat(first.out()).doesNotContain("replacing");

        Run again = run(new Predict(), args);
        assertThat(again.out()).contains("note: replacing 4 file(s) of an earlier run in");
    }
}
