package io.github.mdunet.spark;

import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import scala.Tuple2;

/**
 * Runs on an executor: keys each sample of a partition by its position in the whole list's order of one epoch, the
 * order one machine's iterator over the list batches it in ({@link PairedDataSetIterator#epochOrder}, from the
 * pipeline's seed). Each task computes the order of the {@code size} indices once, which is cheaper than shipping it.
 *
 * @param pipeline whose seed and shuffling decide the order
 * @param epoch    the epoch, from 0
 * @param size     the samples in the whole list
 */
record EpochPositions(ExecutorPipeline pipeline, int epoch, int size)
        implements PairFlatMapFunction<Iterator<ListedSample>, Integer, ListedSample> {

    @Override
    public Iterator<Tuple2<Integer, ListedSample>> call(Iterator<ListedSample> samples) {
        if (!samples.hasNext()) {
            return new ArrayList<Tuple2<Integer, ListedSample>>().iterator();
        }
        int[] order = PairedDataSetIterator.epochOrder(pipeline.pipeline(true), epoch, size);
        int[] positions = new int[size];
        for (int position = 0; position < size; position++) {
            positions[order[position]] = position;
        }
        List<Tuple2<Integer, ListedSample>> keyed = new ArrayList<>();
        samples.forEachRemaining(sample -> {
            if (sample.index() >= size) {
                throw new IllegalArgumentException("sample " + sample.sample() + " has list index " + sample.index()
                        + " but the list has " + size + " samples");
            }
            keyed.add(new Tuple2<>(positions[sample.index()], sample));
        });
        return keyed.iterator();
    }
}
