package io.github.mdunet.data.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.TestImages;
import io.github.mdunet.data.folder.Problem;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.image.MaskEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per documented bad input: each message names the file and what was expected. */
class DatasetValidatorTest {

    @TempDir
    Path root;

    private SegmentationFolderConfig config() {
        return SegmentationFolderConfig.of(root, 3);
    }

    private void good(String stem) {
        TestImages.solid(root.resolve("images/" + stem + ".png"), 16, 16, 0x336699);
        mask(stem + ".png", 1);
    }

    /** A black 16x16 image {@code images/<file>}. */
    private void image(String file) {
        TestImages.solid(root.resolve("images/" + file), 16, 16, 0);
    }

    /** A 16x16 mask {@code masks/<file>} of one class id. */
    private void mask(String file, int classId) {
        TestImages.greyFill(root.resolve("masks/" + file), 16, 16, classId);
    }

    private static List<String> messages(ValidationReport report) {
        return report.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void cleanFolderPassesAndPairsByStemWithMaskSuffixes() {
        good("a");
        TestImages.solid(root.resolve("images/b.jpg"), 16, 16, 0x336699);
        mask("b_mask.png", 2);
        ValidationReport report = DatasetValidator.validate(config());
        assertThat(report.problems()).isEmpty();
        assertThat(report.training()).extracting(SamplePair::stem).containsExactly("a", "b");
        assertThat(report.training().get(1).target().getFileName().toString()).isEqualTo("b_mask.png");
    }

    /** "2 training + 0 validation usable" once read as if the validation side had come out empty. */
    @Test
    void theSummaryCountsTrainingAndValidationApartOnlyWhenThereAreValidationFolders() {
        good("a");
        good("b");
        assertThat(DatasetValidator.validate(config()).toString()).matches("2 pairs checked in \\d+ ms: 2 usable,"
                + " 0 error\\(s\\), 0 warning\\(s\\)");

        TestImages.solid(root.resolve("val/images/v.png"), 16, 16, 0);
        TestImages.greyFill(root.resolve("val/masks/v.png"), 16, 16, 0);
        assertThat(DatasetValidator.validate(config().withSplit(new Split.ByFolder(root.resolve("val/images"),
                root.resolve("val/masks")))).toString()).contains("2 training + 1 validation usable, 0 error(s)");
    }

    @Test
    void imageWithoutMaskSaysWhereItLooked() {
        good("a");
        image("dog.png");
        ValidationReport report = DatasetValidator.validate(config());
        assertThat(messages(report)).containsExactly("images/dog.png: has no mask: looked for masks/dog.png,"
                + " masks/dog_mask.png (also .bmp, .tif, .tiff, .jpg, .jpeg)");
        assertThat(report.training()).hasSize(1);
    }

    @Test
    void maskOfAnotherSize() {
        image("a.png");
        TestImages.greyFill(root.resolve("masks/a.png"), 16, 12, 0);
        assertThat(messages(DatasetValidator.validate(config()))).containsExactly("masks/a.png: mask is 16x12 (width x"
                + " height) but its image images/a.png is 16x16; expected the same size");
    }

    /**
     * A portrait photo stored as a 32x16 raster with EXIF orientation 6 and a mask drawn on the stored raster: the
     * message gives both sizes and both fixes, since the file's stored size is the one many tools show.
     */
    @Test
    void maskOfARotatedPhotoNamesItsOrientationAndStoredSize() {
        TestImages.withExifOrientation(TestImages.blocks(root.resolve("images/a.jpg"), 32, 16,
                new int[][] {{0xFF0000, 0x0000FF}}), 6, true);
        TestImages.greyFill(root.resolve("masks/a.png"), 32, 16, 1);
        TestImages.withExifOrientation(TestImages.blocks(root.resolve("images/b.jpg"), 32, 16,
                new int[][] {{0xFF0000, 0x0000FF}}), 8, false);
        TestImages.greyFill(root.resolve("masks/b.png"), 20, 20, 1);
        assertThat(messages(DatasetValidator.validate(config()))).containsExactly(
                "masks/a.png: mask is 32x16 (width x height) but its image images/a.jpg is 16x32 (after its EXIF"
                        + " orientation 6, rotated 90 degrees clockwise; stored 32x16); expected the same size: the"
                        + " mask fits the stored pixels, so rotate the mask as the tag says (rotated 90 degrees"
                        + " clockwise), or strip the image's orientation tag (e.g. exiftool -Orientation="
                        + " images/a.jpg) so that it is read as stored",
                "masks/b.png: mask is 20x20 (width x height) but its image images/b.jpg is 16x32 (after its EXIF"
                        + " orientation 8, rotated 90 degrees anticlockwise; stored 32x16); expected the same size");
    }

    /**
     * Photos turned by their tag without a change of size (180 degrees, a mirror, a square photo's quarter turn): their
     * masks fit either way, so one warning names them; a portrait photo of another size and an untagged one are not
     * named, and nothing is skipped.
     */
    @Test
    void photosTurnedWithoutAChangeOfSizeAreNamedInOneWarning() {
        int[][] halves = {{0xFF0000, 0x0000FF}};
        TestImages.withExifOrientation(TestImages.blocks(root.resolve("images/a.jpg"), 32, 16, halves), 3, true);
        TestImages.greyFill(root.resolve("masks/a.png"), 32, 16, 1);
        TestImages.withExifOrientation(TestImages.blocks(root.resolve("images/b.jpg"), 16, 16, halves), 6, false);
        TestImages.greyFill(root.resolve("masks/b.png"), 16, 16, 1);
        TestImages.withExifOrientation(TestImages.blocks(root.resolve("images/c.jpg"), 32, 16, halves), 6, true);
        TestImages.greyFill(root.resolve("masks/c.png"), 16, 32, 1);
        TestImages.withExifOrientation(TestImages.blocks(root.resolve("images/d.jpg"), 32, 16, halves), 2, true);
        TestImages.greyFill(root.resolve("masks/d.png"), 32, 16, 1);
        good("e");

        ValidationReport report = DatasetValidator.validate(config());
        assertThat(report.errors()).isEmpty();
        assertThat(report.training()).hasSize(5);
        assertThat(messages(report)).containsExactly("warning: " + root.resolve("images") + ": 3 photo(s) turned by"
                + " their orientation tag without a change of size (images/a.jpg: 3, rotated 180 degrees; images/b.jpg:"
                + " 6, rotated 90 degrees clockwise, square; images/d.jpg: 2, mirrored horizontally): they are read"
                + " upright, as viewers show them, and their masks' sizes cannot show whether each was drawn on the"
                + " upright photo or on its stored pixels (by a tool that ignores the tag, then misaligned); look at"
                + " one mask over its photo in a viewer that applies the tag, and if they disagree, turn the masks as"
                + " the tags say or strip the tags (e.g. exiftool -Orientation= FILE)");
    }

    @Test
    void classIdOutsideTheDeclaredClasses() {
        TestImages.solid(root.resolve("images/cat_01.png"), 4, 4, 0);
        int[] ids = new int[16];
        ids[5] = 7;
        TestImages.grey(root.resolve("masks/cat_01.png"), 4, 4, ids);
        assertThat(messages(DatasetValidator.validate(config()))).containsExactly(
                "masks/cat_01.png: class id 7 outside 0..2 (numClasses 3), 1 pixels, first at x=1, y=1; give"
                        + " numClasses 8 or more, or, if 7 marks pixels to leave out (as Pascal VOC's 255 borders),"
                        + " ignore it: --mask-ignore 7 on the command line, MaskEncoding.ClassIds(Set.of(7)) in"
                        + " Java");
    }

    @Test
    void corruptAndUnreadableFiles() {
        good("a");
        TestImages.garbage(root.resolve("images/b.png"));
        mask("b.png", 0);
        image("c.png");
        TestImages.truncated(root.resolve("masks/c.png"), 16, 16);
        List<String> messages = messages(DatasetValidator.validate(config()));
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).startsWith("images/b.png: not a readable image");
        assertThat(messages.get(1)).startsWith("masks/c.png: corrupt or truncated image");
    }

    @Test
    void sixteenBitMasksHoldClassIdsWhileFloatAndColourPaletteMasksAreRefused() {
        TestImages.solid(root.resolve("images/deep.png"), 8, 8, 0);
        TestImages.grey16(root.resolve("masks/deep.png"), 8, 8, 1);
        TestImages.solid(root.resolve("images/voc.png"), 8, 8, 0);
        TestImages.palette(root.resolve("masks/voc.png"), 8, 8, new int[] {0, 0x800000}, new int[64]);
        TestImages.solid(root.resolve("images/float.png"), 8, 8, 0);
        TestImages.float32(root.resolve("masks/float.tif"), 8, 8);
        List<String> messages = messages(DatasetValidator.validate(config()));
        assertThat(messages).as("the 16-bit mask holds class ids").hasSize(2);
        assertThat(messages.get(0)).startsWith("masks/float.tif: 32-bit grey TIF; expected an 8-bit greyscale mask or"
                + " a 16-bit greyscale one of class ids");
        assertThat(messages.get(1)).startsWith("masks/voc.png: palette (indexed-colour) PNG with colours (palette"
                + " entry 1 is #800000); expected a greyscale mask of class ids");
    }

    @Test
    void emptyAndMissingFolders() {
        assertThat(messages(DatasetValidator.validate(config()))).containsExactly(root.resolve("images")
                + ": folder not found; expected a folder of image files (.bmp, .jpeg, .jpg, .png, .tif, .tiff)");
        TestImages.garbage(root.resolve("images/readme.txt"));
        ValidationReport empty = DatasetValidator.validate(config());
        assertThat(messages(empty)).containsExactly(root.resolve("images")
                + ": no image files (.bmp, .jpeg, .jpg, .png, .tif, .tiff) in this folder; expected at least one");
        assertThatThrownBy(() -> SegmentationDataset.open(config(), BadSamplePolicy.SKIP))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("no image files");
    }

    @Test
    void orphanMasksAndAmbiguousPairsAreReported() {
        good("a");
        mask("ghost.png", 0);
        image("b.png");
        mask("b.png", 0);
        mask("b_mask.png", 0);
        ValidationReport report = DatasetValidator.validate(config());
        assertThat(messages(report)).containsExactly(
                "images/b.png: 2 masks match: masks/b.png, masks/b_mask.png; expected exactly one",
                "warning: masks/ghost.png: a mask without an image (no images/ghost.*); ignored");
        assertThat(report.warnings()).hasSize(1);
    }

    @Test
    void strictModeThrowsWithEveryProblem() {
        good("a");
        image("dog.png");
        image("b.png");
        mask("b.png", 9);
        assertThatThrownBy(() -> SegmentationDataset.open(config(), BadSamplePolicy.FAIL))
                .isInstanceOf(DatasetValidationException.class)
                .hasMessageContaining("2 error(s)")
                .hasMessageContaining("images/dog.png: has no mask")
                .hasMessageContaining("masks/b.png: class id 9 outside 0..2")
                .satisfies(e -> assertThat(((DatasetValidationException) e).problems()).hasSize(2));
    }

    @Test
    void lenientModeSkipsAndReports() {
        good("a");
        good("c");
        image("b.png");
        mask("b.png", 9);
        SegmentationDataset data = SegmentationDataset.open(config(), BadSamplePolicy.SKIP);
        assertThat(data.training()).extracting(SamplePair::stem).containsExactly("a", "c");
        assertThat(data.report().errors()).singleElement().asString().contains("masks/b.png");
    }

    @Test
    void oxfordPetLayoutWithTrimapsAndJpegImages() {
        for (String stem : List.of("Abyssinian_1", "beagle_2")) {
            TestImages.solid(root.resolve("images/" + stem + ".jpg"), 12, 10, 0x887766);
            TestImages.grey(root.resolve("annotations/trimaps/" + stem + ".png"), 12, 10, trimap(12, 10));
        }
        SegmentationFolderConfig pets = new SegmentationFolderConfig(root.resolve("images"),
                root.resolve("annotations/trimaps"), List.of(""), MaskEncoding.ValueMap.oxfordPetTrimap(), 3, 3,
                new Split.BySeed(0.5, 1), 16);
        SegmentationDataset data = SegmentationDataset.open(pets);
        assertThat(data.training()).hasSize(1);
        assertThat(data.validation()).hasSize(1);
    }

    @Test
    void splitBySeedIsDeterministicAndDisjointAndByFolderReadsItsOwnFolders() {
        for (int i = 0; i < 10; i++) {
            good("s" + i);
        }
        SegmentationFolderConfig bySeed = config().withSplit(new Split.BySeed(0.3, 5));
        SegmentationDataset first = SegmentationDataset.open(bySeed);
        SegmentationDataset second = SegmentationDataset.open(bySeed);
        assertThat(first.validation()).hasSize(3).isEqualTo(second.validation());
        assertThat(first.training()).hasSize(7).doesNotContainAnyElementsOf(first.validation());
        assertThat(SegmentationDataset.open(config().withSplit(new Split.BySeed(0.3, 6))).validation())
                .isNotEqualTo(first.validation());

        TestImages.solid(root.resolve("val/images/v.png"), 16, 16, 0);
        TestImages.greyFill(root.resolve("val/masks/v.png"), 16, 16, 0);
        SegmentationDataset byFolder = SegmentationDataset.open(config().withSplit(
                new Split.ByFolder(root.resolve("val/images"), root.resolve("val/masks"))));
        assertThat(byFolder.training()).hasSize(10);
        assertThat(byFolder.validation()).extracting(SamplePair::stem).containsExactly("v");
    }

    /** Under SKIP a validation folder whose every pair is bad is named, not taken for a missing split. */
    @Test
    void aValidationFolderWithoutAUsablePairIsNamed() {
        good("a");
        TestImages.solid(root.resolve("val/images/v.png"), 16, 16, 0);
        TestImages.greyFill(root.resolve("val/masks/v.png"), 16, 16, 9);
        Split byFolder = new Split.ByFolder(root.resolve("val/images"), root.resolve("val/masks"));

        assertThatThrownBy(() -> SegmentationDataset.open(config().withSplit(byFolder), BadSamplePolicy.SKIP))
                .isInstanceOf(DatasetValidationException.class)
                .hasMessageContaining("has no usable validation sample in " + root.resolve("val/images"))
                .hasMessageContaining("v.png");
    }

    /**
     * One usable sample cannot be split: a fraction below 0.5 held out none, the dataset opened without validation
     * and training failed later, after an earlier run had been set aside; 0.5 or more left none to train on.
     */
    @Test
    void aSplitOfOneUsableSampleIsRefusedWhenTheDatasetOpensWhateverTheFraction() throws Exception {
        good("a");
        image("b.png");
        mask("b.png", 9);
        // Under SKIP one of the two pairs is left out, and one sample is left to split.
        assertThatThrownBy(() -> SegmentationDataset.open(config().withSplit(new Split.BySeed(0.2, 1)),
                BadSamplePolicy.SKIP))
                .isInstanceOf(DatasetValidationException.class)
                .hasMessageStartingWith("segmentation dataset " + root.resolve("images") + " + " + root.resolve("masks")
                        + " has 1 usable sample (1 left out as bad, listed below), too few for Split.BySeed"
                        + "(validationFraction 0.2; --validation-fraction on the command line): round(0.2 x 1) = 0"
                        + " would be held out for validation, which needs one, and training one more; add samples, fix"
                        + " the files left out, or validate on folders of their own (Split.ByFolder; --val-data on"
                        + " the command line): 1 error(s)")
                .hasMessageContaining("masks/b.png: class id 9 outside 0..2");
        assertThatThrownBy(() -> SegmentationDataset.open(config().withSplit(new Split.BySeed(0.5, 1)),
                BadSamplePolicy.SKIP))
                .isInstanceOf(DatasetValidationException.class)
                .hasMessageContaining("round(0.5 x 1) = 1 would be held out for validation, leaving none for"
                        + " training; add samples");

        Files.delete(root.resolve("images/b.png"));
        Files.delete(root.resolve("masks/b.png"));
        assertThatThrownBy(() -> SegmentationDataset.open(config().withSplit(new Split.BySeed(0.2, 1))))
                .isInstanceOf(DatasetValidationException.class)
                .hasMessage("segmentation dataset " + root.resolve("images") + " + " + root.resolve("masks")
                        + " has 1 usable sample, too few for Split.BySeed(validationFraction 0.2;"
                        + " --validation-fraction on the command line): round(0.2 x 1) = 0 would be held out for"
                        + " validation, which needs one, and training one more; add samples, or validate on folders of"
                        + " their own (Split.ByFolder; --val-data on the command line)");
        assertThat(SegmentationDataset.open(config()).training()).extracting(SamplePair::stem)
                .containsExactly("a");
    }

    @Test
    void masksBesideImagesInOneFolder() throws Exception {
        Path both = Files.createDirectories(root.resolve("both"));
        TestImages.solid(both.resolve("x.png"), 8, 8, 0);
        TestImages.greyFill(both.resolve("x_mask.png"), 8, 8, 1);
        SegmentationFolderConfig shared = new SegmentationFolderConfig(both, both, List.of("_mask"),
                new MaskEncoding.ClassIds(), 2, 3, new Split.None(), 16);
        ValidationReport report = DatasetValidator.validate(shared);
        assertThat(report.problems()).isEmpty();
        assertThat(report.training()).extracting(SamplePair::stem).containsExactly("x");
    }

    @Test
    void configurationErrorsNameTheField() {
        assertThatThrownBy(() -> SegmentationFolderConfig.of(root, 2)
                        .withEncoding(MaskEncoding.ValueMap.oxfordPetTrimap()))
                .hasMessageContaining("maps to class id 2 but numClasses is 2");
    }

    private static int[] trimap(int width, int height) {
        int[] values = new int[width * height];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1 + i % 3;
        }
        return values;
    }
}
