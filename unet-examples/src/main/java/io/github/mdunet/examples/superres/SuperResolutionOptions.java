package io.github.mdunet.examples.superres;

import io.github.mdunet.app.ClassicEncoderOptions;
import io.github.mdunet.app.TrainingOptions;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.data.synthetic.SyntheticScenes;
import io.github.mdunet.examples.superres.SuperResolutionRun.FeatureWeights;
import io.github.mdunet.examples.superres.SuperResolutionRun.ImageLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the super-resolution apps ({@link SuperResolution}, {@link UpsamplerExperiment}) share: the synthetic scenes
 * they make ({@code --images}, {@code --image-size}), the training patches cut from them ({@code --patch},
 * {@code --crops}) and the classic encoder ({@code --depth}, {@code --base-width}). A picocli mixin.
 */
final class SuperResolutionOptions {

    @Option(names = "--images", description = "Synthetic scenes to make, when they are the data (an earlier run's"
            + " scenes beyond this count are removed).")
    int images = 200;

    @Option(names = "--image-size", description = "Side of the synthetic scenes.")
    int imageSize = 128;

    @Option(names = "--patch", description = "Training patch side, the model's input size: a multiple of the scale"
            + " and of 2^depth, at least 16 and at least 2 * scale + 11 (SSIM's window once the border is shaved).")
    int patch = 64;

    @Mixin
    ClassicEncoderOptions encoder = new ClassicEncoderOptions(3, 16);

    @Option(names = "--crops", description = "Patches per training image and epoch.")
    int crops = 4;

    /** Refuses too few scenes to hold some out, and scenes smaller than a patch, naming the option. */
    void checkScenes() {
        if (images < 5) {
            throw new IllegalArgumentException("--images must be >= 5 (some are held out) but was " + images);
        }
        if (imageSize < patch) {
            throw new IllegalArgumentException("--image-size must be at least --patch (" + patch + ") but was "
                    + imageSize);
        }
    }

    /**
     * Writes the synthetic scenes into {@code folder}, saying so; an earlier run's scenes beyond {@link #images} are
     * removed ({@link SyntheticScenes#write}), so that the run trains on the scenes its options say.
     */
    void writeScenes(Path folder, long seed) throws IOException {
        System.out.printf(Locale.ROOT, "Writing %d synthetic %dx%d scenes to %s%n", images, imageSize, imageSize,
                folder.toAbsolutePath());
        SyntheticScenes.write(folder, images, imageSize, imageSize, seed);
    }

    /**
     * The run's settings: these options, the training schedule and the rest as the app gives them.
     *
     * @throws IllegalArgumentException naming the option whose value {@link SuperResolutionRun.Settings} refuses
     */
    SuperResolutionRun.Settings settings(Path data, Path output, int scale, UpsampleMode upsample, ImageLoss loss,
                                         FeatureWeights featureWeights, TrainingOptions.Values training,
                                         double validationFraction, long seed, int pictures, boolean progressBar,
                                         int significantBits) {
        return new SuperResolutionRun.Settings(data, output, scale, patch, encoder.depth(), encoder.baseWidth(),
                upsample, loss, featureWeights, training.epochs(), training.batch(), crops, training.learningRate(),
                validationFraction, seed, pictures, progressBar, significantBits);
    }
}
