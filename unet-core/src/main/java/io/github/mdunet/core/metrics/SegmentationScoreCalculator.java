package io.github.mdunet.core.metrics;

import org.deeplearning4j.earlystopping.scorecalc.base.BaseIEvaluationScoreCalculator;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Early-stopping score from a {@link SegmentationEvaluation} metric (e.g. mean IoU), maximised. Each call evaluates
 * the network on the iterator with a fresh copy of the prototype evaluation.
 */
public class SegmentationScoreCalculator extends BaseIEvaluationScoreCalculator<Model, SegmentationEvaluation> {

    private static final long serialVersionUID = 1L;

    private final SegmentationEvaluation.Metric metric;
    private final SegmentationEvaluation prototype;

    public SegmentationScoreCalculator(SegmentationEvaluation.Metric metric, SegmentationEvaluation prototype,
            DataSetIterator iterator) {
        super(iterator);
        this.metric = metric;
        this.prototype = prototype;
    }

    public SegmentationScoreCalculator(SegmentationEvaluation.Metric metric, SegmentationEvaluation prototype,
            MultiDataSetIterator iterator) {
        super(iterator);
        this.metric = metric;
        this.prototype = prototype;
    }

    @Override
    protected SegmentationEvaluation newEval() {
        return prototype.newInstance();
    }

    @Override
    protected double finalScore(SegmentationEvaluation evaluation) {
        return evaluation.getValue(metric);
    }

    @Override
    public boolean minimizeScore() {
        return false;
    }
}
