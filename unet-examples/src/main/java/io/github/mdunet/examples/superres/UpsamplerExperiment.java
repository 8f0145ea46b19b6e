package io.github.mdunet.examples.superres;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.app.RunFolder;
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
import java.util.Collection;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The seed's claim put to the test: the same x2 super-resolution task (same synthetic data, split, seed, epochs,
 * batches and learning rate) trained once per decoder upsampling mode and seed, each measured on the whole held-out
 * photographs: PSNR, SSIM, parameters, training time, and a checkerboard measure (the energy of the error at the
 * sub-pixel period, relative to the truth's energy there). Writes {@code UPSAMPLERS.md} (the command, a table per
 * seed and, for several seeds, each mode's mean, lowest and highest gain and wins) and {@code upsamplers.png} (the
 * same crops from every mode, first seed) to the docs folder. Each seed works in {@code <output>/seed-<seed>}.
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

    @Option(names = {"--seeds", "--seed"}, split = ",", showDefaultValue = Visibility.NEVER,
            description = "Seeds of everything (scenes, split, patches, initial weights), one run of every mode per"
                    + " seed, e.g. 1,2,3: several give each mode's spread and how often it wins (default: 1).")
    List<Long> seeds = List.of(1L);

    @Option(names = "--fresh", description = "When the working folder holds an earlier experiment's checkpoints:"
            + " move each mode's to seed-<seed>/<mode>/" + RunFolder.CHECKPOINTS_SET_ASIDE + " and train afresh"
            + " (nothing is deleted). Without it, an earlier experiment is refused.")
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

    /** Every mode's outcome on the scenes, split, patches and initial weights of one seed. */
    record SeedRun(long seed, List<Row> rows) {
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Map<Long, SuperResolutionRun.Settings> bases = new LinkedHashMap<>();
        try {
            scenes.checkScenes();
            if (modes.isEmpty()) {
                throw new IllegalArgumentException("--modes must name at least one mode");
            }
            if (seeds.stream().distinct().count() != seeds.size()) {
                throw new IllegalArgumentException("--seeds must not repeat a seed but was " + seeds
                        + ": a seed gives the same run again");
            }
            for (long seed : seeds) {
                Path folder = output.resolve("seed-" + seed);
                bases.put(seed, scenes.settings(folder.resolve("data"), folder, SCALE,
                        new UpsampleMode.PixelShuffle(false), ImageLoss.MSE, FeatureWeights.RANDOM, training.values(),
                        0.2, seed, 2, false, SampleDepth.SIXTEEN_BIT.bits())); // its synthetic scenes are 8-bit
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Map<Path, EarlierRun> earlier = earlierRuns(bases.values());
        List<SeedRun> runs = new ArrayList<>();
        for (SuperResolutionRun.Settings base : bases.values()) {
            scenes.writeScenes(base.data(), base.seed());
            List<Row> rows = new ArrayList<>();
            for (UpsampleMode mode : modes) {
                String name = mode.name();
                System.out.printf(Locale.ROOT, "%n=== %s, seed %d ===%n", name, base.seed());
                SuperResolutionRun.Settings settings = modeSettings(base, mode);
                EarlierRun toSetAside = earlier.get(SuperResolutionRun.checkpoints(settings));
                SuperResolutionRun.Result result = SuperResolutionRun.run(settings, System.out, () -> {
                    if (toSetAside != null) {
                        System.out.printf(Locale.ROOT, "Starting afresh; the earlier run's files (%s) are now in"
                                + " %s%n", String.join(", ", toSetAside.files()), toSetAside.setAside());
                    }
                });
                System.out.printf(Locale.ROOT, "%s: PSNR %.3f dB (bicubic %.3f), SSIM %.4f, %.1f s%n", name,
                        result.model().psnr(), result.bicubic().psnr(), result.model().ssim(),
                        result.trainingSeconds());
                rows.add(new Row(mode, result));
            }
            runs.add(new SeedRun(base.seed(), rows));
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Files.createDirectories(docs);
        writePicture(docs.resolve("upsamplers.png"), runs.get(0).rows());
        Files.writeString(docs.resolve("UPSAMPLERS.md"), markdown(runs, loadBefore, loadAfter,
                (System.nanoTime() - start) / 1e9));
        for (SeedRun run : runs) {
            System.out.printf(Locale.ROOT, "%nSeed %d:%n%s", run.seed(), table(run.rows()));
        }
        if (runs.size() > 1) {
            System.out.printf(Locale.ROOT, "%nOver the seeds:%n%s", summary(overSeeds(runs), runs.size()));
        }
        System.out.printf(Locale.ROOT, "Wrote %s and %s in %.1f s%n", docs.resolve("UPSAMPLERS.md").toAbsolutePath(),
                docs.resolve("upsamplers.png").toAbsolutePath(), (System.nanoTime() - start) / 1e9);
        return ExitCode.OK.code();
    }

    /** One mode's run of one seed: its own folder under the seed's. */
    private static SuperResolutionRun.Settings modeSettings(SuperResolutionRun.Settings base, UpsampleMode mode) {
        return base.withUpsample(mode).withOutput(base.output().resolve(mode.name()));
    }

    /**
     * The earlier runs in the working folder, by their checkpoint folder, which {@code --fresh} sets aside (each when
     * its mode is ready to train): each mode would otherwise resume its earlier run, or conflict with it, instead of
     * training afresh.
     *
     * @throws picocli.CommandLine.ParameterException naming the first and {@code --fresh} when there are some and
     *                                                {@code --fresh} was not given
     */
    private Map<Path, EarlierRun> earlierRuns(Collection<SuperResolutionRun.Settings> bases) throws IOException {
        Map<Path, EarlierRun> earlier = new LinkedHashMap<>();
        for (SuperResolutionRun.Settings base : bases) {
            for (UpsampleMode mode : modes) {
                Path checkpoints = SuperResolutionRun.checkpoints(modeSettings(base, mode));
                EarlierRun.in(checkpoints).ifPresent(run -> earlier.put(checkpoints, run));
            }
        }
        if (!earlier.isEmpty() && !fresh) {
            EarlierRun first = earlier.values().iterator().next();
            throw usage(first.directory() + " holds " + first.describe() + (earlier.size() > 1 ? " (and "
                    + (earlier.size() - 1) + " more run(s) of a mode and seed)" : "") + ": give --fresh to move the"
                    + " earlier experiment's checkpoints aside (to " + RunFolder.CHECKPOINTS_SET_ASIDE
                    + ", nothing is deleted), or another --output");
        }
        return earlier;
    }

    /**
     * One mode over the seeds: its PSNR gain over bicubic (each seed's own held-out scenes) and its checkerboard, and
     * on how many seeds its gain was the highest.
     */
    record ModeOverSeeds(String name, DoubleSummaryStatistics gain, DoubleSummaryStatistics checkerboard, long wins) {
    }

    /** Each mode over the seeds, in {@code --modes} order. */
    static List<ModeOverSeeds> overSeeds(List<SeedRun> runs) {
        List<ModeOverSeeds> modes = new ArrayList<>();
        for (int m = 0; m < runs.get(0).rows().size(); m++) {
            int mode = m;
            modes.add(new ModeOverSeeds(runs.get(0).rows().get(m).name(),
                    runs.stream().mapToDouble(run -> run.rows().get(mode).result().psnrGain()).summaryStatistics(),
                    runs.stream().mapToDouble(run -> run.rows().get(mode).result().checkerboardModel())
                            .summaryStatistics(),
                    runs.stream().filter(run -> best(run.rows()) == run.rows().get(mode)).count()));
        }
        return modes;
    }

    /** The table of {@link #overSeeds}: mean, lowest and highest gain and checkerboard, and wins of {@code seeds}. */
    static String summary(List<ModeOverSeeds> modes, int seeds) {
        StringBuilder out = new StringBuilder();
        out.append("| upsampling | vs bicubic, mean | lowest | highest | checkerboard, mean | lowest | highest"
                + " | highest gain on |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (ModeOverSeeds mode : modes) {
            out.append(String.format(Locale.ROOT,
                    "| %s | %+.3f dB | %+.3f | %+.3f | %.3f | %.3f | %.3f | %d of %d seeds |%n", mode.name(),
                    mode.gain().getAverage(), mode.gain().getMin(), mode.gain().getMax(),
                    mode.checkerboard().getAverage(), mode.checkerboard().getMin(), mode.checkerboard().getMax(),
                    mode.wins(), seeds));
        }
        return out.toString();
    }

    /** The row of the highest PSNR gain over bicubic. */
    private static Row best(List<Row> rows) {
        return rows.stream().max(Comparator.comparingDouble(row -> row.result().psnrGain())).orElseThrow();
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

    private String markdown(List<SeedRun> runs, double loadBefore, double loadAfter, double seconds) {
        SeedRun firstRun = runs.get(0);
        SuperResolutionRun.Result first = firstRun.rows().get(0).result();
        List<String> arguments = spec() == null ? List.of() : commandLine().getParseResult().originalArgs();
        String command = "mvn -q -pl unet-examples -am test-compile exec:java"
                + " -Dexec.mainClass=io.github.mdunet.examples.superres.UpsamplerExperiment"
                + (arguments.isEmpty() ? "" : " -Dexec.args=\"" + String.join(" ", arguments) + "\"");
        TrainingOptions.Values schedule = training.values();
        String seedList = seeds.stream().map(String::valueOf).collect(Collectors.joining(", "));
        StringBuilder results = new StringBuilder();
        if (runs.size() > 1) {
            List<ModeOverSeeds> byMode = overSeeds(runs);
            Map<String, Double> meanGains = new LinkedHashMap<>();
            byMode.forEach(mode -> meanGains.put(mode.name(), mode.gain().getAverage()));
            results.append("## Over the seeds\n\nEach mode's PSNR gain over bicubic (each seed on its own held-out"
                    + " scenes) and checkerboard over the seeds, and on how many seeds its gain was the highest:\n\n")
                    .append(summary(byMode, runs.size())).append('\n')
                    .append("Ranking by mean gain: ").append(ranking(meanGains)).append(".\n\n");
        }
        for (SeedRun run : runs) {
            if (runs.size() > 1) {
                results.append("## Seed ").append(run.seed()).append("\n\n");
            }
            Map<String, Double> psnr = new LinkedHashMap<>();
            run.rows().forEach(row -> psnr.put(row.name(), row.result().model().psnr()));
            results.append(table(run.rows())).append('\n').append("PSNR ranking: ").append(ranking(psnr))
                    .append(".\n\n");
        }
        return "# Upsampling modes on x2 super-resolution\n\n"
                + "Written by `UpsamplerExperiment`; the numbers below come from the run that wrote this file:\n\n"
                + "```\n" + command + "\n```\n\n"
                + "The same task for every mode: " + scenes.images + " synthetic " + scenes.imageSize + "x"
                + scenes.imageSize + " scenes (textures, shapes, text), " + first.heldOut().size() + " of them held"
                + " out; x2 inputs made by area-averaged downscaling and bicubic upscaling back; a U-Net with a classic"
                + " encoder (depth " + scenes.encoder.depth() + ", width " + scenes.encoder.baseWidth()
                + ", no normalisation), `EQ_SKIP` decoder, residual head (it predicts the correction of the bicubic"
                + " input), mean squared error loss (what PSNR measures), Adam (`TorchAdam`) with a one-cycle"
                + " schedule peaking at " + schedule.learningRate() + ", " + schedule.epochs() + " epochs of "
                + scenes.crops + " random " + scenes.patch + "x" + scenes.patch + " patches per training scene,"
                + " batch " + schedule.batch() + ". " + (runs.size() > 1 ? "Seeds " : "Seed ") + seedList
                + (runs.size() > 1 ? ": each seed its own" : ":") + " scenes, split, patches and initial weights,"
                + " the same for every mode. Only the decoder's upsampling differs (each decoder stage and the"
                + " final stage).\n\n"
                + "Measured on the whole held-out scenes (predicted in tiles of " + scenes.patch + "), a border of 2"
                + " shaved, PSNR and SSIM (Wang et al. 2004) on RGB and on the BT.601 luma, means over scenes."
                + " **Checkerboard**: the energy of the luma error at period 2 (the mean squared deviation of the"
                + " four pixel phases' mean errors, i.e. the error's power at the frequencies that repeat every two"
                + " pixels) summed over the scenes and divided by the truth's energy at period 2: lower is better,"
                + " a stride-2 artefact raises it. Training time is wall time of training and per-epoch validation"
                + String.format(Locale.ROOT, " on %d cores (load average %.1f before, %.1f after; other jobs shared"
                + " the machine, so times compare only roughly).", Runtime.getRuntime().availableProcessors(),
                loadBefore, loadAfter) + "\n\n"
                + results
                + "![The same crops of two held-out scenes of seed " + firstRun.seed() + ": truth, bicubic, then each"
                + " mode](upsamplers.png)\n\n"
                + String.format(Locale.ROOT, "The whole experiment took %.0f s.%n", seconds);
    }

    /** {@code a (30.350 dB) > b (30.334 dB)}: the names by value, highest first. */
    private static String ranking(Map<String, Double> decibels) {
        return decibels.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(entry -> String.format(Locale.ROOT, "%s (%.3f dB)", entry.getKey(), entry.getValue()))
                .collect(Collectors.joining(" > "));
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
