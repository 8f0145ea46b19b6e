package io.github.mdunet.tuning.search;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.testing.BrightShapes;
import java.nio.file.Path;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;

/**
 * What the search tests share: the tiny U-Net they search around, a two-candidate grid search, and batches of core's
 * {@link BrightShapes} (features {@code [N, 1, size, size]}, one-hot labels {@code [N, 2, size, size]}).
 */
public final class SearchFixtures {

    public static final int NUM_CLASSES = 2;

    private SearchFixtures() {
    }

    /** {@code count} examples of {@link BrightShapes} in mini-batches of {@code batchSize}. */
    public static DataSetIterator iterator(int count, int size, int batchSize, long seed) {
        return new ListDataSetIterator<>(BrightShapes.generate(count, size, seed).asList(), batchSize);
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
                .data(train, iterator(4, size, 4, 2))
                .space(SearchSpace.defaults().withMidChannelScale(0.5, 1.0))
                .strategy(new SearchStrategy.Grid(2))
                .epochs(1)
                .maxCandidates(2)
                .outputDirectory(outputDirectory);
    }
}
