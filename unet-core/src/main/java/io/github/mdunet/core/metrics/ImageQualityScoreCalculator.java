package io.github.mdunet.core.metrics;

import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Early-stopping score from an {@link ImageQualityEvaluation} metric (e.g. mean PSNR), maximised. Each call
 * evaluates the network on the iterator with a fresh copy of the prototype evaluation.
 */
public class ImageQualityScoreCalculator extends MetricScoreCalculator<ImageQualityEvaluation> {

    private static final long serialVersionUID = 1L;

    public ImageQualityScoreCalculator(ImageQualityEvaluation.Metric metric, ImageQualityEvaluation prototype,
            DataSetIterator iterator) {
        super(metric, prototype, iterator);
    }
}
