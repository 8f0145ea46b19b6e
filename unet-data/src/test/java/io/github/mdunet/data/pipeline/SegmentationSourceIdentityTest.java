package io.github.mdunet.data.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.image.MaskEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data identity a resumed run or search compares names how the masks are read: a search rerun on the same
 * folder with a corrected palette, or with class-id masks read as colours, must not take the old scores for its own.
 */
class SegmentationSourceIdentityTest {

    private static final PipelineConfig PIPELINE = new PipelineConfig(new ImageShape(3, 16, 16),
            InputNormalization.IMAGENET, LabelFormat.ONE_HOT, AugmentConfig.standard(), 2, true, 11, 2, 1);

    @TempDir
    Path folder;

    /** The identity of one pair (nothing is decoded: the identity is of the files' names and sizes). */
    private String identity(MaskEncoding encoding) throws IOException {
        return identity(encoding, 16);
    }

    private String identity(MaskEncoding encoding, int significantBits) throws IOException {
        Path image = Files.writeString(folder.resolve("a.png"), "image");
        Path mask = Files.writeString(folder.resolve("a-mask.png"), "mask");
        try (PairedDataSetIterator iterator = new PairedDataSetIterator(new SegmentationSource(
                List.of(new SamplePair("a", image, mask)), encoding, 3, significantBits, PIPELINE), PIPELINE)) {
            return iterator.dataIdentity();
        }
    }

    @Test
    void everyMaskEncodingButPlainClassIdsIsPartOfTheDataIdentity() throws IOException {
        String classIds = identity(new MaskEncoding.ClassIds());
        String palette = identity(new MaskEncoding.Palette(Map.of(0x000000, 0, 0xFF0000, 1, 0x00FF00, 2)));
        String corrected = identity(new MaskEncoding.Palette(Map.of(0x000000, 0, 0xFF0000, 2, 0x00FF00, 1)));
        String grey = identity(new MaskEncoding.ValueMap(Map.of(0, 0, 1, 1, 2, 2)));
        String ignoring = identity(new MaskEncoding.ClassIds(Set.of(255)));

        assertThat(List.of(classIds, palette, corrected, grey, ignoring)).doesNotHaveDuplicates();
        assertThat(palette).contains("labels ONE_HOT from masks Palette{#000000=0, #00FF00=2, #FF0000=1}, augment");
        assertThat(grey).contains("labels ONE_HOT from masks ValueMap{0=0, 1=1, 2=2}, augment");
        assertThat(classIds).as("the stored values are the labels: the identity runs saved before recorded")
                .contains("labels ONE_HOT, augment").doesNotContain("masks");
    }

    /** 16-bit images read at fewer bits are other features: a resume or a search must not mix the two. */
    @Test
    void imagesReadAtFewerBitsAreOtherDataAndAllSixteenAreTheIdentityOfBefore() throws IOException {
        String sixteen = identity(new MaskEncoding.ClassIds());
        String twelve = identity(new MaskEncoding.ClassIds(), 12);

        assertThat(twelve).isNotEqualTo(sixteen).contains("], 16-bit images as 12-bit values, 3x16x16,");
        assertThat(sixteen).as("the identity runs saved before recorded").doesNotContain("-bit");
    }
}
