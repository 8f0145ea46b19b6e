package io.github.mdunet.core.metrics;

import org.deeplearning4j.earlystopping.scorecalc.base.BaseIEvaluationScoreCalculator;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.evaluation.BaseEvaluation;
import org.nd4j.evaluation.IMetric;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Early-stopping score from one metric of an evaluation, maximised. Each call evaluates the network on the iterator
 * with a fresh copy of the prototype evaluation.
 *
 * @param <E> the evaluation
 */
public abstract class MetricScoreCalculator<E extends BaseEvaluation<E>>
        extends BaseIEvaluationScoreCalculator<Model, E> {

    private static final long serialVersionUID = 1L;

    private final IMetric metric;
    private final E prototype;

    protected MetricScoreCalculator(IMetric metric, E prototype, DataSetIterator iterator) {
        super(iterator);
        this.metric = metric;
        this.prototype = prototype;
    }

    protected MetricScoreCalculator(IMetric metric, E prototype, MultiDataSetIterator iterator) {
        super(iterator);
        this.metric = metric;
        this.prototype = prototype;
    }

    @Override
    protected E newEval() {
        return prototype.newInstance();
    }

    @Override
    protected double finalScore(E evaluation) {
        return evaluation.getValue(metric);
    }

    @Override
    public boolean minimizeScore() {
        return false;
    }
}
