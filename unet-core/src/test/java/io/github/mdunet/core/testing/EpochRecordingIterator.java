package io.github.mdunet.core.testing;

import io.github.mdunet.core.train.EpochOrdered;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;

/**
 * Batches of {@code data} that remember the epoch each was drawn in, counting epochs as unet-data's iterator does
 * (each {@code reset()} the next, {@link #beforeEpoch} positions); features NaN in the epochs {@code poisoned} names.
 */
public final class EpochRecordingIterator extends ViewIterator implements EpochOrdered {

    private final IntPredicate poisoned;
    private final List<Integer> epochsDrawn = new ArrayList<>();
    private int epoch;

    public EpochRecordingIterator(DataSet data, int batch, IntPredicate poisoned) {
        super(data, batch);
        this.poisoned = poisoned;
    }

    @Override
    public void beforeEpoch(int value) {
        epoch = value - 1;
    }

    @Override
    public void reset() {
        super.reset();
        epoch++;
    }

    @Override
    public DataSet next() {
        epochsDrawn.add(epoch);
        DataSet batch = super.next();
        return poisoned.test(epoch) ? new DataSet(batch.getFeatures().dup().assign(Double.NaN), batch.getLabels())
                : batch;
    }

    /** The epoch of each batch drawn, in order. */
    public List<Integer> epochsDrawn() {
        return epochsDrawn;
    }
}
