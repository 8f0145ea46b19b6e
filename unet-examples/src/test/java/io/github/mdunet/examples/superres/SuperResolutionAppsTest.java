package io.github.mdunet.examples.superres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.data.folder.Splits;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.synthetic.SyntheticScenes;
import io.github.mdunet.examples.Evaluate;
import io.github.mdunet.examples.Predict;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image-to-image apps end to end on tiny settings, and whole-image prediction. */
class SuperResolutionAppsTest {

    @TempDir
    Path directory;

    private record Run(int exit, String console) {
    }

    private static Run run(Object app, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = CommandLines.of(app).execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
        }
    }

    private static String succeed(Object app, String... args) {
        Run run = run(app, args);
        assertThat(run.exit()).as("exit code of %s, output:%n%s", app.getClass().getSimpleName(), run.console())
                .isZero();
        return run.console();
    }

    /** A tiny run's training, for --data or synthetic scenes. */
    private static final String[] TINY_TRAINING = {"--patch", "32", "--epochs", "1", "--batch", "4", "--crops", "1",
            "--depth", "2", "--base-width", "4", "--pictures", "2"};

    /** A tiny run on 10 synthetic scenes of 40 x 40. */
    private static final String[] TINY = with(new String[] {"--images", "10", "--image-size", "40"}, TINY_TRAINING);

    private static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** A tiny run trained before the one under test: its arguments, and the best model it saved. */
    private record EarlierRun(String[] args, Path best) {

        /** Trains {@link #TINY} into {@code output}. */
        static EarlierRun trainedIn(Path output) {
            String[] args = with(TINY, "--output", output.toString());
            succeed(new SuperResolution(), args);
            return new EarlierRun(args, output.resolve("checkpoints/best.zip"));
        }
    }

    /** fastai's lr_find on the super-resolution model and patches: the sweep's files and a rate, nothing trained. */
    @Test
    void superResolutionFindsALearningRateInsteadOfTraining() throws IOException {
        Path output = directory.resolve("superres-lr");
        // A training run's scene that the sweep's fewer scenes would have cut (found by review).
        Path earlierScene = Files.createDirectories(output.resolve("data")).resolve("scene_00099.png");
        Files.write(earlierScene, new byte[] {1, 2, 3});
        String console = succeed(new SuperResolution(), with(TINY, "--output", output.toString(), "--find-lr",
                "--find-lr-steps", "12", "--find-lr-range", "1e-5,1"));

        assertThat(console).contains("sweeping the learning rate from 1.0e-05 to 1.0e+00 over at most 12 steps")
                .containsPattern("Train: the same command without --find-lr, with --learning-rate \\S+");
        assertThat(output.resolve("lr-find/lr-find.csv")).content().startsWith("step,learning_rate,loss")
                .contains("\n1,1.00000e-05,");
        assertThat(output.resolve("lr-find/lr-find.png")).isNotEmptyFile();
        assertThat(output.resolve("checkpoints")).as("nothing trained").doesNotExist();
        assertThat(output.resolve("training-curves.png")).doesNotExist();
        assertThat(earlierScene).as("a training run's scenes are left alone").hasBinaryContent(new byte[] {1, 2, 3});
        try (var files = Files.list(output.resolve("lr-find/data"))) {
            assertThat(files.count()).as("the sweep's own scenes").isPositive();
        }
    }

    @Test
    void superResolutionTrainsReportsAndPredictImagesUpscales() throws IOException {
        Path output = directory.resolve("superres");
        String console = succeed(new SuperResolution(), with(TINY, "--output", output.toString()));
        Matcher gain = Pattern.compile("(?m)^PSNR gain over bicubic: ([+-]\\d+\\.\\d{3}) dB$").matcher(console);
        assertThat(gain.find()).as(console).isTrue();
        assertThat(console).contains("bicubic", "U-Net", "held-out photographs, whole, x2");
        assertThat(console).as("the memory estimate before the first step")
                .containsPattern("Training memory: about [0-9.]+ [KMG]iB estimated");
        assertThat(output.resolve("training-curves.png")).isNotEmptyFile();
        try (var pictures = Files.list(output.resolve("pictures"))) {
            assertThat(pictures.count()).isEqualTo(2);
        }
        Path model = output.resolve("checkpoints/best.zip");
        assertThat(model).isNotEmptyFile();

        Path lowResolution = directory.resolve("small");
        SyntheticScenes.write(lowResolution, 2, 20, 24, 3);
        Path predictions = directory.resolve("predictions");
        // The model records the scale it was trained at: superres-predict upscales by it unless told otherwise.
        assertThat(UNet.load(model).trainedUpscale()).hasValue(2);
        String predicted = succeed(new PredictImages(), "--model", model.toString(), "--input",
                lowResolution.toString(), "--output", predictions.toString());
        assertThat(predicted).contains("x2, the scale recorded in the model", "2 image(s) written",
                "(20x24) -> scene_00000_out.png (40x48)");
        DecodedImage out = ImageFiles.readImage(predictions.resolve("scene_00001_out.png"), 3);
        assertThat(out.width()).isEqualTo(40);
        assertThat(out.height()).isEqualTo(48);
        succeed(new PredictImages(), "--model", model.toString(), "--input", lowResolution.toString(), "--output",
                predictions.toString(), "--upscale", "2");

        Run otherScale = run(new PredictImages(), "--model", model.toString(), "--input", lowResolution.toString(),
                "--output", directory.resolve("x4").toString(), "--upscale", "4");
        assertThat(otherScale.exit()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(otherScale.console()).contains("--upscale 4 but " + model + " was trained at x2: its inputs were"
                + " upscaled by 2; drop --upscale, or give --upscale 2");
        assertThat(directory.resolve("x4")).doesNotExist();
    }

    @Test
    void superresPredictNeedsUpscaleForAModelWithoutARecordedScale() throws IOException {
        Path model = untrainedModelWithoutAScale("unrecorded.zip");
        Path images = directory.resolve("images");
        SyntheticScenes.write(images, 1, 16, 16, 1);
        Run unknown = run(new PredictImages(), "--model", model.toString(), "--input", images.toString(), "--output",
                directory.resolve("out").toString());
        assertThat(unknown.exit()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(unknown.console()).contains(model + " records no training scale (saved before models recorded"
                + " it, or not by superres): give --upscale, the scale it was trained at (e.g. --upscale 2; 1 for a"
                + " model that reads the image itself)");
        String console = succeed(new PredictImages(), "--model", model.toString(), "--input", images.toString(),
                "--output", directory.resolve("out").toString(), "--upscale", "1");
        assertThat(console).contains("(16x16) -> scene_00000_out.png (16x16)");
    }

    /**
     * superres-predict reads a 12-bit image at the bits the model records, or that {@code --significant-bits} gives
     * a model recording none, and writes the output at the input's levels; other bits than recorded are refused
     * before anything is written.
     */
    @Test
    void superresPredictReadsAtTheRecordedOrGivenSignificantBits() throws IOException {
        Path model = untrainedModelWithoutAScale("bits.zip");
        Path images = directory.resolve("twelve-bit-images");
        Files.createDirectories(images);
        BufferedImage deep = new BufferedImage(16, 16, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSamples(0, 0, 16, 16, 0, java.util.stream.IntStream.range(0, 256)
                .map(i -> i * 16).toArray());
        ImageIO.write(deep, "png", images.resolve("deep.png").toFile());

        String given = succeed(new PredictImages(), "--model", model.toString(), "--input", images.toString(),
                "--output", directory.resolve("given").toString(), "--upscale", "1", "--significant-bits", "12");
        assertThat(given).contains("deep.png (16x16) -> deep_out.png (16x16, 12 bits in 16-bit samples as its"
                + " input)");

        Path recorded = directory.resolve("recorded.zip");
        UNet.load(model).withTrainedSignificantBits(12).save(recorded);
        Path refusedOutput = directory.resolve("refused");
        Run changed = run(new PredictImages(), "--model", recorded.toString(), "--input", images.toString(),
                "--output", refusedOutput.toString(), "--upscale", "1", "--significant-bits", "10");
        assertThat(changed.exit()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(changed.console()).contains("--significant-bits 10 but " + recorded + " records 12 significant"
                + " bits");
        assertThat(refusedOutput).doesNotExist();
        String fromRecord = succeed(new PredictImages(), "--model", recorded.toString(), "--input",
                images.toString(), "--output", directory.resolve("recorded-out").toString(), "--upscale", "1");
        assertThat(fromRecord).contains("(16x16, 12 bits in 16-bit samples as its input)");
    }

    /** A tiny untrained image-to-image U-Net (16 x 16, residual head) saved without a training scale. */
    private Path untrainedModelWithoutAScale(String name) throws IOException {
        Path model = directory.resolve(name);
        UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 4, Normalization.NONE))
                .input(new ImageShape(3, 16, 16)).numClasses(3).head(new HeadActivation.Residual()).build())
                .save(model);
        return model;
    }

    /** A microscope's 16-bit image keeps its levels: its output is a 16-bit PNG, an 8-bit image's an 8-bit one. */
    @Test
    void superresPredictWritesASixteenBitOutputForASixteenBitInput() throws IOException {
        Path model = untrainedModelWithoutAScale("deep.zip");
        Path images = directory.resolve("deep-images");
        SyntheticScenes.write(images, 1, 16, 16, 1);
        BufferedImage deep = new BufferedImage(16, 16, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSamples(0, 0, 16, 16, 0, java.util.stream.IntStream.range(0, 256)
                .map(i -> i * 257).toArray());
        ImageIO.write(deep, "png", images.resolve("deep.png").toFile());
        Path output = directory.resolve("deep-out");

        String console = succeed(new PredictImages(), "--model", model.toString(), "--input", images.toString(),
                "--output", output.toString(), "--upscale", "1");

        assertThat(console).contains("deep.png (16x16) -> deep_out.png (16x16, 16-bit as its input)");
        assertThat(ImageFiles.readHeader(output.resolve("deep_out.png")).bitsPerSample()).isEqualTo(16);
        assertThat(ImageFiles.readHeader(output.resolve("scene_00000_out.png")).bitsPerSample()).isEqualTo(8);
    }

    @Test
    void aSecondRunWithFewerScenesTrainsOnThoseOnly() {
        Path output = directory.resolve("fewer");
        assertThat(succeed(new SuperResolution(), with(TINY, "--output", output.toString())))
                .contains("8 training and 2 held-out photographs");
        String[] fewer = with(TINY, "--output", output.toString(), "--fresh");
        fewer[List.of(fewer).indexOf("--images") + 1] = "6";
        String second = succeed(new SuperResolution(), fewer);
        assertThat(second).contains("5 training and 1 held-out photographs");
        assertThat(output.resolve("data/scene_00006.png")).doesNotExist();
    }

    @Test
    void anEarlierRunIsRefusedUntilResumeOrFreshSaysWhatToDoAndFreshKeepsIt() throws IOException {
        Path output = directory.resolve("twice");
        EarlierRun earlier = EarlierRun.trainedIn(output);
        long bestSize = Files.size(earlier.best());

        Run guessed = run(new SuperResolution(), earlier.args());
        assertThat(guessed.exit()).as(guessed.console()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(guessed.console()).contains(output.resolve("checkpoints") + " holds a run after epoch 1 (best.zip,"
                + " last.zip, training-state.json): give --resume to continue it, or --fresh to start a new run");
        assertThat(earlier.best()).as("nothing deleted").hasSize(bestSize);

        assertThat(succeed(new SuperResolution(), with(earlier.args(), "--resume"))).contains("Resuming the run in "
                + output.resolve("checkpoints") + " after epoch 1", "all 1 epochs done");

        String fresh = succeed(new SuperResolution(), with(earlier.args(), "--fresh"));
        assertThat(fresh).contains("Starting afresh; the earlier run's files (best.zip, last.zip,"
                + " training-state.json, pictures/, training-curves.png) are now in "
                + output.toAbsolutePath().resolve("checkpoints-previous-"));
        try (var siblings = Files.list(output)) {
            List<Path> previous = siblings.filter(p -> p.getFileName().toString().startsWith("checkpoints-previous-"))
                    .toList();
            assertThat(previous).hasSize(1);
            assertThat(previous.get(0).resolve("best.zip")).hasSize(bestSize);
            assertThat(previous.get(0).resolve("training-curves.png")).isNotEmptyFile();
            assertThat(previous.get(0).resolve("pictures")).isDirectory();
        }
        assertThat(earlier.best()).isNotEmptyFile();
    }

    /**
     * Found by review: {@code --scale 4 --resume} on a x2 run exited 0, scored the x2 model on x4 inputs and kept
     * {@code trainedUpscale} 2 in best.zip. It is refused before anything is read, naming both scales and the fixes.
     */
    @Test
    void aResumeAtAnotherScaleIsRefusedNamingBothScalesAndTheFixes() throws IOException {
        Path output = directory.resolve("rescaled");
        EarlierRun earlier = EarlierRun.trainedIn(output);
        byte[] trained = Files.readAllBytes(earlier.best());

        Run x4 = run(new SuperResolution(), with(earlier.args(), "--scale", "4", "--resume"));
        assertThat(x4.exit()).as(x4.console()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(x4.console()).contains("--scale 4, but the run to resume in " + output.resolve("checkpoints")
                + " was trained at --scale 2: give --scale 2 to resume it, or --fresh to start a new run at --scale 4"
                + " (the earlier run's files are moved aside, not deleted)");
        assertThat(earlier.best()).as("nothing written").hasBinaryContent(trained);
        assertThat(output.resolve("pictures")).isDirectory();
        assertThat(UNet.load(earlier.best()).trainedUpscale()).hasValue(2);
    }

    /**
     * Found by review: the photographs were named by their paths, so {@code --data photos/.} refused to resume the
     * run of {@code --data photos} while a photograph replaced under its name was not noticed.
     */
    @Test
    void aResumeFollowsThePhotographsNotHowTheirFolderIsSpelt() throws IOException {
        Path photos = directory.resolve("photos");
        SyntheticScenes.write(photos, 10, 40, 40, 1);
        Path output = directory.resolve("spelt");
        succeed(new SuperResolution(), with(TINY_TRAINING, "--data", photos.toString(), "--output", output.toString()));

        String resumed = succeed(new SuperResolution(), with(TINY_TRAINING, "--data", photos.resolve(".").toString(),
                "--output", output.toString(), "--resume"));
        assertThat(resumed).contains("Resuming the run in " + output.resolve("checkpoints") + " after epoch 1",
                "all 1 epochs done");

        Path other = SyntheticScenes.write(directory.resolve("other"), 1, 48, 40, 9).get(0);
        Path replaced = photos.resolve("scene_00003.png");
        long size = Files.size(replaced);
        Files.copy(other, replaced, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(replaced)).isNotEqualTo(size);
        Run changed = run(new SuperResolution(), with(TINY_TRAINING, "--data", photos.toString(), "--output",
                output.toString(), "--resume"));
        assertThat(changed.exit()).as(changed.console()).isEqualTo(ExitCode.FAILED.code());
        assertThat(changed.console()).contains("holds a run with other settings after epoch 1")
                .containsPattern("(training|validation) data: ");
    }

    @Test
    void theUpsamplerExperimentRefusesAnEarlierOneUntilFreshSetsItAside() throws IOException {
        String[] args = {"--docs", directory.resolve("docs").toString(), "--output", directory.resolve("work")
                .toString(), "--modes", "bilinear", "--images", "10", "--image-size", "40", "--patch", "32",
                "--epochs", "1", "--batch", "4", "--crops", "1", "--depth", "2", "--base-width", "4"};
        succeed(new UpsamplerExperiment(), args);
        Path checkpoints = directory.resolve("work/seed-1/bilinear/checkpoints");
        Run again = run(new UpsamplerExperiment(), args);
        assertThat(again.exit()).as(again.console()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(again.console()).contains(checkpoints + " holds a run after epoch 1", "give --fresh");
        assertThat(checkpoints.resolve("best.zip")).isNotEmptyFile();

        assertThat(succeed(new UpsamplerExperiment(), with(args, "--fresh"))).contains("Starting afresh");
        try (var siblings = Files.list(directory.resolve("work/seed-1/bilinear"))) {
            assertThat(siblings.filter(p -> p.getFileName().toString().startsWith("checkpoints-previous-")))
                    .hasSize(1);
        }
    }

    @Test
    void heldOutPicturesOfPhotographsSharingAStemAreNamedApart() throws IOException {
        Path photos = directory.resolve("photos");
        Files.createDirectories(photos);
        List<Path> files = new java.util.ArrayList<>();
        for (String name : new String[] {"a.png", "a.jpg", "b.png"}) {
            Path file = photos.resolve(name);
            ImageIO.write(SyntheticScenes.render(40, 40, new SplittableRandom(name.hashCode())),
                    ImageFiles.extension(file).equals("jpg") ? "jpeg" : "png", file.toFile());
            files.add(file);
        }
        // A seed whose split holds out a.png and a.jpg (2 of the 3 at fraction 0.5).
        long seed = LongStream.range(1, 1000).filter(s -> Splits.inHoldOutOrder(files, f -> f.getFileName()
                .toString(), s).subList(0, 2).stream().allMatch(f -> ImageFiles.stem(f).equals("a")))
                .findFirst().orElseThrow();
        Path output = directory.resolve("stems");
        String console = succeed(new SuperResolution(), with(TINY_TRAINING, "--data", photos.toString(), "--output",
                output.toString(), "--validation-fraction", "0.5", "--seed", String.valueOf(seed)));
        assertThat(console).contains("1 training and 2 held-out photographs");
        try (var pictures = Files.list(output.resolve("pictures"))) {
            assertThat(pictures.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("a_jpg.png", "a_png.png");
        }
    }

    /**
     * A 12-bit camera's photographs (0-4095 in 16-bit PNGs): {@code --significant-bits 12} reads them (the data
     * module's tests compare the patches with 8-bit twins) and records 12 in the model, for superres-predict; 17 is
     * refused before anything is written.
     */
    @Test
    void twelveBitPhotographsAreReadAtTheirBitsAndTheModelRecordsThem() throws IOException {
        Path photos = directory.resolve("twelve-bit");
        Files.createDirectories(photos);
        for (int i = 0; i < 3; i++) {
            BufferedImage scene = SyntheticScenes.render(40, 40, new SplittableRandom(i));
            BufferedImage deep = new BufferedImage(40, 40, BufferedImage.TYPE_USHORT_GRAY);
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 40; x++) {
                    int green = (scene.getRGB(x, y) >> 8) & 0xFF;
                    deep.getRaster().setSample(x, y, 0, Math.round(green * 4095f / 255f));
                }
            }
            ImageIO.write(deep, "png", photos.resolve("photo" + i + ".png").toFile());
        }
        Path output = directory.resolve("twelve-bit-run");

        Run refused = run(new SuperResolution(), with(TINY_TRAINING, "--data", photos.toString(), "--output",
                output.toString(), "--significant-bits", "17"));
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.console()).contains("--significant-bits must be 1 to 16 (", ") but was 17");
        assertThat(output).doesNotExist();

        String console = succeed(new SuperResolution(), with(TINY_TRAINING, "--data", photos.toString(), "--output",
                output.toString(), "--significant-bits", "12", "--validation-fraction", "0.34"));
        assertThat(console).contains("2 training and 1 held-out photographs").doesNotContain("Left out");
        assertThat(UNet.load(output.resolve("checkpoints/best.zip")).trainedSignificantBits()).hasValue(12);
    }

    @Test
    void upsamplerExperimentWritesItsTableAndPicture() throws IOException {
        Path docs = directory.resolve("docs");
        String console = succeed(new UpsamplerExperiment(), "--docs", docs.toString(), "--output",
                directory.resolve("work").toString(), "--modes", "pixel_shuffle,bilinear", "--images", "10",
                "--image-size", "40", "--patch", "32", "--epochs", "1", "--batch", "4", "--crops", "1", "--depth", "2",
                "--base-width", "4");
        String markdown = Files.readString(docs.resolve("UPSAMPLERS.md"));
        assertThat(markdown).contains("| bicubic (the input) | 0 |", "| pixelShuffle |", "| bilinear |",
                "-Dexec.mainClass=io.github.mdunet.examples.superres.UpsamplerExperiment",
                "-Dexec.args=\"--docs", "PSNR ranking: ", "Seed 1:").doesNotContain("Over the seeds");
        assertThat(console).contains("| pixelShuffle |");
        assertThat(docs.resolve("upsamplers.png")).isNotEmptyFile();
    }

    @Test
    void upsamplerExperimentOverSeveralSeedsSummarisesEachMode() throws IOException {
        Path docs = directory.resolve("docs");
        String console = succeed(new UpsamplerExperiment(), "--docs", docs.toString(), "--output",
                directory.resolve("work").toString(), "--modes", "pixel_shuffle,bilinear", "--seeds", "3,4",
                "--images", "10", "--image-size", "40", "--patch", "32", "--epochs", "1", "--batch", "4", "--crops",
                "1", "--depth", "2", "--base-width", "4");
        assertThat(directory.resolve("work/seed-3/bilinear/checkpoints/best.zip")).isNotEmptyFile();
        assertThat(directory.resolve("work/seed-4/data")).isDirectory();
        String markdown = Files.readString(docs.resolve("UPSAMPLERS.md"));
        assertThat(markdown).contains("Seeds 3, 4: each seed its own", "## Over the seeds", "## Seed 3", "## Seed 4",
                "Ranking by mean gain: ");
        assertThat(console).contains("Over the seeds:");
        List<String> summary = markdown.lines().filter(line -> line.matches("\\| (pixelShuffle|bilinear) \\| [+-].*"))
                .toList();
        assertThat(summary).hasSize(2);
        int wins = 0;
        for (String row : summary) {
            String[] cells = row.split("\\|");
            double mean = Double.parseDouble(cells[2].replace("dB", "").trim());
            double lowest = Double.parseDouble(cells[3].trim());
            double highest = Double.parseDouble(cells[4].trim());
            assertThat(mean).as(row).isBetween(lowest - 5e-4, highest + 5e-4);
            assertThat(lowest).as(row).isLessThanOrEqualTo(highest);
            wins += Integer.parseInt(cells[8].trim().split(" ")[0]);
        }
        assertThat(wins).as("each seed has one mode of the highest gain").isEqualTo(2);

        Run repeated = run(new UpsamplerExperiment(), "--seeds", "3,3", "--output", directory.resolve("never")
                .toString(), "--docs", directory.resolve("never").toString());
        assertThat(repeated.exit()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(repeated.console()).contains("--seeds must not repeat a seed but was [3, 3]");
        assertThat(directory.resolve("never")).doesNotExist();
    }

    @Test
    void wrongOptionsAreRefusedWithTheFix() {
        Run run = run(new SuperResolution(), "--patch", "30", "--output", directory.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.console()).contains("--patch must be at least 16 and a multiple of the scale (2) and of the"
                + " encoder's total stride 2^depth (8) but was 30");
        for (Object app : new Object[] {new SuperResolution(), new UpsamplerExperiment(), new PredictImages()}) {
            assertThat(succeed(app, "--help")).contains("Usage:");
        }
    }

    @Test
    void aPatchTooSmallForSsimAfterTheShavedBorderIsABadOptionNamingTheSmallestOne() {
        Path output = directory.resolve("never");
        for (String[] patchScaleSmallest : new String[][] {{"16", "4", "24"}, {"24", "8", "32"}}) {
            String[] args = with(TINY, "--output", output.toString(), "--scale", patchScaleSmallest[1]);
            args[List.of(args).indexOf("--patch") + 1] = patchScaleSmallest[0];
            args[List.of(args).indexOf("--depth") + 1] = "3";
            Run run = run(new SuperResolution(), args);
            assertThat(run.exit()).as(run.console()).isEqualTo(ExitCode.BAD_OPTION.code());
            assertThat(run.console()).contains("--patch " + patchScaleSmallest[0] + " is too small for --scale "
                    + patchScaleSmallest[1] + ": PSNR and SSIM shave a border of " + patchScaleSmallest[1]
                    + " pixels from each side", "less than SSIM's 11x11 window; the smallest --patch for --scale "
                    + patchScaleSmallest[1] + " and --depth 3 is " + patchScaleSmallest[2]);
        }
        assertThat(output).as("nothing written").doesNotExist();
    }

    /** --images and --image-size describe synthetic scenes, --significant-bits photographs: each without the other. */
    @Test
    void optionsOfTheOtherDataAreRefused() throws IOException {
        Path output = directory.resolve("never");
        Path photos = Files.createDirectories(directory.resolve("photos"));
        for (String option : List.of("--images", "--image-size")) {
            Run scenes = run(new SuperResolution(), "--data", photos.toString(), option, "40", "--output",
                    output.toString());
            assertThat(scenes.exit()).isEqualTo(ExitCode.BAD_OPTION.code());
            assertThat(scenes.console()).contains(option + " describes the synthetic scenes, but --data " + photos
                    + " gives the photographs: drop " + option);
        }
        Run bits = run(new SuperResolution(), "--significant-bits", "12", "--output", output.toString());
        assertThat(bits.exit()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(bits.console()).contains("--significant-bits 12 reads 16-bit photographs of --data, but without"
                + " --data the data are synthetic 8-bit scenes");
        assertThat(output).doesNotExist();
    }

    @Test
    void optionsAreCheckedBeforeAnythingIsWrittenAndBadDataIsNamed() {
        Path output = directory.resolve("never");
        Run fewImages = run(new SuperResolution(), "--images", "3", "--output", output.toString());
        assertThat(fewImages.exit()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(fewImages.console()).contains("--images must be >= 5 (some are held out) but was 3");
        Run experiment = run(new UpsamplerExperiment(), "--learning-rate", "0", "--output", output.toString(),
                "--docs", output.toString());
        assertThat(experiment.exit()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(experiment.console()).contains("--learning-rate must be a positive number but was 0.0");
        assertThat(output).doesNotExist();

        Run noData = run(new SuperResolution(), "--data", directory.resolve("no-photos").toString(), "--output",
                output.toString());
        assertThat(noData.exit()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(noData.console()).contains("--data " + directory.resolve("no-photos") + " is not a folder");
        Run noModel = run(new PredictImages(), "--model", directory.resolve("none.zip").toString(), "--input",
                directory.toString());
        assertThat(noModel.exit()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(noModel.console()).contains("--input " + directory + " holds no image");
    }

    @Test
    void predictAndEvaluateRefuseAnImageToImageModelNamingSuperresPredict() throws IOException {
        Path model = directory.resolve("superres.zip");
        UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 4, Normalization.NONE))
                .input(new ImageShape(3, 16, 16)).numClasses(3).head(new HeadActivation.Residual()).build())
                .save(model);
        Path images = directory.resolve("images");
        SyntheticScenes.write(images, 1, 16, 16, 1);
        Path output = directory.resolve("masks");
        Run predict = run(new Predict(), "--model", model.toString(), "--input", images.toString(), "--output",
                output.toString());
        Run evaluate = run(new Evaluate(), "--model", model.toString(), "--data", directory.resolve("labelled")
                .toString(), "--output", output.toString());
        for (Run refused : new Run[] {predict, evaluate}) {
            assertThat(refused.exit()).as(refused.console()).isEqualTo(ExitCode.BAD_DATA.code());
            assertThat(refused.console()).contains("--model " + model + " is an image-to-image model (head Residual",
                    "mdunet superres-predict --model " + model);
        }
        assertThat(output).as("no mask written").doesNotExist();
    }

    @Test
    void wholeImagesGoThroughTilesAndComeBackAsPixels() {
        // A residual U-Net with a zero head returns its input: tiling and the normalisation round trip must too.
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 4, Normalization.NONE))
                .input(new ImageShape(3, 16, 16)).numClasses(3).head(new HeadActivation.Residual()).build());
        unet.graph().getLayer(VertexNames.HEAD).getParam("W").assign(0);
        java.awt.image.BufferedImage scene = SyntheticScenes.render(37, 29, new SplittableRandom(3));
        float[] pixels = new float[3 * 37 * 29];
        for (int y = 0; y < 29; y++) {
            for (int x = 0; x < 37; x++) {
                int rgb = scene.getRGB(x, y);
                pixels[y * 37 + x] = (rgb >> 16) & 0xFF;
                pixels[29 * 37 + y * 37 + x] = (rgb >> 8) & 0xFF;
                pixels[2 * 29 * 37 + y * 37 + x] = rgb & 0xFF;
            }
        }
        DecodedImage image = DecodedImage.eightBit(3, 29, 37, pixels);
        DecodedImage predicted = new ImageToImagePredictor(unet, 4).predict(image);
        assertThat(predicted.height()).isEqualTo(29);
        assertThat(predicted.width()).isEqualTo(37);
        for (int i = 0; i < pixels.length; i++) {
            assertThat(predicted.pixels()[i]).isCloseTo(pixels[i], within(1e-3f));
        }
        assertThat(predicted.channels()).isEqualTo(3);
    }
}
