package io.github.mdunet.spark;

import org.apache.spark.Partitioner;

/**
 * Cuts an epoch's order of {@code size} samples into {@code partitions} consecutive slices, the key being a sample's
 * position in that order: slice {@code i} holds the positions {@code i * size / partitions} (rounded down) up to the
 * next slice's first, as Spark's {@code parallelize} slices a list, so each epoch's partitions have the sizes of the
 * first epoch's and the batches per epoch stay the same ({@link #batches}).
 */
final class EpochSlices extends Partitioner {

    private static final long serialVersionUID = 1L;

    private final int size;
    private final int partitions;

    EpochSlices(int size, int partitions) {
        if (size < 0 || partitions < 1) {
            throw new IllegalArgumentException("EpochSlices needs size >= 0 and partitions >= 1 but was " + size
                    + ", " + partitions);
        }
        this.size = size;
        this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    /** The slice of position {@code key}: the last slice {@code i} whose first position is at most {@code key}. */
    @Override
    public int getPartition(Object key) {
        int position = (Integer) key;
        if (position < 0 || position >= size) {
            throw new IllegalArgumentException("an epoch's position must be in [0, " + size + ") but was " + position);
        }
        // first(i) <= position  <=>  i * size < (position + 1) * partitions
        return (int) (((position + 1L) * partitions - 1) / size);
    }

    /** The batches of {@code batchSize} the slices make, a last short one per slice. */
    long batches(int batchSize) {
        long batches = 0;
        for (int i = 0; i < partitions; i++) {
            long slice = first(i + 1) - first(i);
            batches += (slice + batchSize - 1) / batchSize;
        }
        return batches;
    }

    private long first(int slice) {
        return (long) slice * size / partitions;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EpochSlices slices && slices.size == size && slices.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return 31 * size + partitions;
    }
}
