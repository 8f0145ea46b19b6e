package io.github.mdunet.examples.superres;

import io.github.mdunet.app.BadInputException;
import io.github.mdunet.app.RunFolder;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.metrics.ImageQuality;
import io.github.mdunet.core.metrics.ImageQualityEvaluation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.core.train.EarlierRun;
import io.github.mdunet.core.train.LearningRateFinder;
import io.github.mdunet.core.train.LearningRateSchedule;
import io.github.mdunet.core.train.LearningRateSweep;
import io.github.mdunet.core.train.Monitor;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.core.train.TrainingConfig;
import io.github.mdunet.core.train.TrainingResult;
import io.github.mdunet.core.train.Validator;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.superres.Degradation;
import io.github.mdunet.data.superres.SuperResolutionDataset;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import io.github.mdunet.tuning.memory.MemoryHeadroom;
import io.github.mdunet.zoo.Weights;
import io.github.mdunet.zoo.ZooBackbone;
import io.github.mdunet.zoo.features.Vgg16Features;
import io.github.mdunet.zoo.pretrained.MissingWeightsException;
import io.github.mdunet.zoo.pretrained.PretrainedWeights;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * One self-supervised super-resolution training and its evaluation, shared by the {@link SuperResolution} app and
 * the {@link UpsamplerExperiment}: a classic-encoder U-Net with a residual head (it predicts the correction of the
 * bicubic upscaling it is given, and starts close to that upscaling), trained on random patches of the training
 * photographs, monitored by validation PSNR on the held-out photographs' centre patches, and finally evaluated on the
 * whole held-out photographs (predicted in tiles) against the bicubic baseline.
 */
final class SuperResolutionRun {

    private SuperResolutionRun() {
    }

    /** The training loss. */
    enum ImageLoss {
        /** Mean absolute error of the pixels. */
        L1,
        /** Mean squared error of the pixels (the residual head's default loss): what PSNR measures. */
        MSE,
        /**
         * VGG16 features before pools 3-5 (fastai's layers; its weights 5, 15, 2 and Gram weight 5000, uncalibrated for
         * the zoo's caffe VGG16) and their Gram matrices; no pixel term.
         */
        PERCEPTUAL,
        /** The perceptual loss plus the pixel L1 (fastai's lesson). */
        L1_PERCEPTUAL
    }

    /** Where the perceptual loss's VGG16 weights come from. */
    enum FeatureWeights {
        /** The zoo's ImageNet weights when DL4J's cache holds them, else random frozen weights (with a note). */
        AUTO,
        /** The zoo's ImageNet weights; an error when the file is missing. */
        IMAGENET,
        /** Random frozen weights. */
        RANDOM
    }

    /**
     * What to train and how.
     *
     * @param data               the photographs (a folder)
     * @param output             where checkpoints, pictures and curves go
     * @param scale              the super-resolution factor
     * @param patch              the training patch side (and the model's input size), a multiple of the scale and
     *                           of 2^depth, at least 16 and large enough that {@code 2 * scale} shaved off leaves
     *                           SSIM's window
     * @param depth              the classic encoder's depth
     * @param baseWidth          the classic encoder's first width
     * @param upsample           the decoder's upsampling
     * @param loss               the training loss
     * @param featureWeights     the perceptual loss's VGG16 weights
     * @param epochs             epochs
     * @param batch              patches per step
     * @param cropsPerImage      patches per training photograph and epoch
     * @param learningRate       the one-cycle schedule's peak learning rate (Adam as PyTorch's)
     * @param validationFraction the share of photographs held out
     * @param seed               seed of the split, the patches and the weights
     * @param pictures           how many held-out photographs get a picture
     * @param progressBar        show the trainer's progress bar
     * @param significantBits    the bits of a 16-bit photograph's samples that hold its value, 1 to 16
     */
    record Settings(Path data, Path output, int scale, int patch, int depth, int baseWidth, UpsampleMode upsample,
                    ImageLoss loss, FeatureWeights featureWeights, int epochs, int batch, int cropsPerImage,
                    double learningRate, double validationFraction, long seed, int pictures, boolean progressBar,
                    int significantBits) {

        /** Checks every value, naming its command-line option. */
        Settings {
            if (scale < 2 || scale > 8) {
                throw new IllegalArgumentException("--scale must be in [2, 8] but was " + scale);
            }
            if (depth < 1 || depth > 8) {
                throw new IllegalArgumentException("--depth must be in [1, 8] but was " + depth);
            }
            int stride = 1 << depth;
            if (patch % scale != 0 || patch % stride != 0 || patch < 16) {
                throw new IllegalArgumentException("--patch must be at least 16 and a multiple of the scale (" + scale
                        + ") and of the encoder's total stride 2^depth (" + stride + ") but was " + patch);
            }
            // Validation measures PSNR and SSIM on patches with a border of the scale shaved from each side.
            if (patch - 2 * scale < ImageQuality.WINDOW) {
                throw new IllegalArgumentException("--patch " + patch + " is too small for --scale " + scale + ": PSNR"
                        + " and SSIM shave a border of " + scale + " pixels from each side, leaving "
                        + (patch - 2 * scale) + "x" + (patch - 2 * scale) + ", less than SSIM's " + ImageQuality.WINDOW
                        + "x" + ImageQuality.WINDOW + " window; the smallest --patch for --scale " + scale
                        + " and --depth " + depth + " is " + smallestPatch(scale, stride));
            }
            requireAtLeast("--base-width", baseWidth, 1);
            requireAtLeast("--epochs", epochs, 1);
            requireAtLeast("--batch", batch, 1);
            requireAtLeast("--crops", cropsPerImage, 1);
            requireAtLeast("--pictures", pictures, 0);
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("--learning-rate must be a positive number but was " + learningRate
                        + " (e.g. --learning-rate 2e-3)");
            }
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("--validation-fraction must be in (0, 1) but was "
                        + validationFraction + " (e.g. --validation-fraction 0.2)");
            }
        }

        /** The smallest patch of at least 16 that is a multiple of the scale and of the stride and fits SSIM. */
        private static int smallestPatch(int scale, int stride) {
            int step = scale * stride / gcd(scale, stride);
            int patch = step;
            while (patch < 16 || patch - 2 * scale < ImageQuality.WINDOW) {
                patch += step;
            }
            return patch;
        }

        private static int gcd(int a, int b) {
            return b == 0 ? a : gcd(b, a % b);
        }

        private static void requireAtLeast(String option, int value, int minimum) {
            if (value < minimum) {
                throw new IllegalArgumentException(option + " must be >= " + minimum + " but was " + value);
            }
        }

        Settings withUpsample(UpsampleMode value) {
            return new Settings(data, output, scale, patch, depth, baseWidth, value, loss, featureWeights, epochs,
                    batch, cropsPerImage, learningRate, validationFraction, seed, pictures, progressBar,
                    significantBits);
        }

        Settings withOutput(Path value) {
            return new Settings(data, value, scale, patch, depth, baseWidth, upsample, loss, featureWeights, epochs,
                    batch, cropsPerImage, learningRate, validationFraction, seed, pictures, progressBar,
                    significantBits);
        }
    }

    /**
     * What came out.
     *
     * @param config                 the U-Net's configuration
     * @param parameters             its parameter count
     * @param trainingSeconds        wall time of training (with per-epoch validation)
     * @param training               the trainer's result
     * @param model                  the best model on the whole held-out photographs
     * @param bicubic                the bicubic baseline on the same photographs
     * @param checkerboardModel      sum over held-out photographs of the period-{@code scale} energy of the model's
     *                               error (luma), divided by the same energy of the truth
     * @param checkerboardBicubic    the same for the bicubic baseline
     * @param heldOut                the held-out photographs
     * @param truths                 their pixels, cropped to multiples of the scale (the first few)
     * @param inputs                 the bicubic inputs of those
     * @param predictions            the model's predictions of those
     * @param validationBicubicPsnr  the bicubic PSNR on the validation patches
     */
    record Result(UNetConfig config, long parameters, double trainingSeconds, TrainingResult training,
                  ImageQualityEvaluation model, ImageQualityEvaluation bicubic, double checkerboardModel,
                  double checkerboardBicubic, List<Path> heldOut, List<DecodedImage> truths,
                  List<DecodedImage> inputs, List<DecodedImage> predictions, double validationBicubicPsnr) {

        /** Mean PSNR gain over bicubic, colour planes. */
        double psnrGain() {
            return model.psnr() - bicubic.psnr();
        }
    }

    static UNetConfig config(Settings settings) throws IOException {
        return UNetConfig.builder()
                .encoder(new ClassicEncoder(settings.depth(), settings.baseWidth(), Normalization.NONE))
                .input(new ImageShape(3, settings.patch(), settings.patch()))
                .numClasses(3)
                .upsample(settings.upsample())
                .channelReduction(ChannelReduction.EQ_SKIP)
                .normalization(Normalization.NONE)
                .head(new HeadActivation.Residual())
                .loss(loss(settings))
                .updater(new TorchAdam(settings.learningRate()))
                .seed(settings.seed())
                .build();
    }

    private static Loss loss(Settings settings) throws IOException {
        return switch (settings.loss()) {
            case L1 -> new Loss.L1();
            case MSE -> new Loss.HeadDefault();
            case PERCEPTUAL -> new Loss.Perceptual(Vgg16Features.fastai(vggWeights(settings.featureWeights())), 0,
                    5000);
            case L1_PERCEPTUAL -> new Loss.Perceptual(Vgg16Features.fastai(vggWeights(settings.featureWeights())), 1,
                    5000);
        };
    }

    /**
     * The VGG16 weights for {@code choice}, the file found and its checksum checked; AUTO falls back to random weights
     * with a note when the file is absent, but a file that is there and fails the check is an error, not a fallback.
     */
    static Weights vggWeights(FeatureWeights choice) throws IOException {
        return switch (choice) {
            case RANDOM -> Weights.random();
            case IMAGENET -> {
                try {
                    PretrainedWeights.verify(ZooBackbone.VGG16, Weights.imagenet());
                } catch (MissingWeightsException missing) {
                    // the library's remedy is its API (Weights.file); this app's is an option
                    throw new BadInputException("--vgg-weights IMAGENET: " + missing.withRemedy(
                            "give --vgg-weights RANDOM (or AUTO) to train with a VGG16 of random frozen weights"),
                            missing);
                }
                yield Weights.imagenet();
            }
            case AUTO -> {
                try {
                    PretrainedWeights.verify(ZooBackbone.VGG16, Weights.imagenet());
                    yield Weights.imagenet();
                } catch (MissingWeightsException missing) {
                    System.out.println("Note: the perceptual loss uses a VGG16 with random frozen weights: "
                            + missing.withRemedy("give --vgg-weights RANDOM to leave this note out"));
                    yield Weights.random();
                }
            }
        };
    }

    /**
     * fastai's {@code lr_find} on the model and training patches that {@link #run} would train; the model is left
     * untrained.
     */
    static LearningRateSweep findLearningRate(Settings settings, LearningRateFinder.Settings sweep, PrintStream out)
            throws IOException {
        SuperResolutionDataset dataset = openDataset(settings, out);
        UNetConfig config = config(settings);
        UNet unet = UNet.build(config);
        out.printf(Locale.ROOT, "x%d super-resolution: %d training photographs, %dx%d patches; U-Net with %,d"
                        + " parameters; sweeping the learning rate from %.1e to %.1e over at most %d steps%n",
                settings.scale(), dataset.training().size(), settings.patch(), settings.patch(), unet.numParams(),
                sweep.startRate(), sweep.endRate(), sweep.steps());
        MemoryHeadroom.now(new MemoryEstimator().estimate(config, settings.batch()), 1).report(out, "--batch");
        try (PairedDataSetIterator train = dataset.trainIterator(new Degradation(settings.scale()), config.input(),
                config.encoder().inputNormalization(), settings.batch(), settings.cropsPerImage(), settings.seed())) {
            return new LearningRateFinder(sweep).find(unet, train);
        }
    }

    /** The photographs of {@code --data}, split; those left out are named on {@code out}. */
    private static SuperResolutionDataset openDataset(Settings settings, PrintStream out) {
        SuperResolutionDataset dataset;
        try {
            dataset = SuperResolutionDataset.open(settings.data(), settings.validationFraction(), settings.seed(),
                    settings.patch(), settings.significantBits());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--data " + settings.data() + ": " + e.getMessage(), e);
        }
        if (!dataset.skipped().isEmpty()) {
            out.printf(Locale.ROOT, "Left out %d photograph(s): %s%n", dataset.skipped().size(), dataset.skipped());
        }
        return dataset;
    }

    /** What an app does once the data and the model are ready, just before training: e.g. set an earlier run aside. */
    @FunctionalInterface
    interface BeforeTraining {
        void ready() throws IOException;
    }

    /**
     * The scale that {@code run} was trained at, as its first model records it ({@link UNet#trainedUpscale()}; its
     * models all come from that run); empty when it has no model or its models record none (saved before they did).
     */
    static OptionalInt trainedScale(EarlierRun run) throws IOException {
        List<Path> models = run.models();
        return models.isEmpty() ? OptionalInt.empty() : UNet.recordedUpscale(models.get(0));
    }

    /** Where {@link #run} keeps its checkpoints: {@code checkpoints} in the settings' output folder. */
    static Path checkpoints(Settings settings) {
        return RunFolder.checkpoints(settings.output());
    }

    /**
     * Trains and evaluates. The checkpoint folder must hold no other run ({@link #checkpoints}: the app checks that
     * first, or sets the earlier run aside in {@code beforeTraining}); a run of the same settings is resumed.
     */
    static Result run(Settings settings, PrintStream out, BeforeTraining beforeTraining) throws IOException {
        Degradation degradation = new Degradation(settings.scale());
        SuperResolutionDataset dataset = openDataset(settings, out);
        UNetConfig config = config(settings);
        // Recorded in the model's files, so that superres-predict reads and upscales images as training did.
        UNet unet = UNet.build(config).withTrainedUpscale(settings.scale())
                .withTrainedSignificantBits(dataset.significantBits());
        InputNormalization normalization = config.encoder().inputNormalization();
        ImageShape patch = config.input();
        out.printf(Locale.ROOT, "x%d super-resolution: %d training and %d held-out photographs from %s; %dx%d patches,"
                        + " %d per photograph and epoch; U-Net %s, upsample %s, loss %s, %,d parameters%n",
                settings.scale(), dataset.training().size(), dataset.validation().size(), settings.data(),
                settings.patch(), settings.patch(), settings.cropsPerImage(), config.encoder(), config.upsample(),
                config.loss(), unet.numParams());
        MemoryHeadroom.now(new MemoryEstimator().estimate(config, settings.batch()), 1).report(out, "--batch");

        Validator validator = Validator.imageQuality(normalization, settings.scale());
        beforeTraining.ready();
        TrainingConfig training = TrainingConfig.of(settings.epochs(), checkpoints(settings))
                .withSchedule(LearningRateSchedule.OneCycle.fastai())
                .withMonitor(Monitor.maximize(Validator.PSNR))
                .withProgressBar(settings.progressBar());
        TrainingResult result;
        double validationBicubicPsnr;
        long start = System.nanoTime();
        try (PairedDataSetIterator train = dataset.trainIterator(degradation, patch, normalization, settings.batch(),
                settings.cropsPerImage(), settings.seed());
             PairedDataSetIterator validation = dataset.validationIterator(degradation, patch, normalization,
                     settings.batch())) {
            // The inputs are the bicubic upscalings: measured against the targets they are the baseline.
            ImageQualityEvaluation baseline = new ImageQualityEvaluation(normalization, settings.scale());
            validation.reset();
            while (validation.hasNext()) {
                var batch = validation.next();
                baseline.eval(batch.getLabels(), batch.getFeatures());
            }
            validationBicubicPsnr = baseline.psnr();
            out.printf(Locale.ROOT, "Bicubic on the validation patches: PSNR %.3f dB, SSIM %.4f%n",
                    validationBicubicPsnr, baseline.ssim());
            result = new Trainer(training, validator).fit(unet, train, validation);
        }
        double trainingSeconds = (System.nanoTime() - start) / 1e9;
        UNet best = UNet.load(result.bestModel());

        ImageQualityEvaluation model = new ImageQualityEvaluation(normalization, settings.scale());
        ImageQualityEvaluation bicubic = new ImageQualityEvaluation(normalization, settings.scale());
        ImageToImagePredictor predictor = new ImageToImagePredictor(best, settings.patch() / 4);
        double modelEnergy = 0;
        double bicubicEnergy = 0;
        double truthEnergy = 0;
        List<DecodedImage> truths = new ArrayList<>();
        List<DecodedImage> inputs = new ArrayList<>();
        List<DecodedImage> predictions = new ArrayList<>();
        for (Path file : dataset.validation()) {
            DecodedImage truth = degradation.cropToMultiple(ImageFiles.readImage(file, 3,
                    dataset.significantBits()));
            DecodedImage input = degradation.input(truth);
            DecodedImage predicted = predictor.predict(input);
            model.evalPixels(doubles(truth), doubles(predicted), 3, truth.height(), truth.width());
            bicubic.evalPixels(doubles(truth), doubles(input), 3, truth.height(), truth.width());
            double[] truthLuma = shavedLuma(truth, settings.scale());
            truthEnergy += ImageQuality.periodicEnergy(truthLuma, truth.height() - 2 * settings.scale(),
                    truth.width() - 2 * settings.scale(), settings.scale());
            modelEnergy += errorEnergy(predicted, truthLuma, settings.scale());
            bicubicEnergy += errorEnergy(input, truthLuma, settings.scale());
            if (truths.size() < Math.max(settings.pictures(), 1)) {
                truths.add(truth);
                inputs.add(input);
                predictions.add(predicted);
            }
        }
        return new Result(config, unet.numParams(), trainingSeconds, result, model, bicubic,
                modelEnergy / truthEnergy, bicubicEnergy / truthEnergy, dataset.validation(), truths, inputs,
                predictions, validationBicubicPsnr);
    }

    /** The period-{@code scale} energy of the luma of {@code image} minus the truth's (both shaved). */
    private static double errorEnergy(DecodedImage image, double[] truthLuma, int scale) {
        double[] luma = shavedLuma(image, scale);
        for (int i = 0; i < luma.length; i++) {
            luma[i] -= truthLuma[i];
        }
        return ImageQuality.periodicEnergy(luma, image.height() - 2 * scale, image.width() - 2 * scale, scale);
    }

    private static double[] shavedLuma(DecodedImage image, int shave) {
        int height = image.height() - 2 * shave;
        int width = image.width() - 2 * shave;
        double[] rgb = new double[3 * height * width];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    rgb[(c * height + y) * width + x] = image.at(c, y + shave, x + shave);
                }
            }
        }
        return ImageQuality.luma(rgb, height * width);
    }

    static double[] doubles(DecodedImage image) {
        float[] pixels = image.pixels();
        double[] out = new double[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = pixels[i];
        }
        return out;
    }
}
