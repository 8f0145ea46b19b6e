package io.github.mdunet.spark;

import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
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
 * {@code [N, C, H, W]} and labels {@code [N, K, H, W]}, lazily, one batch at a time, in the partition's order. The
 * driver never holds the images. Each sample is augmented with the draws of its index in the whole list
 * ({@link ListedSample#index()}), as one machine's iterator over that list augments it.
 *
 * @param pipeline how the executor decodes and augments the samples
 * @param epoch    the epoch (from 0), which with each sample's list index decides its augmentation
 * @param training whether to decode for training (augmented) or for validation
 */
record DecodePartition(ExecutorPipeline pipeline, int epoch, boolean training)
        implements FlatMapFunction<Iterator<ListedSample>, DataSet> {

    @Override
    public Iterator<DataSet> call(Iterator<ListedSample> samples) {
        List<SamplePair> pairs = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        samples.forEachRemaining(sample -> {
            pairs.add(sample.sample().toPair());
            indices.add(sample.index());
        });
        if (pairs.isEmpty()) {
            return Collections.emptyIterator();
        }
        // Not shuffled here: the driver has put the partition's samples in the order of the whole list's epoch.
        PipelineConfig config = pipeline.pipeline(training).withShuffle(false);
        SegmentationSource source = new SegmentationSource(pairs, pipeline.masks(), pipeline.numClasses(),
                pipeline.significantBits(), config);
        PairedDataSetIterator batches = new PairedDataSetIterator(source, config, pipeline.badSamples(),
                indices.stream().mapToInt(Integer::intValue).toArray());
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
