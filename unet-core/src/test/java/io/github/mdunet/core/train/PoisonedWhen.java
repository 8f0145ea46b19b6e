package io.github.mdunet.core.train;

import java.util.function.BooleanSupplier;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;

/** Batches of {@code batch} from {@code data}, whose features are NaN while {@code poisoned} says so. */
final class PoisonedWhen extends ViewIterator {

    private final BooleanSupplier poisoned;

    PoisonedWhen(DataSet data, int batch, BooleanSupplier poisoned) {
        super(data, batch);
        this.poisoned = poisoned;
    }

    @Override
    public DataSet next() {
        DataSet batch = super.next();
        return poisoned.getAsBoolean() ? new DataSet(batch.getFeatures().dup().assign(Double.NaN), batch.getLabels())
                : batch;
    }
}
