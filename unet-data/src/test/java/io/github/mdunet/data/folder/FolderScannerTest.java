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

    @Test
    void oneFolderSpelledTwoWaysIsOneFolder() {
        for (int i = 0; i < 3; i++) {
            TestImages.solid(root.resolve("n" + i + ".png"), 8, 8, 0);
        }
        Path same = root.resolve(".");
        assertThatThrownBy(() -> new ImageToImageFolderConfig(root, same, 1, 3, 3, new Split.None()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs and targets must be different folders")
                .hasMessageContaining("every input would be its own target");
        assertThatThrownBy(() -> new ImageToImageFolderConfig(root.resolve("a/.."), root, 1, 3, 3,
                new Split.None())).hasMessageContaining("must be different folders");
        assertThatThrownBy(() -> new SegmentationFolderConfig(root, same, List.of("", "_mask"),
                new MaskEncoding.ClassIds(), 2, 3, new Split.None()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maskSuffixes must not contain \"\" when images and masks share the folder");
        // The scanner pairs no file with itself either, whatever its callers checked.
        FolderScanner.Scan scan = FolderScanner.pairByStem(root, same, List.of(""), "input", "target");
        assertThat(scan.pairs()).isEmpty();
        assertThat(messages(scan)).hasSize(3).allMatch(m -> m.contains(": has no target: looked for"));
    }
}
