package io.github.mdunet.tuning.search;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Hands the caller's iterators to Arbiter (local runs only: the iterators are not serialised). */
final class IteratorDataProvider implements DataProvider {

    private final transient DataSetIterator train;
    private final transient DataSetIterator validation;

    IteratorDataProvider(DataSetIterator train, DataSetIterator validation) {
        this.train = train;
        this.validation = validation;
    }

    @Override
    public Object trainData(Map<String, Object> dataParameters) {
        return train;
    }

    @Override
    public Object testData(Map<String, Object> dataParameters) {
        return validation;
    }

    @Override
    public Class<?> getDataType() {
        return DataSetIterator.class;
    }

    List<DataSetIterator> both() {
        return List.of(train, validation);
    }
}
