package io.github.mdunet.data.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.data.TestImages;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.MaskEncoding;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassFrequenciesTest {

    @TempDir
    Path directory;

    private SamplePair mask(String stem, int... ids) {
        Path mask = TestImages.grey(directory.resolve(stem + ".png"), 2, 2, ids);
        return new SamplePair(stem, directory.resolve(stem + ".jpg"), mask);
    }

    /**
     * Masks 0 0 0 1 | 0 0 2 2 | 0 1 1 ignored: class 0 has 6 of the 11 counted pixels of its masks, class 1 3 of 7,
     * class 2 2 of 4, class 3 none. The median frequency is class 2's 1/2.
     */
    @Test
    void medianFrequencyBalancingMatchesHandComputation() {
        List<SamplePair> pairs = List.of(mask("a", 0, 0, 0, 1), mask("b", 0, 0, 2, 2), mask("c", 0, 1, 1, 255));

        ClassFrequencies counted = ClassFrequencies.count(pairs, new MaskEncoding.ClassIds(Set.of(255)), 4);

        assertThat(counted.pixels()).containsExactly(6, 3, 2, 0);
        assertThat(counted.imagePixels()).containsExactly(11, 7, 4, 0);
        assertThat(counted.medianFrequencyWeights()).containsExactly(new double[] {0.5 / (6 / 11.0),
            0.5 / (3 / 7.0), 1.0, 0.0}, within(1e-12));
        assertThat(counted.absentClasses()).containsExactly(3);
    }

    /** The validation pass's counts of each mask give the same frequencies without reading a mask again. */
    @Test
    void countsOfEachMaskSumToTheFrequenciesOfReadingThem() {
        List<SamplePair> pairs = List.of(mask("a", 0, 0, 0, 1), mask("b", 0, 0, 2, 2), mask("c", 0, 1, 1, 255));
        MaskEncoding encoding = new MaskEncoding.ClassIds(Set.of(255));
        List<MaskClassCounts> masks = pairs.stream().map(pair -> MaskClassCounts.of(ImageFiles.readMask(pair.target(),
                encoding, 4), 4)).toList();
        assertThat(masks.get(2).ignored()).isEqualTo(1);
        assertThat(masks.get(2).counted()).isEqualTo(3);
        ClassFrequencies summed = ClassFrequencies.of(masks, 4);
        ClassFrequencies read = ClassFrequencies.count(pairs, encoding, 4);
        assertThat(summed.pixels()).containsExactly(read.pixels());
        assertThat(summed.imagePixels()).containsExactly(read.imagePixels());
        assertThatThrownBy(() -> ClassFrequencies.of(masks, 3)).hasMessage("a mask counted for 4 classes cannot be"
                + " summed with numClasses 3");
    }

    @Test
    void nothingToCountIsRefusedAndABadMaskIsNamed() {
        ClassFrequencies ignoredOnly = ClassFrequencies.count(List.of(mask("i", 255, 255, 255, 255)),
                new MaskEncoding.ClassIds(Set.of(255)), 2);
        assertThatThrownBy(ignoredOnly::medianFrequencyWeights).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no class occurs in the masks counted");

        SamplePair unknown = mask("u", 0, 7, 0, 0);
        assertThatThrownBy(() -> ClassFrequencies.count(List.of(unknown), new MaskEncoding.ClassIds(), 2))
                .isInstanceOf(BadFileException.class).hasMessageContaining("u.png");
    }
}
