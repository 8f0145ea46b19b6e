package io.github.mdunet.data.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SplitsTest {

    private static List<SamplePair> pairs(int count) {
        List<SamplePair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String stem = String.format("img_%02d", i);
            pairs.add(new SamplePair(stem, Path.of("images", stem + ".png"), Path.of("masks", stem + ".png")));
        }
        return pairs;
    }

    private static Set<String> validationStems(Split split, List<SamplePair> pairs) {
        Set<String> stems = new TreeSet<>();
        Splits.apply(split, pairs, List.of()).validation().forEach(pair -> stems.add(pair.stem()));
        return stems;
    }

    @Test
    void removingOneFileMovesAtMostOneOtherStemAcrossTheSplit() {
        // 50 files: 10 held out before and after; 48 files: 10 held out, 9 after one is removed.
        for (int count : new int[] {50, 48}) {
            List<SamplePair> all = pairs(count);
            Split split = new Split.BySeed(0.2, 42);
            Set<String> before = validationStems(split, all);
            for (int removed = 0; removed < count; removed++) {
                List<SamplePair> less = new ArrayList<>(all);
                String gone = less.remove(removed).stem();
                Set<String> after = validationStems(split, less);
                Set<String> moved = new TreeSet<>();
                for (SamplePair pair : less) {
                    if (before.contains(pair.stem()) != after.contains(pair.stem())) {
                        moved.add(pair.stem());
                    }
                }
                assertThat(moved).as("%d files without %s", count, gone).hasSizeLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void sameSeedSameSplitAnotherSeedAnotherAndTheCountsAsBefore() {
        List<SamplePair> all = pairs(50);
        Splits.Parts first = Splits.apply(new Split.BySeed(0.2, 42), all, List.of());
        assertThat(Splits.apply(new Split.BySeed(0.2, 42), all, List.of())).isEqualTo(first);
        List<SamplePair> reversed = new ArrayList<>(all);
        Collections.reverse(reversed);
        assertThat(Splits.apply(new Split.BySeed(0.2, 42), reversed, List.of())).isEqualTo(first);
        assertThat(validationStems(new Split.BySeed(0.2, 43), all)).isNotEqualTo(validationStems(
                new Split.BySeed(0.2, 42), all));
        assertThat(first.validation()).hasSize(10).doesNotContainAnyElementsOf(first.training());
        assertThat(first.training()).hasSize(40);
        // round(fraction * n), at least 1 and at most n - 1 from 2 samples on.
        int[][] countFractionHeld = {{10, 30, 3}, {7, 25, 2}, {2, 10, 1}, {2, 90, 1}, {3, 1, 1}, {5, 99, 4}};
        for (int[] c : countFractionHeld) {
            Splits.Parts parts = Splits.apply(new Split.BySeed(c[1] / 100.0, 7), pairs(c[0]), List.of());
            assertThat(parts.validation()).as("n=%d, fraction=%d%%", c[0], c[1]).hasSize(c[2]);
            assertThat(parts.training()).hasSize(c[0] - c[2]);
        }
    }

    /** One sample leaves either no validation sample (a fraction below 0.5) or no training sample. */
    @Test
    void aSplitOfOneSampleIsRefusedWhateverTheFraction() {
        for (double fraction : new double[] {0.1, 0.49, 0.5, 0.9}) {
            assertThatThrownBy(() -> Splits.apply(new Split.BySeed(fraction, 1), pairs(1), List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Split.BySeed needs 2 or more samples, one to train on and one to validate"
                            + " on, but had 1 (validationFraction " + fraction + " would hold out "
                            + Splits.heldOutCount(1, fraction) + ")");
        }
    }
}
