package io.github.mdunet.core.metrics;

import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Early-stopping score from a {@link SegmentationEvaluation} metric (e.g. mean IoU), maximised. Each call evaluates
 * the network on the iterator with a fresh copy of the prototype evaluation.
 */
public class SegmentationScoreCalculator extends MetricScoreCalculator<SegmentationEvaluation> {

    private static final long serialVersionUID = 1L;

    public SegmentationScoreCalculator(SegmentationEvaluation.Metric metric, SegmentationEvaluation prototype,
            DataSetIterator iterator) {
        super(metric, prototype, iterator);
    }

    public SegmentationScoreCalculator(SegmentationEvaluation.Metric metric, SegmentationEvaluation prototype,
            MultiDataSetIterator iterator) {
        super(metric, prototype, iterator);
    }
}
