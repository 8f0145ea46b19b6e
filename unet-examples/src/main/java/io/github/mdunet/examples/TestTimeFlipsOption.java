package io.github.mdunet.examples;

import io.github.mdunet.examples.evaluate.FolderEvaluation;
import io.github.mdunet.examples.evaluate.ImagePredictor;
import picocli.CommandLine.Option;

/**
 * {@code --tta}: test-time augmentation in {@link Predict} and {@link Evaluate}, the prediction of each image averaged
 * with those of its mirror images ({@link ImagePredictor#withFlipsAveraged()}). A picocli mixin.
 */
final class TestTimeFlipsOption {

    @Option(names = "--tta", description = "Test-time augmentation: average the prediction of each image with those"
            + " of its three mirror images (left-right, top-bottom, both), each mirrored back; for a model trained"
            + " with flips (every --augment but none). Four predictions per image.")
    private boolean flipsAveraged;

    ImagePredictor applyTo(ImagePredictor predictor) {
        return flipsAveraged ? predictor.withFlipsAveraged() : predictor;
    }

    FolderEvaluation applyTo(FolderEvaluation evaluation) {
        return flipsAveraged ? evaluation.withFlipsAveraged() : evaluation;
    }
}
