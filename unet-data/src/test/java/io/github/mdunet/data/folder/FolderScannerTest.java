package io.github.mdunet.data.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.data.TestImages;
import io.github.mdunet.data.image.MaskEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderScannerTest {

    @TempDir
    Path root;

    /** Writes a 4 x 4 image at each of {@code paths}, relative to the root. */
    private void images(String... paths) {
        for (String path : paths) {
            TestImages.solid(root.resolve(path), 4, 4, 0);
        }
    }

    /** Writes a 4 x 4 grey mask at each of {@code paths}, relative to the root. */
    private void masks(String... paths) {
        for (String path : paths) {
            TestImages.greyFill(root.resolve(path), 4, 4, 0);
        }
    }

    /** Pairs the images in folder {@code images} with the masks in {@code masks}, both relative to the root. */
    private FolderScanner.Scan pairByStem(String images, String masks, List<String> maskSuffixes) {
        return FolderScanner.pairByStem(root.resolve(images), root.resolve(masks), maskSuffixes, "image", "mask");
    }

    private static List<String> pairNames(FolderScanner.Scan scan) {
        return scan.pairs().stream()
                .map(p -> p.input().getFileName() + " -> " + p.target().getFileName()).toList();
    }

    private static List<String> messages(FolderScanner.Scan scan) {
        return scan.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void namesThatDifferOnlyInCaseAreMatchedExactlyOrReportedNeverPicked() {
        images("images/Cat.png", "images/cat.png");
        masks("masks/Cat.png", "masks/cat.png");
        FolderScanner.Scan exact = pairByStem("images", "masks", List.of("", "_mask"));
        assertThat(pairNames(exact)).containsExactly("Cat.png -> Cat.png", "cat.png -> cat.png");
        assertThat(exact.problems()).isEmpty();

        // An image whose name matches neither mask exactly: both are named, neither is picked.
        images("other/CAT.png");
        FolderScanner.Scan ambiguous = pairByStem("other", "masks", List.of("", "_mask"));
        assertThat(ambiguous.pairs()).isEmpty();
        assertThat(messages(ambiguous)).containsExactly("other/CAT.png: 2 masks differ from CAT.png only in case:"
                + " masks/Cat.png, masks/cat.png; expected one (name the mask exactly CAT.png, or rename or remove the"
                + " others)");
    }

    /**
     * macOS writes ._a.png beside a.png on other file systems (AppleDouble metadata, not a PNG): as fastai's
     * get_image_files, names starting with '.' are skipped in both folders, so a default FAIL run is not stopped.
     */
    @Test
    void hiddenFilesAreSkippedInImagesAndMasks() throws Exception {
        TestImages.solid(root.resolve("images/a.png"), 4, 4, 0);
        TestImages.greyFill(root.resolve("masks/a.png"), 4, 4, 0);
        Files.writeString(root.resolve("images/._a.png"), "AppleDouble metadata");
        Files.writeString(root.resolve("masks/._a.png"), "AppleDouble metadata");
        TestImages.solid(root.resolve("images/.hidden.png"), 4, 4, 0);
        FolderScanner.Scan scan = FolderScanner.pairByStem(root.resolve("images"), root.resolve("masks"),
                List.of(""), "image", "mask");
        assertThat(pairNames(scan)).containsExactly("a.png -> a.png");
        assertThat(scan.problems()).isEmpty();
    }

    @Test
    void aMaskInAnotherCaseIsStillFoundWhenItIsTheOnlyOne() {
        images("images/IMG_1.png");
        masks("masks/img_1.PNG");
        FolderScanner.Scan scan = pairByStem("images", "masks", List.of(""));
        assertThat(pairNames(scan)).containsExactly("IMG_1.png -> img_1.PNG");
        assertThat(scan.problems()).isEmpty();
    }

    /** A.png once took a.png's mask by ignoring case, and trained on a.png's labels without a word. */
    @Test
    void aMaskThatIsAnotherImagesByItsExactNameIsNotTakenByIgnoringCase() {
        images("images/a.png", "images/A.png");
        masks("masks/a.png");
        FolderScanner.Scan scan = pairByStem("images", "masks", List.of("", "_mask"));
        assertThat(pairNames(scan)).containsExactly("a.png -> a.png");
        assertThat(messages(scan)).containsExactly("images/A.png: has no mask of its own: masks/a.png differs"
                + " from A.png only in case and is the mask of images/a.png by its exact name; expected masks/A.png"
                + " (add it, or rename images/A.png)");

        // Two images that both match one mask only by ignoring case: neither takes it, both are named.
        images("two/B.png", "two/b.png");
        masks("two-masks/b.PNG");
        FolderScanner.Scan two = pairByStem("two", "two-masks", List.of(""));
        assertThat(two.pairs()).isEmpty();
        assertThat(messages(two)).containsExactly(
                "two/B.png: two-masks/b.PNG matches 2 images only by ignoring case (two/B.png, two/b.png); expected"
                        + " one mask per image, named exactly as its image (two-masks/B.png)",
                "two/b.png: two-masks/b.PNG matches 2 images only by ignoring case (two/B.png, two/b.png); expected"
                        + " one mask per image, named exactly as its image (two-masks/b.png)");
    }

    /** Both images once paired with masks/a_mask.png, one by each suffix, and trained on one mask twice. */
    @Test
    void aMaskTwoImagesNameByDifferentSuffixesIsNeitherOnesMask() {
        images("images/a.png", "images/a_mask.png", "images/b.png");
        masks("masks/a_mask.png", "masks/b.png");
        FolderScanner.Scan scan = pairByStem("images", "masks", List.of("", "_mask"));

        assertThat(pairNames(scan)).containsExactly("b.png -> b.png");
        assertThat(messages(scan)).containsExactlyInAnyOrder(
                "images/a.png: masks/a_mask.png is the mask of images/a_mask.png too, by the suffixes [, _mask];"
                        + " expected one mask per image (rename one of the images, or pass only the suffix the masks"
                        + " use)",
                "images/a_mask.png: masks/a_mask.png is the mask of images/a.png too, by the suffixes [, _mask];"
                        + " expected one mask per image (rename one of the images, or pass only the suffix the masks"
                        + " use)");
    }

    @Test
    void aMaskWithoutAnImageNamesTheImagesItCouldBelongTo() {
        images("images/cat.png");
        masks("masks/cat.png", "masks/ghost_mask.png", "masks/spirit.png");
        FolderScanner.Scan scan = pairByStem("images", "masks", List.of("", "_mask"));
        assertThat(pairNames(scan)).containsExactly("cat.png -> cat.png");
        assertThat(messages(scan)).containsExactly(
                "warning: masks/ghost_mask.png: a mask without an image (no images/ghost.* or images/ghost_mask.*);"
                        + " ignored",
                "warning: masks/spirit.png: a mask without an image (no images/spirit.*); ignored");

        FolderScanner.Scan suffixed = pairByStem("images", "masks", List.of("_mask"));
        assertThat(messages(suffixed)).contains("warning: masks/cat.png: a mask without an image (its name ends in"
                + " none of the suffixes [_mask], so no image matches it); ignored");
    }

    @Test
    void theMaskOfImagesSharingAStemIsPartOfThatErrorNotAnOrphan() {
        images("images/cat.png", "images/cat.jpg");
        masks("masks/cat.png");
        FolderScanner.Scan scan = pairByStem("images", "masks", List.of("", "_mask"));
        assertThat(scan.pairs()).isEmpty();
        assertThat(messages(scan)).containsExactly("images/cat.jpg: 2 images share the stem 'cat' (images/cat.jpg,"
                + " images/cat.png); expected one per stem, so the mask is not ambiguous");
    }

    @Test
    void oneFolderSpelledTwoWaysIsOneFolder() {
        for (int i = 0; i < 3; i++) {
            TestImages.solid(root.resolve("n" + i + ".png"), 8, 8, 0);
        }
        Path same = root.resolve(".");
        assertThatThrownBy(() -> new ImageToImageFolderConfig(root, same, 1, 3, 3, new Split.None(), 16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs and targets must be different folders")
                .hasMessageContaining("every input would be its own target");
        assertThatThrownBy(() -> new ImageToImageFolderConfig(root.resolve("a/.."), root, 1, 3, 3,
                new Split.None(), 16)).hasMessageContaining("must be different folders");
        assertThatThrownBy(() -> new SegmentationFolderConfig(root, same, List.of("", "_mask"),
                new MaskEncoding.ClassIds(), 2, 3, new Split.None(), 16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maskSuffixes must not contain \"\" when images and masks share the folder");
        // The scanner pairs no file with itself either, whatever its callers checked.
        FolderScanner.Scan scan = FolderScanner.pairByStem(root, same, List.of(""), "input", "target");
        assertThat(scan.pairs()).isEmpty();
        assertThat(messages(scan)).hasSize(3).allMatch(m -> m.contains(": has no target: looked for"));
    }
}
