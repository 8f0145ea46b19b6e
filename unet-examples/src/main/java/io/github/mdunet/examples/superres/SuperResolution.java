package io.github.mdunet.examples.superres;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.BadInputException;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.app.TrainingOptions;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.metrics.ImageQualityEvaluation;
import io.github.mdunet.core.train.EarlierRun;
import io.github.mdunet.examples.LearningRateFinderOptions;
import io.github.mdunet.examples.PredictionInputs;
import io.github.mdunet.examples.RunStartOptions;
import io.github.mdunet.examples.UpsampleModeOption;
import io.github.mdunet.examples.report.LearningRateSweepFiles;
import io.github.mdunet.examples.report.TrainingCurves;
import io.github.mdunet.examples.superres.SuperResolutionRun.FeatureWeights;
import io.github.mdunet.examples.superres.SuperResolutionRun.ImageLoss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Self-supervised super-resolution (x2, x4, ...) with a U-Net on a folder of photographs, or without one on
 * synthetic scenes (textures, shapes and text) it makes itself. Inputs are the photographs area-downscaled and
 * upscaled back bicubically; the U-Net predicts the correction (a residual head). Prints PSNR and SSIM of the model
 * and of bicubic upscaling on the whole held-out photographs, and writes an input | bicubic | U-Net | truth picture
 * per held-out photograph, the training curves and the best model (for {@link PredictImages}). An earlier run in the
 * output folder is continued with {@code --resume} or set aside with {@code --fresh}, as {@code train} does
 * ({@link RunStartOptions}); with neither it is refused, and nothing is ever deleted.
 */
@Command(name = "super-resolution", mixinStandardHelpOptions = true,
        description = "Trains a U-Net to upscale photographs and compares it with bicubic upscaling on held-out ones.")
public final class SuperResolution extends AppCommand {

    private static final String PICTURES = "pictures";

    @Option(names = "--data", description = "A folder of photographs (png, jpg, bmp, tif; 8 or 16 bits per channel;"
            + " any size of at least --patch; others are left out and listed)."
            + " Default: synthetic scenes written to OUTPUT/data.")
    Path data;

    @Option(names = "--significant-bits", paramLabel = "BITS", description = "The bits of a 16-bit photograph's"
            + " samples that hold its value, 1 to 16: 12 reads a 12-bit camera's 0-4095 as 0-255, where 16 reads it as"
            + " 0-16. 8-bit photographs are read as they are; the model records it for superres-predict.")
    int significantBits = 16;

    @Option(names = "--output", description = "Output folder.")
    Path output = Path.of("output", "superres");

    @Option(names = "--scale", description = "Upscaling factor, 2 to 8.")
    int scale = 2;

    @CommandLine.Mixin
    SuperResolutionOptions scenes = new SuperResolutionOptions();

    @Option(names = "--upsample", converter = UpsampleModeOption.class,
            completionCandidates = UpsampleModeOption.Names.class, defaultValue = UpsampleMode.PIXEL_SHUFFLE,
            description = "Decoder upsampling: ${COMPLETION-CANDIDATES}.")
    UpsampleMode upsample;

    @Option(names = "--loss", description = "Training loss: ${COMPLETION-CANDIDATES} (the perceptual ones compare"
            + " VGG16 features, with fastai's weights).")
    ImageLoss loss = ImageLoss.MSE;

    @Option(names = "--vgg-weights", description = "The perceptual loss's VGG16 weights: ${COMPLETION-CANDIDATES}"
            + " (AUTO: the zoo's ImageNet file in DL4J's cache if present, else random).")
    FeatureWeights vggWeights = FeatureWeights.AUTO;

    @CommandLine.Mixin
    TrainingOptions training = new TrainingOptions(10, 16, 3e-3);

    @Option(names = "--validation-fraction", description = "Share of photographs held out.")
    double validationFraction = 0.2;

    @Option(names = "--pictures", description = "Held-out photographs to draw.")
    int pictures = 8;

    @Option(names = "--seed", description = "Seed for data, split, patches and weights.")
    long seed = 1;

    @CommandLine.Mixin
    LearningRateFinderOptions findLearningRate = new LearningRateFinderOptions();

    @CommandLine.Mixin
    RunStartOptions runStart = new RunStartOptions();

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new SuperResolution()));
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        SuperResolutionRun.Settings settings = checkedSettings();
        if (!findLearningRate.enabled()) {
            // Before anything is written: an earlier run is refused unless --resume or --fresh says what to do.
            runStart.prepare(commandLine(), SuperResolutionRun.checkpoints(settings),
                    List.of(output.resolve(PICTURES), output.resolve(TrainingCurves.FILE_NAME)));
            if (runStart.resumedRun().isPresent()) {
                requireTheResumedScale(runStart.resumedRun().get());
            }
        }
        if (data == null) {
            scenes.writeScenes(settings.data(), seed);
        } else if (!Files.isDirectory(data)) {
            throw new BadInputException("--data " + data + " is not a folder of photographs");
        }
        if (findLearningRate.enabled()) {
            // Made first, so that an output the sweep cannot write to fails before the sweep, not after it.
            Path directory = Files.createDirectories(output.resolve(LearningRateSweepFiles.DIRECTORY));
            LearningRateSweepFiles.report(SuperResolutionRun.findLearningRate(settings, findLearningRate.settings(),
                    System.out), findLearningRate.settings(), directory, System.out);
            return ExitCode.OK.code();
        }
        SuperResolutionRun.Result result = SuperResolutionRun.run(settings, System.out,
                runStart::setAsideEarlierRun);

        Path grids = output.resolve(PICTURES);
        int drawn = Math.min(result.truths().size(), pictures);
        // Named as predict names its outputs: a.png and a.jpg get a_png.png and a_jpg.png, not one a.png.
        Map<Path, String> names = PredictionInputs.outputNames(result.heldOut().subList(0, drawn), ".png");
        for (int i = 0; i < drawn; i++) {
            SuperResolutionPictures.writeGrid(grids.resolve(names.get(result.heldOut().get(i)) + ".png"),
                    result.truths().get(i), result.inputs().get(i), result.predictions().get(i), scale);
        }
        Path curves = output.resolve(TrainingCurves.FILE_NAME);
        SuperResolutionPictures.writeCurves(result.training().history(), result.validationBicubicPsnr(), curves);

        ImageQualityEvaluation model = result.model();
        ImageQualityEvaluation bicubic = result.bicubic();
        System.out.println();
        System.out.printf(Locale.ROOT, "Best epoch %d of %d (%s); training %.1f s%n", result.training().bestEpoch(),
                result.training().history().size(), result.training().stopReason(), result.trainingSeconds());
        System.out.printf(Locale.ROOT, "%d held-out photographs, whole, x%d, border of %d shaved:%n", model.count(),
                scale, scale);
        System.out.printf(Locale.ROOT, "  %-8s %9s %8s %9s %8s%n", "", "PSNR", "SSIM", "PSNR(Y)", "SSIM(Y)");
        for (var row : new Object[][] {{"bicubic", bicubic}, {"U-Net", model}}) {
            ImageQualityEvaluation e = (ImageQualityEvaluation) row[1];
            System.out.printf(Locale.ROOT, "  %-8s %9.3f %8.4f %9.3f %8.4f%n", row[0], e.psnr(), e.ssim(), e.psnrY(),
                    e.ssimY());
        }
        System.out.printf(Locale.ROOT, "Wrote %s, %s and the best model %s%n", grids.toAbsolutePath(),
                curves.toAbsolutePath(), result.training().bestModel().toAbsolutePath());
        System.out.printf(Locale.ROOT, "Total time %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.out.printf(Locale.ROOT, "PSNR gain over bicubic: %+.3f dB%n", result.psnrGain());
        return ExitCode.OK.code();
    }

    /**
     * Refuses {@code --resume} at another {@code --scale} than the run's, before anything is read: its model would
     * go on learning to correct inputs of another scale. The trainer would refuse the changed data too, but in its
     * own terms, after the data and the baseline, and without naming the option.
     */
    private void requireTheResumedScale(EarlierRun run) throws IOException {
        OptionalInt trained = SuperResolutionRun.trainedScale(run);
        if (trained.isPresent() && trained.getAsInt() != scale) {
            int earlier = trained.getAsInt();
            throw usage("--scale " + scale + ", but the run to resume in " + run.directory() + " was trained at"
                    + " --scale " + earlier + ": give --scale " + earlier + " to resume it, or --fresh to start a new"
                    + " run at --scale " + scale + " (the earlier run's files are moved aside, not deleted)");
        }
    }

    /** Options that describe the synthetic scenes, refused with {@code --data}, and those of photographs, without. */
    private void checkDataOptions() {
        if (data != null) {
            for (String option : List.of("--images", "--image-size")) {
                if (OptionChecks.given(commandLine(), option)) {
                    throw usage(option + " describes the synthetic scenes, but --data " + data + " gives the"
                            + " photographs: drop " + option + ", or --data to train on synthetic scenes");
                }
            }
        } else if (OptionChecks.given(commandLine(), "--significant-bits")) {
            throw usage("--significant-bits " + significantBits + " reads 16-bit photographs of --data, but without"
                    + " --data the data are synthetic 8-bit scenes: drop --significant-bits, or give --data");
        }
    }

    /** Every option checked before any file is read or written ({@link ExitCode#BAD_OPTION}). */
    private SuperResolutionRun.Settings checkedSettings() {
        findLearningRate.check(commandLine());
        runStart.check(commandLine());
        OptionChecks.significantBits(commandLine(), significantBits);
        OptionChecks.outputFolder(commandLine(), "--output", output);
        checkDataOptions();
        try {
            if (data == null) {
                scenes.checkScenes();
            }
            return scenes.settings(data != null ? data : findLearningRate.enabled()
                            // The sweep's own scenes: a training run's in OUTPUT/data are neither rewritten nor cut.
                            ? output.resolve(LearningRateSweepFiles.DIRECTORY).resolve("data") : output.resolve("data"),
                    output, scale, upsample, loss,
                    vggWeights, training.values(), validationFraction, seed, pictures, true, significantBits);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }
}
