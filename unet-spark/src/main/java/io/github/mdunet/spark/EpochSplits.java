package io.github.mdunet.spark;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;

/**
 * An epoch's exported batches cut into parameter averaging's splits: consecutive runs of {@code perSplit} batches
 * (workers x averaging frequency) in the epoch's order, the last run shorter when the epoch is no multiple of it. Every
 * batch is in one split, and no split holds more than its workers fit: each worker fits at most the averaging
 * frequency's batches of a split and drops the rest, which DL4J's own random split (the epoch's batches dealt at
 * random into {@code floor(batches / perSplit)} splits) gave it whenever the epoch was no multiple of
 * {@code perSplit}, or a split's deal uneven.
 */
final class EpochSplits {

    private EpochSplits() {
    }

    /** How many splits an epoch of {@code batches} has: {@code ceil(batches / perSplit)}, at least 1. */
    static long count(long batches, long perSplit) {
        return Math.max(1, (batches + perSplit - 1) / perSplit);
    }

    /** {@code batches}, {@code total} of them in the epoch's order, cut into runs of {@code perSplit}. */
    static <T> JavaRDD<T>[] consecutive(JavaRDD<T> batches, long total, int perSplit) {
        JavaPairRDD<T, Long> numbered = batches.zipWithIndex();
        int splits = Math.toIntExact(count(total, perSplit));
        @SuppressWarnings("unchecked")
        JavaRDD<T>[] runs = (JavaRDD<T>[]) new JavaRDD<?>[splits];
        for (int split = 0; split < splits; split++) {
            long first = (long) split * perSplit;
            long end = first + perSplit;
            runs[split] = numbered.filter(batch -> batch._2() >= first && batch._2() < end).keys();
        }
        return runs;
    }
}
