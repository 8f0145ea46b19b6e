package io.github.mdunet.examples.evaluate;

import io.github.mdunet.core.metrics.SegmentationEvaluation;
import java.util.Comparator;
import java.util.List;

/**
 * A model's scores on a labelled set.
 *
 * @param total      every pixel of every image: the confusion matrix, per-class IoU, Dice, precision and recall,
 *                   means, accuracy
 * @param images     each image's scores, in the order evaluated
 * @param classNames a name per class, for tables and pictures
 */
public record EvaluationResult(SegmentationEvaluation total, List<ImageScore> images, List<String> classNames) {

    public EvaluationResult {
        images = List.copyOf(images);
        classNames = List.copyOf(classNames);
    }

    /** The {@code count} images with the lowest mean IoU (then the lowest pixel accuracy), worst first. */
    public List<ImageScore> worst(int count) {
        return images.stream().sorted(Comparator.comparingDouble(ImageScore::meanIoU)
                .thenComparingDouble(ImageScore::pixelAccuracy)).limit(count).toList();
    }
}
