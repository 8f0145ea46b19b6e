package io.github.mdunet.tuning.search;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A tiny in-memory segmentation task for the search tests: one to three bright squares on Gaussian
 * noise. Features {@code [N, channels, size, size]}, one-hot labels {@code [N, 2, size, size]} (background, square).
 * (unet-data's {@code SyntheticShapes} writes richer image folders for the apps; this test helper needs no files.)
 */
public final class SyntheticSquares {

    public static final int NUM_CLASSES = 2;

    private SyntheticSquares() {
    }

    /** {@code count} examples as one {@link DataSet}. */
    public static DataSet generate(int count, int channels, int size, long seed) {
        if (count < 1 || channels < 1 || size < 4) {
            throw new IllegalArgumentException("count, channels must be >= 1 and size >= 4 but were " + count + ", "
                    + channels + ", " + size);
        }
        Random random = new Random(seed);
        float[] features = new float[count * channels * size * size];
        float[] labels = new float[count * NUM_CLASSES * size * size];
        int plane = size * size;
        for (int n = 0; n < count; n++) {
            boolean[] square = new boolean[plane];
            int squares = 1 + random.nextInt(3);
            for (int s = 0; s < squares; s++) {
                int side = Math.max(2, size / 8 + random.nextInt(Math.max(1, size / 4)));
                int top = random.nextInt(size - side + 1);
                int left = random.nextInt(size - side + 1);
                for (int y = top; y < top + side; y++) {
                    for (int x = left; x < left + side; x++) {
                        square[y * size + x] = true;
                    }
                }
            }
            for (int c = 0; c < channels; c++) {
                int offset = (n * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    features[offset + p] = (float) (random.nextGaussian() * 0.3 + (square[p] ? 1.0 : 0.0));
                }
            }
            int labelOffset = n * NUM_CLASSES * plane;
            for (int p = 0; p < plane; p++) {
                labels[labelOffset + (square[p] ? plane : 0) + p] = 1f;
            }
        }
        INDArray x = Nd4j.create(features, new long[] {count, channels, size, size}, DataType.FLOAT);
        INDArray y = Nd4j.create(labels, new long[] {count, NUM_CLASSES, size, size}, DataType.FLOAT);
        return new DataSet(x, y);
    }

    /** {@code count} examples in mini-batches of {@code batchSize}. */
    public static DataSetIterator iterator(int count, int channels, int size, int batchSize, long seed) {
        return new ListDataSetIterator<>(generate(count, channels, size, seed).asList(), batchSize);
    }

    /**
     * The tiny U-Net the search tests search around: a classic encoder of depth 2 and width 4 (batch norm), inputs
     * {@code 1 x size x size}, {@link #NUM_CLASSES} classes, Adam at 1e-2.
     */
    static UNetConfig tinyUNet(int size) {
        return UNetConfig.builder()
                .encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                .input(new ImageShape(1, size, size))
                .numClasses(NUM_CLASSES)
                .updater(new Adam(1e-2))
                .build();
    }

    /**
     * A grid search of two candidates ({@code midChannelScale} 0.5 and 1.0) around {@link #tinyUNet} of {@code size},
     * one epoch each, on {@code train} and 4 validation examples, writing to {@code outputDirectory}.
     */
    public static UNetSearch.Builder twoCandidateSearch(DataSetIterator train, int size, Path outputDirectory) {
        return UNetSearch.builder()
                .baseConfig(tinyUNet(size))
                .data(train, iterator(4, 1, size, 4, 2))
                .space(SearchSpace.defaults().withMidChannelScale(0.5, 1.0))
                .strategy(new SearchStrategy.Grid(2))
                .epochs(1)
                .maxCandidates(2)
                .outputDirectory(outputDirectory);
    }

}
