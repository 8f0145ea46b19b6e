package io.github.mdunet.examples.superres;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.app.TrainingOptions;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.train.EarlierRun;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.SampleDepth;
import io.github.mdunet.examples.UpsampleModeOption;
import io.github.mdunet.examples.superres.SuperResolutionPictures.Panel;
import io.github.mdunet.examples.superres.SuperResolutionRun.FeatureWeights;
import io.github.mdunet.examples.superres.SuperResolutionRun.ImageLoss;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The seed's claim put to the test: the same x2 super-resolution task (same synthetic data, split, seed, epochs,
 * batches and learning rate) trained once per decoder upsampling mode, each measured on the whole held-out
 * photographs: PSNR, SSIM, parameters, training time, and a checkerboard measure (the energy of the error at the
 * sub-pixel period, relative to the truth's energy there). Writes {@code UPSAMPLERS.md} (the table and the command)
 * and {@code upsamplers.png} (the same crops from every mode) to the docs folder.
 */
@Command(name = "upsampler-experiment", mixinStandardHelpOptions = true,
        description = "Trains the same x2 super-resolution U-Net with each upsampling mode and compares them.")
public final class UpsamplerExperiment extends AppCommand {

    @Option(names = "--docs", description = "Where UPSAMPLERS.md and upsamplers.png go.")
    Path docs = Path.of("docs");

    @Option(names = "--output", description = "Working folder: data and each mode's checkpoints.")
    Path output = Path.of("output", "upsamplers");

    @Option(names = "--modes", split = ",", converter = UpsampleModeOption.class,
            completionCandidates = UpsampleModeOption.Names.class, showDefaultValue = Visibility.NEVER,
            description = "Modes to compare, of ${COMPLETION-CANDIDATES} (default: all).")
    List<UpsampleMode> modes = UpsampleMode.choices();

    @Mixin
    SuperResolutionOptions scenes = new SuperResolutionOptions();

    @Mixin
    TrainingOptions training = new TrainingOptions(6, 16, 3e-3);

    @Option(names = "--seed", description = "Seed of everything.")
    long seed = 1;

    @Option(names = "--fresh", description = "When the working folder holds an earlier experiment's checkpoints:"
            + " move each mode's to <mode>/checkpoints-previous-<date>-<time> and train afresh (nothing is deleted)."
            + " Without it, an earlier experiment is refused.")
    boolean fresh;

    /** The scale: the experiment is about x2. */
    private static final int SCALE = 2;
    /** Side of the compared crops, in high-resolution pixels. */
    private static final int CROP = 40;

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new UpsamplerExperiment()));
    }

    /** One mode's outcome. */
    record Row(UpsampleMode mode, SuperResolutionRun.Result result) {
        String name() {
            return mode.name();
        }
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Path data = output.resolve("data");
        SuperResolutionRun.Settings base;
        try {
            scenes.checkScenes();
            if (modes.isEmpty()) {
                throw new IllegalArgumentException("--modes must name at least one mode");
            }
            base = scenes.settings(data, output, SCALE, new UpsampleMode.PixelShuffle(false), ImageLoss.MSE,
                    FeatureWeights.RANDOM, training.values(), 0.2, seed, 2, false,
                    SampleDepth.SIXTEEN_BIT.bits()); // its synthetic scenes are 8-bit
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Map<UpsampleMode, EarlierRun> earlier = earlierRuns(base);
        scenes.writeScenes(data, seed);
        List<Row> rows = new ArrayList<>();
        for (UpsampleMode mode : modes) {
            String name = mode.name();
            System.out.printf(Locale.ROOT, "%n=== %s ===%n", name);
            EarlierRun toSetAside = earlier.get(mode);
            SuperResolutionRun.Result result = SuperResolutionRun.run(
                    base.withUpsample(mode).withOutput(output.resolve(name)), System.out, () -> {
                        if (toSetAside != null) {
                            System.out.printf(Locale.ROOT, "Starting afresh; the earlier run's files (%s) are now"
                                    + " in %s%n", String.join(", ", toSetAside.files()), toSetAside.setAside());
                        }
                    });
            System.out.printf(Locale.ROOT, "%s: PSNR %.3f dB (bicubic %.3f), SSIM %.4f, %.1f s%n", name,
                    result.model().psnr(), result.bicubic().psnr(), result.model().ssim(), result.trainingSeconds());
            rows.add(new Row(mode, result));
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Files.createDirectories(docs);
        writePicture(docs.resolve("upsamplers.png"), rows);
        String table = table(rows);
        Files.writeString(docs.resolve("UPSAMPLERS.md"), markdown(rows, table, loadBefore, loadAfter,
                (System.nanoTime() - start) / 1e9));
        System.out.println();
        System.out.println(table);
        System.out.printf(Locale.ROOT, "Wrote %s and %s in %.1f s%n", docs.resolve("UPSAMPLERS.md").toAbsolutePath(),
                docs.resolve("upsamplers.png").toAbsolutePath(), (System.nanoTime() - start) / 1e9);
        return ExitCode.OK.code();
    }

    /**
     * The modes' earlier runs in the working folder, which {@code --fresh} sets aside (each when its mode is ready to
     * train): each mode would otherwise resume its earlier run, or conflict with it, instead of training afresh.
     *
     * @throws picocli.CommandLine.ParameterException naming the first and {@code --fresh} when there are some and
     *                                                {@code --fresh} was not given
     */
    private Map<UpsampleMode, EarlierRun> earlierRuns(SuperResolutionRun.Settings base) throws IOException {
        Map<UpsampleMode, EarlierRun> earlier = new LinkedHashMap<>();
        for (UpsampleMode mode : modes) {
            Path checkpoints = SuperResolutionRun.checkpoints(base.withOutput(output.resolve(mode.name())));
            EarlierRun.in(checkpoints).ifPresent(run -> earlier.put(mode, run));
        }
        if (!earlier.isEmpty() && !fresh) {
            EarlierRun first = earlier.values().iterator().next();
            throw usage(first.directory() + " holds " + first.describe() + (earlier.size() > 1 ? " (and "
                    + (earlier.size() - 1) + " more mode(s) hold runs)" : "") + ": give --fresh to move the earlier"
                    + " experiment's checkpoints aside (to checkpoints-previous-<date>-<time>, nothing is deleted), or"
                    + " another --output");
        }
        return earlier;
    }

    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| upsampling | parameters | training time | PSNR (dB) | SSIM | PSNR Y (dB) | SSIM Y | vs bicubic"
                + " | checkerboard |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        SuperResolutionRun.Result first = rows.get(0).result();
        out.append(String.format(Locale.ROOT,
                "| bicubic (the input) | 0 | - | %.3f | %.4f | %.3f | %.4f | 0 | %.3f |%n",
                first.bicubic().psnr(), first.bicubic().ssim(), first.bicubic().psnrY(), first.bicubic().ssimY(),
                first.checkerboardBicubic()));
        for (Row row : rows) {
            SuperResolutionRun.Result r = row.result();
            out.append(String.format(Locale.ROOT,
                    "| %s | %,d | %.0f s | %.3f | %.4f | %.3f | %.4f | %+.3f dB | %.3f |%n",
                    row.name(), r.parameters(), r.trainingSeconds(), r.model().psnr(), r.model().ssim(),
                    r.model().psnrY(), r.model().ssimY(), r.psnrGain(), r.checkerboardModel()));
        }
        return out.toString();
    }

    private String markdown(List<Row> rows, String table, double loadBefore, double loadAfter, double seconds) {
        SuperResolutionRun.Result first = rows.get(0).result();
        List<Row> ranked = new ArrayList<>(rows);
        ranked.sort(Comparator.comparingDouble((Row r) -> r.result().model().psnr()).reversed());
        StringBuilder ranking = new StringBuilder();
        for (Row row : ranked) {
            ranking.append(ranking.length() == 0 ? "" : " > ").append(String.format(Locale.ROOT, "%s (%.3f dB)",
                    row.name(), row.result().model().psnr()));
        }
        List<String> arguments = spec() == null ? List.of() : commandLine().getParseResult().originalArgs();
        String command = "mvn -q -pl unet-examples -am test-compile exec:java"
                + " -Dexec.mainClass=io.github.mdunet.examples.superres.UpsamplerExperiment"
                + (arguments.isEmpty() ? "" : " -Dexec.args=\"" + String.join(" ", arguments) + "\"");
        TrainingOptions.Values schedule = training.values();
        return "# Upsampling modes on x2 super-resolution\n\n"
                + "Written by `UpsamplerExperiment`; the numbers below come from the run that wrote this file:\n\n"
                + "```\n" + command + "\n```\n\n"
                + "The same task for every mode: " + scenes.images + " synthetic " + scenes.imageSize + "x"
                + scenes.imageSize + " scenes"
                + " (textures, shapes, text; seed " + seed + "), " + first.heldOut().size() + " of them held out;"
                + " x2 inputs made by area-averaged downscaling and bicubic upscaling back; a U-Net with a classic"
                + " encoder (depth " + scenes.encoder.depth() + ", width " + scenes.encoder.baseWidth()
                + ", no normalisation), `EQ_SKIP`"
                + " decoder, residual"
                + " head (it predicts the correction of the bicubic input), mean squared error loss (what PSNR"
                + " measures), Adam (`TorchAdam`) with a one-cycle schedule peaking at " + schedule.learningRate()
                + ", " + schedule.epochs() + " epochs of " + scenes.crops + " random " + scenes.patch + "x"
                + scenes.patch
                + " patches per training scene, batch " + schedule.batch() + ", the same seed for data,"
                + " split, patches and initial weights. Only the decoder's upsampling differs (each decoder stage"
                + " and the final stage).\n\n"
                + "Measured on the whole held-out scenes (predicted in tiles of " + scenes.patch + "), a border of 2"
                + " shaved, PSNR and SSIM (Wang et al. 2004) on RGB and on the BT.601 luma, means over scenes."
                + " **Checkerboard**: the energy of the luma error at period 2 (the mean squared deviation of the"
                + " four pixel phases' mean errors, i.e. the error's power at the frequencies that repeat every two"
                + " pixels) summed over the scenes and divided by the truth's energy at period 2: lower is better,"
                + " a stride-2 artefact raises it. Training time is wall time of training and per-epoch validation"
                + String.format(Locale.ROOT, " on %d cores (load average %.1f before, %.1f after; other jobs shared"
                + " the machine, so times compare only roughly).", Runtime.getRuntime().availableProcessors(),
                loadBefore, loadAfter) + "\n\n"
                + table + "\n"
                + "PSNR ranking: " + ranking + ".\n\n"
                + "![The same crops of two held-out scenes: truth, bicubic, then each mode](upsamplers.png)\n\n"
                + String.format(Locale.ROOT, "The whole experiment took %.0f s.%n", seconds);
    }

    /** Rows: the two held-out scenes; columns: truth, bicubic, each mode; the same crop of each, enlarged. */
    private static void writePicture(Path file, List<Row> rows) throws IOException {
        SuperResolutionRun.Result first = rows.get(0).result();
        List<List<Panel>> grid = new ArrayList<>();
        for (int i = 0; i < Math.min(2, first.truths().size()); i++) {
            DecodedImage truth = first.truths().get(i);
            int side = Math.min(CROP, Math.min(truth.height(), truth.width()));
            int[] corner = SuperResolutionPictures.detailedRegion(truth, side, 4);
            String scene = ImageFiles.stem(first.heldOut().get(i));
            List<Panel> panels = new ArrayList<>();
            panels.add(new Panel(scene + " truth", SuperResolutionPictures.crop(truth, corner[0], corner[1], side)));
            panels.add(new Panel("bicubic", SuperResolutionPictures.crop(first.inputs().get(i), corner[0], corner[1],
                    side)));
            for (Row row : rows) {
                panels.add(new Panel(row.name(), SuperResolutionPictures.crop(row.result().predictions().get(i),
                        corner[0], corner[1], side)));
            }
            grid.add(panels);
        }
        SuperResolutionPictures.write(file, grid, 4);
    }
}
