package io.github.mdunet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.predict.Mirror;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The apps end to end on tiny settings: demo, training on a folder, predicting with the saved model. */
class AppsTest {

    @TempDir
    Path directory;

    private static String run(Object app, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(app).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
            assertThat(exit).as("exit code of %s, output:%n%s", app.getClass().getSimpleName(), captured).isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void demoTrainsAndWritesItsReport() {
        Path output = directory.resolve("demo");
        String console = run(new Demo(), "--output", output.toString(), "--images", "20", "--size", "32",
                "--epochs", "1", "--batch", "8");
        Matcher meanIoU = Pattern.compile("(?m)^mean IoU: (\\d\\.\\d{4})$").matcher(console);
        assertThat(meanIoU.find()).as(console).isTrue();
        assertThat(Double.parseDouble(meanIoU.group(1))).isBetween(0.0, 1.0);
        assertThat(console).contains("IoU background", "IoU triangle");
        assertThat(output.resolve("training-curves.png")).isNotEmptyFile();
        assertThat(output.resolve("report.html")).content().contains("Channel plan", "Confusion matrix", "disc");
        assertThat(output.resolve("overlays")).isNotEmptyDirectory();
        assertThat(output.resolve("checkpoints/best.zip")).isNotEmptyFile();

        byte[] firstModel;
        try {
            firstModel = Files.readAllBytes(output.resolve("checkpoints/best.zip"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Path stale = output.resolve("overlays/shapes_99999.png");
        try {
            Files.write(stale, new byte[] {1});
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        String again = run(new Demo(), "--output", output.toString(), "--images", "20", "--size", "32", "--epochs",
                "1", "--batch", "8");
        Matcher setAside = Pattern.compile("The earlier run's checkpoints and overlays are now in (\\S+)")
                .matcher(again);
        assertThat(setAside.find()).as("a second demo keeps the first one's models: %s", again).isTrue();
        assertThat(Path.of(setAside.group(1)).resolve("best.zip")).hasBinaryContent(firstModel);
        assertThat(Path.of(setAside.group(1)).resolve("overlays/shapes_99999.png")).exists();
        assertThat(stale).as("this run's overlays only").doesNotExist();
        assertThat(output.resolve("overlays")).isNotEmptyDirectory();
        assertThat(output.resolve("checkpoints/best.zip")).isNotEmptyFile();
    }

    @Test
    void trainFolderThenPredict() {
        Path data = directory.resolve("shapes");
        SyntheticShapes.write(data, 16, 32, 3);
        Path output = directory.resolve("train");
        String console = run(new TrainFolder(), "--data", data.toString(), "--classes",
                String.valueOf(SyntheticShapes.NUM_CLASSES), "--output", output.toString(), "--height", "32",
                "--width", "32", "--epochs", "1", "--batch", "8", "--reduction", "halve", "--loss", "dice",
                "--schedule", "flat_cos", "--significant-bits", "12");
        assertThat(console).contains("mean IoU: ");
        assertThat(console).as("the memory estimate before the first step")
                .containsPattern("Training memory: about [0-9.]+ [KMG]iB estimated.*; [0-9.]+ [KMG]iB in use, native"
                        + " memory limit [0-9.]+ [KMG]iB");
        assertThat(output.resolve("checkpoints/training-state.json")).content()
                .as("the run trained on the schedule chosen").contains("\"type\" : \"flatCosine\"");
        Path model = output.resolve("checkpoints/best.zip");
        assertThat(console).as("the default augmentation (flips) stretches whole images: predict them stretched")
                .contains("Predict: mdunet predict --model " + model.toAbsolutePath() + " --input IMAGES (each image"
                        + " stretched to the input and back, as in training)");
        try {
            assertThat(UNet.load(model).trainedFraming()).as("the file records it")
                    .contains(ImageFraming.RESIZE);
            assertThat(UNet.load(model).trainingRecord().mirrors()).as("both flips: all three mirror images, for --tta")
                    .contains(EnumSet.allOf(Mirror.class));
            assertThat(UNet.load(model).trainedSignificantBits()).as("16-bit images read as 12-bit values")
                    .hasValue(12);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        Path predictions = directory.resolve("predictions");
        String predicted = run(new Predict(), "--model", model.toString(), "--input", data.resolve("images").toString(),
                "--output", predictions.toString(), "--tiles", "--overlap", "8");
        assertThat(predicted).contains("16 image(s) written");
        try (var files = Files.list(predictions)) {
            assertThat(files.filter(f -> f.toString().endsWith("_mask.png")).count()).isEqualTo(16);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        // --probabilities: the mask is the argmax of the probabilities written beside it.
        Path withProbabilities = directory.resolve("predictions-probabilities");
        Path image = data.resolve("images").resolve("shapes_00003.png");
        assertThat(run(new Predict(), "--model", model.toString(), "--input", image.toString(), "--output",
                withProbabilities.toString(), "--probabilities")).contains("shapes_00003_probabilities.npy");
        try {
            org.nd4j.linalg.api.ndarray.INDArray probabilities = org.nd4j.linalg.factory.Nd4j.createFromNpyFile(
                    withProbabilities.resolve("shapes_00003_probabilities.npy").toFile());
            assertThat(probabilities.shape()).containsExactly(SyntheticShapes.NUM_CLASSES, 32, 32);
            java.awt.image.Raster mask = javax.imageio.ImageIO.read(withProbabilities.resolve("shapes_00003_mask.png")
                    .toFile()).getRaster();
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    double[] atPixel = probabilities.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(y),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(x)).toDoubleVector();
                    int argmax = 0;
                    for (int k = 1; k < atPixel.length; k++) {
                        argmax = atPixel[k] > atPixel[argmax] ? k : argmax;
                    }
                    assertThat(mask.getSample(x, y, 0)).as("pixel %d,%d", x, y).isEqualTo(argmax);
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        Path parallel = directory.resolve("predictions-2-workers");
        assertThat(run(new Predict(), "--model", model.toString(), "--input", data.resolve("images").toString(),
                "--output", parallel.toString(), "--tiles", "--overlap", "8", "--workers", "2"))
                .contains("16 image(s) written");
        try (var files = Files.list(predictions)) {
            for (Path mask : files.filter(f -> f.toString().endsWith("_mask.png")).toList()) {
                assertThat(parallel.resolve(mask.getFileName())).as("2 workers predict the same mask")
                        .hasSameBinaryContentAs(mask);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Pascal VOC's way: 255 on the shapes' outlines, left out of training and evaluation with --mask-ignore. */
    @Test
    void trainFolderIgnoresTheMaskValueItIsTold() throws java.io.IOException {
        Path data = directory.resolve("bordered");
        SyntheticShapes.write(data, 10, 32, 3);
        long ignoredPixels = 0;
        try (var masks = Files.list(data.resolve("masks"))) {
            for (Path mask : masks.toList()) {
                java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(mask.toFile());
                java.awt.image.WritableRaster raster = image.getRaster();
                for (int x = 0; x < 32; x++) {
                    raster.setSample(x, 0, 0, 255);
                }
                javax.imageio.ImageIO.write(image, "png", mask.toFile());
            }
        }
        Path output = directory.resolve("bordered-train");
        String[] train = {"--data", data.toString(), "--classes", String.valueOf(SyntheticShapes.NUM_CLASSES),
            "--output", output.toString(), "--height", "32", "--width", "32", "--epochs", "1", "--batch", "4",
            "--reduction", "halve", "--validation-fraction", "0.2"};
        assertThat(CommandLines.of(new TrainFolder()).execute(train)).as("255 is no class of 4")
                .isEqualTo(ExitCode.BAD_DATA.code());

        String console = run(new TrainFolder(), java.util.stream.Stream.concat(java.util.Arrays.stream(train),
                java.util.stream.Stream.of("--mask-ignore", "255")).toArray(String[]::new));
        assertThat(console).contains("mean IoU: ");
        List<String> perClass = Files.readAllLines(output.resolve("evaluation/per-class.csv"));
        long labelled = perClass.stream().skip(1).mapToLong(line -> Long.parseLong(line.split(",")[4])).sum();
        long validationImages = Files.readAllLines(output.resolve("evaluation/per-image.csv")).size() - 1;
        assertThat(labelled).as("the validation pixels but the ignored top rows").isEqualTo(validationImages * 32 * 31);
    }

    /**
     * fastai's lr_find on the command line that would train: the sweep's steps and curve, the rate it suggests read
     * off the sweep's window, and no run started.
     */
    @Test
    void trainFolderFindsALearningRateInsteadOfTraining() throws java.io.IOException {
        Path data = directory.resolve("shapes-lr");
        SyntheticShapes.write(data, 12, 32, 3);
        Path output = directory.resolve("lr");
        String console = run(new TrainFolder(), "--data", data.toString(), "--classes",
                String.valueOf(SyntheticShapes.NUM_CLASSES), "--output", output.toString(), "--height", "32",
                "--width", "32", "--batch", "4", "--reduction", "halve", "--epochs", "3", "--find-lr",
                "--find-lr-range", "1e-5,1", "--find-lr-steps", "20");

        assertThat(console).contains("--epochs apply to the training run and are not used here");
        assertThat(console).as("the sweep's memory, as a run's")
                .containsPattern("Training memory: about [0-9.]+ [KMG]iB estimated");
        List<String> rows = Files.readAllLines(output.resolve("lr-find/lr-find.csv"));
        assertThat(rows.get(0)).isEqualTo("step,learning_rate,loss,smoothed_loss");
        List<Double> rates = rows.stream().skip(1).map(row -> Double.parseDouble(row.split(",")[1])).toList();
        assertThat(console).contains("Learning-rate finder: " + rates.size() + " of 20 steps");
        assertThat(rates.get(0)).isEqualTo(1e-5);
        assertThat(rates).isSorted().doesNotHaveDuplicates();
        Matcher suggested = Pattern.compile("Train: the same command without --find-lr, with --learning-rate (\\S+)")
                .matcher(console);
        assertThat(suggested.find()).as(console).isTrue();
        // The suggestion reads steps 3 to the sixth-last (fastai's window: the first tenth and the last five out).
        double rate = Double.parseDouble(suggested.group(1));
        assertThat(rates.subList(2, rates.size() - 5)).anySatisfy(step -> assertThat(rate / step).isBetween(0.95,
                1.05));
        assertThat(output.resolve("lr-find/lr-find.png")).isNotEmptyFile();
        assertThat(output.resolve("checkpoints")).as("no run started").doesNotExist();
        assertThat(output.resolve("report.html")).doesNotExist();
    }

    /**
     * fastai's fine_tune from an encoder file of the user's own: the frozen stage keeps the file's weights and trains
     * the decoder, the unfrozen stage trains the encoder too; both stages resume as one run.
     */
    @Test
    void trainFolderFineTunesAnEncoderStartedFromItsOwnWeights() throws java.io.IOException {
        Path data = directory.resolve("shapes-fine-tune");
        SyntheticShapes.write(data, 12, 32, 3);
        Path weights = directory.resolve("squeezenet.zip");
        org.deeplearning4j.nn.graph.ComputationGraph zoo = new org.deeplearning4j.nn.graph.ComputationGraph(
                io.github.mdunet.zoo.ZooBackbone.SQUEEZENET.zooConfiguration(3));
        zoo.init();
        org.deeplearning4j.util.ModelSerializer.writeModel(zoo, weights.toFile(), false);
        Path output = directory.resolve("fine-tune");
        String[] args = {"--data", data.toString(), "--classes", String.valueOf(SyntheticShapes.NUM_CLASSES),
            "--output", output.toString(), "--height", "32", "--width", "32", "--epochs", "1", "--batch", "4",
            "--encoder", "squeezenet", "--encoder-weights", weights.toString(), "--freeze-epochs", "1"};
        String console = run(new TrainFolder(), args);

        assertThat(console).contains("Fine-tuning at learning rate 0.002: 1 epoch(s) with the encoder frozen (its"
                + " batch norms training), then 1 with everything at half the rate, the encoder at 0.1 of it (its early"
                + " layers at 0.01)",
                "1 frozen epoch, then with the encoder unfrozen all 1 epochs done. Best epoch 2");
        org.nd4j.linalg.api.ndarray.INDArray given = zoo.getLayer("conv1").getParam("W");
        UNet frozen = UNet.load(output.resolve("checkpoints/frozen/last.zip"));
        assertThat(frozen.graph().getLayer("conv1").getParam("W")).as("the frozen stage keeps the given weights")
                .isEqualTo(given);
        UNet trained = UNet.load(output.resolve("checkpoints/last.zip"));
        assertThat(trained.graph().getLayer("conv1").getParam("W")).as("the unfrozen stage trains the encoder")
                .isNotEqualTo(given);
        assertThat(output.resolve("report.html")).isNotEmptyFile();

        String resumed = run(new TrainFolder(), java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--resume")).toArray(String[]::new));
        assertThat(resumed).contains("Resuming the run in " + output.resolve("checkpoints") + " after epoch 2");
        assertThat(UNet.load(output.resolve("checkpoints/last.zip")).graph().getLayer("conv1").getParam("W"))
                .as("a finished run trains nothing more").isEqualTo(trained.graph().getLayer("conv1").getParam("W"));

        // Resuming it as a plain run would drop its frozen stage from the run: refused before anything is read.
        Files.delete(weights); // and a resumed run reads every weight from its checkpoint, not the file
        List<String> plain = java.util.stream.Stream.concat(java.util.Arrays.stream(args).limit(args.length - 2),
                java.util.stream.Stream.of("--resume")).toList();
        PrintStream original = System.err;
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            assertThat(CommandLines.of(new TrainFolder()).execute(plain.toArray(String[]::new)))
                    .isEqualTo(ExitCode.BAD_OPTION.code());
        } finally {
            System.setErr(original);
        }
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("holds a fine-tuning run (its frozen stage in"
                + " frozen/): resume it with the --freeze-epochs it started with, or start a new run with --fresh");
        assertThat(run(new TrainFolder(), java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--resume")).toArray(String[]::new))).as("no weights file needed")
                .contains("after epoch 2");
    }

    /** A weights file that is missing or no model is bad data (exit 3) naming the option and the file. */
    @Test
    void anUnusableEncoderWeightsFileIsBadDataNamingIt() throws java.io.IOException {
        Path data = directory.resolve("shapes-bad-weights");
        SyntheticShapes.write(data, 4, 32, 3);
        Path cut = Files.write(directory.resolve("cut.zip"), new byte[] {'P', 'K', 3});
        for (Path weights : List.of(directory.resolve("missing.zip"), cut)) {
            String[] args = {"--data", data.toString(), "--classes", "4", "--output",
                directory.resolve("bad-weights").toString(), "--height", "32", "--width", "32", "--epochs", "1",
                "--encoder", "squeezenet", "--encoder-weights", weights.toString()};
            PrintStream original = System.err;
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            try {
                assertThat(CommandLines.of(new TrainFolder()).execute(args)).as("%s", errors)
                        .isEqualTo(ExitCode.BAD_DATA.code());
            } finally {
                System.setErr(original);
            }
            assertThat(errors.toString(StandardCharsets.UTF_8)).contains("SqueezeNet weights",
                    weights.toAbsolutePath().toString()).doesNotContain("\tat ");
        }
        assertThat(directory.resolve("bad-weights/checkpoints")).as("nothing trained").doesNotExist();
    }

    /** With a validation folder every mask of --data is a training mask: auto weighs by their median frequencies. */
    @Test
    void autoClassWeightsAreCountedInTheTrainingMasks() throws java.io.IOException {
        Path data = directory.resolve("shapes-weights");
        SyntheticShapes.write(data, 6, 32, 5);
        Path validation = directory.resolve("shapes-weights-validation");
        SyntheticShapes.write(validation, 2, 32, 6);
        String console = run(new TrainFolder(), "--data", data.toString(), "--val-data", validation.toString(),
                "--classes", String.valueOf(SyntheticShapes.NUM_CLASSES), "--output", directory.resolve("w").toString(),
                "--height", "32", "--width", "32", "--batch", "2", "--reduction", "halve", "--class-weights", "auto",
                "--find-lr", "--find-lr-steps", "7");

        List<io.github.mdunet.data.folder.SamplePair> masks;
        try (var files = Files.list(data.resolve("masks"))) {
            masks = files.sorted().map(mask -> new io.github.mdunet.data.folder.SamplePair("", mask, mask)).toList();
        }
        double[] expected = io.github.mdunet.data.stats.ClassFrequencies.count(masks,
                new io.github.mdunet.data.image.MaskEncoding.ClassIds(), SyntheticShapes.NUM_CLASSES)
                .medianFrequencyWeights();
        Matcher printed = Pattern.compile("Class weights \\(median frequency balancing over 6 training masks, [^)]*\\):"
                + " (\\S+)").matcher(console);
        assertThat(printed.find()).as(console).isTrue();
        double[] weights = java.util.Arrays.stream(printed.group(1).split(",")).mapToDouble(Double::parseDouble)
                .toArray();
        assertThat(weights).containsExactly(expected, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(java.util.Arrays.stream(weights).skip(1).min().orElseThrow())
                .as("every shape is rarer than the background").isGreaterThan(weights[0]);
    }

    /**
     * Binary masks stored as 0/255 trained with --mask-ignore 255 (once the advice): every foreground pixel ignored,
     * and training ran on the background alone without a word. The warning names the absent class and the ignored
     * pixels, and --class-weights auto says which weight is 0 and why.
     */
    @Test
    void aClassOfNoTrainingPixelIsWarnedAboutAndItsZeroAutoWeightNamed() throws java.io.IOException {
        Path data = directory.resolve("binary-255");
        for (int i = 0; i < 4; i++) {
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(32, 32,
                    java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
            javax.imageio.ImageIO.write(image, "png", Files.createDirectories(data.resolve("images"))
                    .resolve(i + ".png").toFile());
            java.awt.image.BufferedImage mask = new java.awt.image.BufferedImage(32, 32,
                    java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            int[] foreground = new int[32 * 8];
            java.util.Arrays.fill(foreground, 255);
            mask.getRaster().setSamples(0, 0, 32, 8, 0, foreground);
            javax.imageio.ImageIO.write(mask, "png", Files.createDirectories(data.resolve("masks"))
                    .resolve(i + ".png").toFile());
        }
        PrintStream originalErr = System.err;
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        String console;
        try {
            console = run(new TrainFolder(), "--data", data.toString(), "--classes", "2", "--mask-ignore", "255",
                    "--output", directory.resolve("binary-out").toString(), "--height", "32", "--width", "32",
                    "--batch", "2", "--reduction", "halve", "--class-weights", "auto", "--find-lr",
                    "--find-lr-steps", "7");
        } finally {
            System.setErr(originalErr);
        }
        assertThat(errors.toString(StandardCharsets.UTF_8)).as(console).contains("class 1 (of 0..1) has no pixel in"
                + " the 3 training masks of " + data.resolve("masks") + ": a model never sees it (IoU 0), and"
                + " median-frequency class weights (--class-weights auto) give it weight 0; 768 pixels of those masks"
                + " are ignored (ClassIds{ignored [255]}), which may be the cause", "--mask-values 0=0,255=1");
        assertThat(console).contains("(weight 0 for class 1, of no pixel in the training masks: see the warning"
                + " above)");
    }

    @Test
    void tuneRejectsWhatDoesNotFitAndTrainsTheRest() {
        Path output = directory.resolve("tune");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new Tune()).execute("--output", output.toString(), "--budget", "1k",
                    "--images", "10", "--size", "32", "--epochs", "1", "--batch", "8", "--scale-steps", "2");
        } finally {
            System.setOut(original);
        }
        String console = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(console).isEqualTo(ExitCode.NOTHING_FITS.code());
        assertThat(console).contains("REJECTED").doesNotContain("COMPLETE");
        assertThat(output.resolve("search/results.csv")).isNotEmptyFile();
    }

    @Test
    void helpDescribesEveryApp() {
        for (Object app : new Object[] {new Demo(), new TrainFolder(), new Predict(), new QuickStart(), new Tune()}) {
            assertThat(run(app, "--help")).contains("Usage:");
        }
    }
}
