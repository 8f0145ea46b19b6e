package io.github.mdunet.data.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.data.TestImages;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.validate.Problem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderScannerTest {

    @TempDir
    Path root;

    private static List<String> pairNames(FolderScanner.Scan scan) {
        return scan.pairs().stream()
                .map(p -> p.input().getFileName() + " -> " + p.target().getFileName()).toList();
    }

    private static List<String> messages(FolderScanner.Scan scan) {
        return scan.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void namesThatDifferOnlyInCaseAreMatchedExactlyOrReportedNeverPicked() {
        for (String stem : List.of("Cat", "cat")) {
            TestImages.solid(root.resolve("images/" + stem + ".png"), 4, 4, 0);
            TestImages.greyFill(root.resolve("masks/" + stem + ".png"), 4, 4, 0);
        }
        FolderScanner.Scan exact = FolderScanner.pairByStem(root.resolve("images"), root.resolve("masks"),
                List.of("", "_mask"), "image", "mask");
        assertThat(pairNames(exact)).containsExactly("Cat.png -> Cat.png", "cat.png -> cat.png");
        assertThat(exact.problems()).isEmpty();

        // An image whose name matches neither mask exactly: both are named, neither is picked.
        TestImages.solid(root.resolve("other/CAT.png"), 4, 4, 0);
        FolderScanner.Scan ambiguous = FolderScanner.pairByStem(root.resolve("other"), root.resolve("masks"),
                List.of("", "_mask"), "image", "mask");
        assertThat(ambiguous.pairs()).isEmpty();
        assertThat(messages(ambiguous)).containsExactly("other/CAT.png: 2 masks differ from CAT.png only in case:"
                + " masks/Cat.png, masks/cat.png; expected one (name the mask exactly CAT.png, or rename or remove the"
                + " others)");
    }

    @Test
    void aMaskInAnotherCaseIsStillFoundWhenItIsTheOnlyOne() {
        TestImages.solid(root.resolve("images/IMG_1.png"), 4, 4, 0);
        TestImages.greyFill(root.resolve("masks/img_1.PNG"), 4, 4, 0);
        FolderScanner.Scan scan = FolderScanner.pairByStem(root.resolve("images"), root.resolve("masks"),
                List.of(""), "image", "mask");
        assertThat(pairNames(scan)).containsExactly("IMG_1.png -> img_1.PNG");
        assertThat(scan.problems()).isEmpty();
    }

    /** A.png once took a.png's mask by ignoring case, and trained on a.png's labels without a word. */
    @Test
    void aMaskThatIsAnotherImagesByItsExactNameIsNotTakenByIgnoringCase() {
        TestImages.solid(root.resolve("images/a.png"), 4, 4, 0);
        TestImages.solid(root.resolve("images/A.png"), 4, 4, 0);
        TestImages.greyFill(root.resolve("masks/a.png"), 4, 4, 0);
        FolderScanner.Scan scan = FolderScanner.pairByStem(root.resolve("images"), root.resolve("masks"),
                List.of("", "_mask"), "image", "mask");
        assertThat(pairNames(scan)).containsExactly("a.png -> a.png");
        assertThat(messages(scan)).containsExactly("images/A.png: has no mask of its own: masks/a.png differs"
                + " from A.png only in case and is the mask of images/a.png by its exact name; expected masks/A.png"
                + " (add it, or rename images/A.png)");

        // Two images that both match one mask only by ignoring case: neither takes it, both are named.
        TestImages.solid(root.resolve("two/B.png"), 4, 4, 0);
        TestImages.solid(root.resolve("two/b.png"), 4, 4, 0);
        TestImages.greyFill(root.resolve("two-masks/b.PNG"), 4, 4, 0);
        FolderScanner.Scan two = FolderScanner.pairByStem(root.resolve("two"), root.resolve("two-masks"),
                List.of(""), "image", "mask");
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
        TestImages.solid(root.resolve("images/a.png"), 4, 4, 0);
        TestImages.solid(root.resolve("images/a_mask.png"), 4, 4, 0);
        TestImages.solid(root.resolve("images/b.png"), 4, 4, 0);
        TestImages.greyFill(root.resolve("masks/a_mask.png"), 4, 4, 0);
        TestImages.greyFill(root.resolve("masks/b.png"), 4, 4, 0);
        FolderScanner.Scan scan = FolderScanner.pairByStem(root.resolve("images"), root.resolve("masks"),
                List.of("", "_mask"), "image", "mask");

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
        TestImages.solid(root.resolve("images/cat.png"), 4, 4, 0);
        TestImages.greyFill(root.resolve("masks/cat.png"), 4, 4, 0);
        TestImages.greyFill(root.resolve("masks/ghost_mask.png"), 4, 4, 0);
        TestImages.greyFill(root.resolve("masks/spirit.png"), 4, 4, 0);
        FolderScanner.Scan scan = FolderScanner.pairByStem(root.resolve("images"), root.resolve("masks"),
                List.of("", "_mask"), "image", "mask");
        assertThat(pairNames(scan)).containsExactly("cat.png -> cat.png");
        assertThat(messages(scan)).containsExactly(
                "warning: masks/ghost_mask.png: a mask without an image (no images/ghost.* or images/ghost_mask.*);"
                        + " ignored",
                "warning: masks/spirit.png: a mask without an image (no images/spirit.*); ignored");

        FolderScanner.Scan suffixed = FolderScanner.pairByStem(root.resolve("images"), root.resolve("masks"),
                List.of("_mask"), "image", "mask");
        assertThat(messages(suffixed)).contains("warning: masks/cat.png: a mask without an image (its name ends in"
                + " none of the suffixes [_mask], so no image matches it); ignored");
    }

    @Test
    void theMaskOfImagesSharingAStemIsPartOfThatErrorNotAnOrphan() {
        TestImages.solid(root.resolve("images/cat.png"), 4, 4, 0);
        TestImages.solid(root.resolve("images/cat.jpg"), 4, 4, 0);
        TestImages.greyFill(root.resolve("masks/cat.png"), 4, 4, 0);
        FolderScanner.Scan scan = FolderScanner.pairByStem(root.resolve("images"), root.resolve("masks"),
                List.of("", "_mask"), "image", "mask");
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
