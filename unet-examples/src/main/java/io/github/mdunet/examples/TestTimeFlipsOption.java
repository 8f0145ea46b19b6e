package io.github.mdunet.examples;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.examples.evaluate.FolderEvaluation;
import io.github.mdunet.examples.evaluate.ImagePredictor;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --tta}: test-time augmentation in {@link Predict} and {@link Evaluate}, the prediction of each image averaged
 * with those of its mirror images ({@link ImagePredictor#withFlipsAveraged()}). A picocli mixin.
 */
final class TestTimeFlipsOption {

    @Option(names = "--tta", description = "Test-time augmentation: average the prediction of each image with those"
            + " of the mirror images the model's training showed it (left-right, top-bottom, both: its file records"
            + " them; all three for a model that records none), each mirrored back, as fastai's tta reuses the"
            + " training transforms. Up to four predictions per image. Refused for a model trained without flips or"
            + " turns (--augment none).")
    private boolean flipsAveraged;

    /** Refuses {@code --tta} for a model whose training showed it no mirror image: there is nothing to average. */
    void check(CommandLine command, UNet unet) {
        if (flipsAveraged && ImagePredictor.testTimeMirrors(unet).isEmpty()) {
            throw new CommandLine.ParameterException(command, "--tta averages over mirror images, but "
                    + ImagePredictor.NO_MIRRORS + ": leave --tta out");
        }
    }

    ImagePredictor applyTo(ImagePredictor predictor) {
        return flipsAveraged ? predictor.withFlipsAveraged() : predictor;
    }

    FolderEvaluation applyTo(FolderEvaluation evaluation) {
        return flipsAveraged ? evaluation.withFlipsAveraged() : evaluation;
    }
}
