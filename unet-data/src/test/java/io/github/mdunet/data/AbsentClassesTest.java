package io.github.mdunet.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.stats.ClassFrequencies;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class of no pixel in the training masks is warned about when the dataset opens: binary masks stored as 0/255
 * read with 255 ignored trained on the background alone without a word (IoU of class 1: 0).
 */
class AbsentClassesTest {

    @TempDir
    Path root;

    /** Four 32 x 32 pairs whose masks are 0 above and {@code value} in the lower quarter. */
    private SegmentationFolderConfig binaryMasks(int value) {
        return binaryMasks(value, 2);
    }

    private SegmentationFolderConfig binaryMasks(int value, int classes) {
        for (int i = 0; i < 4; i++) {
            TestImages.solid(root.resolve("images/" + i + ".png"), 32, 32, 0x336699);
            int[] ids = new int[32 * 32];
            Arrays.fill(ids, 32 * 24, ids.length, value);
            TestImages.grey(root.resolve("masks/" + i + ".png"), 32, 32, ids);
        }
        return SegmentationFolderConfig.of(root, classes).withSplit(new Split.BySeed(0.25, 1));
    }

    @Test
    void aClassIgnoredAwayIsNamedWithTheIgnoredPixelsAndTheZeroWeight() {
        SegmentationDataset dataset = SegmentationDataset.open(binaryMasks(255)
                .withEncoding(new MaskEncoding.ClassIds(Set.of(255))));
        assertThat(dataset.trainingClassFrequencies().pixels()).containsExactly(3 * 32 * 24, 0);
        assertThat(dataset.absentClassesWarning()).hasValue("class 1 (of 0..1) has no pixel in the 3 training masks"
                + " of " + root.resolve("masks") + ": a model never sees it (IoU 0), and median-frequency class"
                + " weights (--class-weights auto) give it weight 0; 768 pixels of those masks are ignored"
                + " (ClassIds{ignored [255]}), which may be the cause: if they hold the class, map their values to it"
                + " rather than ignore them (a binary mask stored as 0/255: --mask-values 0=0,255=1,"
                + " MaskEncoding.ValueMap.binary255())");
    }

    @Test
    void readAsABinaryMaskEveryClassOccursAndNothingIsSaid() {
        SegmentationDataset dataset = SegmentationDataset.open(binaryMasks(255)
                .withEncoding(MaskEncoding.ValueMap.binary255()));
        assertThat(dataset.absentClassesWarning()).isEmpty();
        ClassFrequencies read = ClassFrequencies.count(dataset.training(), MaskEncoding.ValueMap.binary255(), 2);
        assertThat(dataset.trainingClassFrequencies().pixels()).containsExactly(read.pixels());
        assertThat(dataset.trainingClassFrequencies().imagePixels()).containsExactly(read.imagePixels());
    }

    /** Without ignored pixels the warning says no more than the absent classes; without a split, "masks". */
    @Test
    void aClassMissingFromEveryMaskIsNamedWithoutAnIgnoredCause() {
        SegmentationDataset dataset = SegmentationDataset.open(binaryMasks(0, 3).withSplit(new Split.None()));
        assertThat(dataset.absentClassesWarning()).hasValue("classes 1, 2 (of 0..2) have no pixel in the 4 masks of "
                + root.resolve("masks") + ": a model never sees them (IoU 0), and median-frequency class weights"
                + " (--class-weights auto) give them weight 0");
    }
}
