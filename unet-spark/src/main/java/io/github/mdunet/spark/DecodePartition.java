package io.github.mdunet.spark;

import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.SegmentationSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Runs on an executor: decodes one partition's samples with unet-data's pipeline into batches of features
 * {@code [N, C, H, W]} and labels {@code [N, K, H, W]}, lazily, one batch at a time. The driver never holds the images.
 *
 * @param pipeline how the executor decodes and augments the samples
 * @param epoch    the epoch, which decides the sample order and the augmentation
 * @param training whether to decode for training (augmented) or for validation
 */
record DecodePartition(ExecutorPipeline pipeline, int epoch, boolean training)
        implements FlatMapFunction<Iterator<SampleRef>, DataSet> {

    @Override
    public Iterator<DataSet> call(Iterator<SampleRef> samples) {
        List<SamplePair> pairs = new ArrayList<>();
        samples.forEachRemaining(sample -> pairs.add(sample.toPair()));
        if (pairs.isEmpty()) {
            return Collections.emptyIterator();
        }
        SegmentationSource source = new SegmentationSource(pairs, pipeline.masks(), pipeline.numClasses(),
                pipeline.pipeline(training));
        PairedDataSetIterator batches = new PairedDataSetIterator(source, pipeline.pipeline(training),
                pipeline.badSamples());
        batches.setEpoch(epoch);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                boolean more = batches.hasNext();
                if (!more) {
                    batches.close();
                }
                return more;
            }

            @Override
            public DataSet next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batches.next();
            }
        };
    }
}
