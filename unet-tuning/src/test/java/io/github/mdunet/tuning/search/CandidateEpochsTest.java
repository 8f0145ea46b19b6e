package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.testing.BrightShapes;
import io.github.mdunet.core.train.EpochOrdered;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Every candidate trains on the same epochs of an epoch-ordered iterator (unet-data's, whose every reset moves on to
 * the next epoch's order and augmentation): once, candidate #0 trained on epochs 1-2, #1 on 3-4, and a resumed search
 * on others again.
 */
class CandidateEpochsTest {

    private static final int SIZE = 32;
    private static final int EPOCHS = 2;

    @TempDir
    Path out;

    /**
     * 8 examples in 2 batches that count epochs as unet-data's iterator does (each {@code reset()} the next, from 0;
     * {@link #beforeEpoch} positions) and remember the epoch of each batch drawn: the batches of an epoch-ordered
     * iterator are its epoch's.
     */
    static final class EpochRecordingBatches extends ListDataSetIterator<DataSet> implements EpochOrdered {
        final List<Integer> epochsDrawn = new ArrayList<>();
        private int epoch;

        EpochRecordingBatches() {
            super(BrightShapes.generate(8, SIZE, 1).asList(), 4);
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
        public DataSet next(int num) {
            epochsDrawn.add(epoch);
            return super.next(num);
        }
    }

    private UNetSearch.Builder search(EpochRecordingBatches train, int candidates, String directory) {
        return SearchFixtures.twoCandidateSearch(train, SIZE, out.resolve(directory)).epochs(EPOCHS)
                .maxCandidates(candidates);
    }

    @Test
    @Timeout(300)
    void everyCandidateTrainsOnTheSameEpochs() {
        EpochRecordingBatches train = new EpochRecordingBatches();

        SearchResult result = search(train, 2, "search").build().run();

        assertThat(result.trained()).isEqualTo(2);
        assertThat(train.epochsDrawn).as("epochs of the batches, candidate #0 then #1")
                .containsExactly(1, 1, 2, 2, 1, 1, 2, 2);
    }

    /** A search stopped after #0 and resumed trains #1 on the epochs the search that went on would have. */
    @Test
    @Timeout(300)
    void aResumedSearchTrainsOnTheEpochsAnUninterruptedOneWould() {
        EpochRecordingBatches whole = new EpochRecordingBatches();
        search(whole, 2, "uninterrupted").build().run();
        search(new EpochRecordingBatches(), 1, "resumed").build().run();
        EpochRecordingBatches rest = new EpochRecordingBatches();

        SearchResult resumed = search(rest, 2, "resumed").build().run();

        assertThat(resumed.resumed()).isEqualTo(1);
        assertThat(resumed.trained()).isEqualTo(1);
        assertThat(rest.epochsDrawn).as("epochs of #1's batches, resumed and not")
                .isEqualTo(whole.epochsDrawn.subList(4, 8));
    }
}
