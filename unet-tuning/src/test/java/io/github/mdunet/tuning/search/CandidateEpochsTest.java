package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.testing.BrightShapes;
import io.github.mdunet.core.testing.EpochRecordingIterator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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

    /** 8 examples in 2 batches that remember the epoch of each batch drawn. */
    private static EpochRecordingIterator epochRecordingBatches() {
        return new EpochRecordingIterator(BrightShapes.generate(8, SIZE, 1), 4, epoch -> false);
    }

    private UNetSearch.Builder search(EpochRecordingIterator train, int candidates, String directory) {
        return SearchFixtures.twoCandidateSearch(train, SIZE, out.resolve(directory)).epochs(EPOCHS)
                .maxCandidates(candidates);
    }

    @Test
    @Timeout(300)
    void everyCandidateTrainsOnTheSameEpochs() {
        EpochRecordingIterator train = epochRecordingBatches();

        SearchResult result = search(train, 2, "search").build().run();

        assertThat(result.trained()).isEqualTo(2);
        assertThat(train.epochsDrawn()).as("epochs of the batches, candidate #0 then #1")
                .containsExactly(1, 1, 2, 2, 1, 1, 2, 2);
    }

    /** A search stopped after #0 and resumed trains #1 on the epochs the search that went on would have. */
    @Test
    @Timeout(300)
    void aResumedSearchTrainsOnTheEpochsAnUninterruptedOneWould() {
        EpochRecordingIterator whole = epochRecordingBatches();
        search(whole, 2, "uninterrupted").build().run();
        search(epochRecordingBatches(), 1, "resumed").build().run();
        EpochRecordingIterator rest = epochRecordingBatches();

        SearchResult resumed = search(rest, 2, "resumed").build().run();

        assertThat(resumed.resumed()).isEqualTo(1);
        assertThat(resumed.trained()).isEqualTo(1);
        assertThat(rest.epochsDrawn()).as("epochs of #1's batches, resumed and not")
                .isEqualTo(whole.epochsDrawn().subList(4, 8));
    }
}
