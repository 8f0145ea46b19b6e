package io.github.mdunet.tuning.search;

import io.github.mdunet.core.model.UNet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** An {@link Objective} as Arbiter's {@link ScoreFunction}: tells the runner which direction is better. */
final class ObjectiveScoreFunction implements ScoreFunction {

    private final Objective objective;

    ObjectiveScoreFunction(Objective objective) {
        this.objective = objective;
    }

    @Override
    public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        return objective.score((UNet) model, (DataSetIterator) dataProvider.testData(dataParameters));
    }

    @Override
    public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        throw new UnsupportedOperationException("the U-Net search scores with a DataProvider, not a DataSource");
    }

    @Override
    public boolean minimize() {
        return objective.minimize();
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(UNet.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(DataSetIterator.class);
    }
}
