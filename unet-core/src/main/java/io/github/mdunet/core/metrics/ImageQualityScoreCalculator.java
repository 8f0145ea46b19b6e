package io.github.mdunet.core.metrics;

import org.deeplearning4j.earlystopping.scorecalc.base.BaseIEvaluationScoreCalculator;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Early-stopping score from an {@link ImageQualityEvaluation} metric (e.g. mean PSNR), maximised. Each call
 * evaluates the network on the iterator with a fresh copy of the prototype evaluation.
 */
public class ImageQualityScoreCalculator extends BaseIEvaluationScoreCalculator<Model, ImageQualityEvaluation> {

    private static final long serialVersionUID = 1L;

    private final ImageQualityEvaluation.Metric metric;
    private final ImageQualityEvaluation prototype;

    public ImageQualityScoreCalculator(ImageQualityEvaluation.Metric metric, ImageQualityEvaluation prototype,
            DataSetIterator iterator) {
        super(iterator);
        this.metric = metric;
        this.prototype = prototype;
    }

    @Override
    protected ImageQualityEvaluation newEval() {
        return prototype.newInstance();
    }

    @Override
    protected double finalScore(ImageQualityEvaluation evaluation) {
        return evaluation.getValue(metric);
    }

    @Override
    public boolean minimizeScore() {
        return false;
    }
}
