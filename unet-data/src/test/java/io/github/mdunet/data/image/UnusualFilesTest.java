package io.github.mdunet.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.data.TestImages;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.validate.DatasetValidator;
import io.github.mdunet.data.validate.ValidationReport;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that ImageIO reads without complaint but wrongly: rotated photos, truncated JPEGs, lying headers. */
class UnusualFilesTest {

    private static final int RED = 0xFF0000;
    private static final int BLUE = 0x0000FF;

    @TempDir
    Path dir;

    @AfterEach
    void defaultLimit() {
        System.clearProperty(ImageFiles.MAX_PIXELS_PROPERTY);
    }

    private static boolean isRed(DecodedImage image, int x, int y) {
        return image.at(0, y, x) > 200 && image.at(2, y, x) < 60;
    }

    private static boolean isBlue(DecodedImage image, int x, int y) {
        return image.at(2, y, x) > 200 && image.at(0, y, x) < 60;
    }

    /**
     * Print-prepared photographs are often CMYK JPEGs: TwelveMonkeys' reader turns them into RGB. Half-black red ink
     * is dark red; the JDK's reader would hand over the stored ink planes (cyan where the red is) or a red far too
     * bright.
     */
    @Test
    void aCmykJpegIsReadAsTheColoursItPrints() {
        Path print = TestImages.cmykJpeg(dir.resolve("print.jpg"), 16, 16, new int[] {0, 255, 255, 128});
        DecodedImage image = ImageFiles.readImage(print, 3);
        assertThat(image.at(0, 8, 8)).as("red").isBetween(100f, 155f);
        assertThat(image.at(1, 8, 8)).as("green").isLessThan(40f);
        assertThat(image.at(2, 8, 8)).as("blue").isLessThan(40f);
    }

    /** A portrait photo as a camera stores it: a landscape raster (red left, blue right) and "rotate 90 clockwise". */
    @Test
    void aPortraitPhotoComesOutUprightAsViewersShowIt() {
        Path photo = TestImages.withExifOrientation(TestImages.blocks(dir.resolve("portrait.jpg"), 32, 16,
                new int[][] {{RED, BLUE}}), 6, true);
        assertThat(ImageFiles.readHeader(photo)).extracting(ImageFiles.Header::width, ImageFiles.Header::height)
                .containsExactly(16, 32);
        DecodedImage image = ImageFiles.readImage(photo, 3);
        assertThat(image.width()).isEqualTo(16);
        assertThat(image.height()).isEqualTo(32);
        assertThat(isRed(image, 8, 8)).as("top is the stored left").isTrue();
        assertThat(isBlue(image, 8, 24)).as("bottom is the stored right").isTrue();
    }

    /** A square photo keeps its size, so only the pixels show the turn: read without it, it aligns wrongly. */
    @Test
    void aSquarePhotosOrientationMovesItsPixels() {
        int[][] redTopLeft = {{RED, BLUE}, {BLUE, BLUE}};
        DecodedImage turned = ImageFiles.readImage(TestImages.withExifOrientation(
                TestImages.blocks(dir.resolve("six.jpg"), 32, 32, redTopLeft), 6, false), 3);
        assertThat(isRed(turned, 24, 8)).as("orientation 6: stored top-left shown top-right").isTrue();
        assertThat(isBlue(turned, 8, 8)).isTrue();
        DecodedImage upsideDown = ImageFiles.readImage(TestImages.withExifOrientation(
                TestImages.blocks(dir.resolve("three.jpg"), 32, 32, redTopLeft), 3, true), 3);
        assertThat(isRed(upsideDown, 24, 24)).as("orientation 3: stored top-left shown bottom-right").isTrue();
        DecodedImage mirrored = ImageFiles.readImage(TestImages.withExifOrientation(
                TestImages.blocks(dir.resolve("two.jpg"), 32, 32, redTopLeft), 2, true), 3);
        assertThat(isRed(mirrored, 24, 8)).as("orientation 2: mirrored left to right").isTrue();
        DecodedImage anticlockwise = ImageFiles.readImage(TestImages.withExifOrientation(
                TestImages.blocks(dir.resolve("eight.jpg"), 32, 32, redTopLeft), 8, true), 3);
        assertThat(isRed(anticlockwise, 8, 24)).as("orientation 8: stored top-left shown bottom-left").isTrue();
    }

    @Test
    void everyOrientationMapsStoredPixelsAsExifDefinesIt() {
        // Stored 3 x 2: a b c / d e f.
        int[] stored = {'a', 'b', 'c', 'd', 'e', 'f'};
        String[] shown = {"abc/def", "cba/fed", "fed/cba", "def/abc", "ad/be/cf", "da/eb/fc", "fc/eb/da", "cf/be/ad"};
        for (int value = 1; value <= 8; value++) {
            ExifOrientation.Oriented oriented = ExifOrientation.of(value).apply(stored, 3, 2);
            StringBuilder rows = new StringBuilder();
            for (int y = 0; y < oriented.height(); y++) {
                rows.append(y == 0 ? "" : "/");
                for (int x = 0; x < oriented.width(); x++) {
                    rows.append((char) oriented.rgb()[y * oriented.width() + x]);
                }
            }
            assertThat(rows.toString()).as("orientation %d", value).isEqualTo(shown[value - 1]);
        }
    }

    @Test
    void aPortraitPhotoValidatesAgainstItsPortraitMask() {
        Path images = dir.resolve("data/images");
        TestImages.withExifOrientation(TestImages.blocks(images.resolve("a.jpg"), 32, 16, new int[][] {{RED, BLUE}}),
                6, true);
        TestImages.greyFill(dir.resolve("data/masks/a.png"), 16, 32, 1);
        ValidationReport report = DatasetValidator.validate(SegmentationFolderConfig.of(dir.resolve("data"), 2));
        assertThat(report.problems()).isEmpty();
        assertThat(report.training()).hasSize(1);
    }

    @Test
    void anImpossibleOrientationIsRefusedNamingIt() {
        Path photo = TestImages.withExifOrientation(TestImages.blocks(dir.resolve("odd.jpg"), 16, 16,
                new int[][] {{RED}}), 9, true);
        assertThatThrownBy(() -> ImageFiles.readImage(photo, 3)).isInstanceOf(BadFileException.class)
                .hasMessageStartingWith(photo + ": EXIF orientation 9 is not one of 1 to 8");
    }

    /** The JDK decodes a truncated JPEG with a warning only, and grey where the data ends. */
    @Test
    void aTruncatedJpegIsAnErrorNamingTheFile() {
        Path cut = TestImages.truncatedJpeg(dir.resolve("cut.jpg"), 128, 60);
        assertThatThrownBy(() -> ImageFiles.readImage(cut, 3)).isInstanceOf(BadFileException.class)
                .hasMessageStartingWith(cut + ": corrupt or truncated image: the JPEG decoder warned: ")
                .hasMessageContaining("Truncated File - Missing EOI marker");
    }

    @Test
    void anImageOverTheLimitIsRefusedFromItsHeaderWithTheWayToRaiseIt() {
        Path huge = TestImages.pngHeaderOnly(dir.resolve("huge.png"), 20_000, 20_000);
        assertThatThrownBy(() -> ImageFiles.readImage(huge, 3)).isInstanceOf(BadFileException.class)
                .hasMessage(huge + ": its header declares 20,000 x 20,000 = 400,000,000 pixels, more than the limit of"
                        + " 100,000,000 (a guard against corrupt or hostile headers); if the image is real, raise the"
                        + " limit with -Dmdunet.image.maxPixels=400000000 (about 4577 MiB of memory per image as float"
                        + " RGB)");
        Path small = TestImages.solid(dir.resolve("small.png"), 16, 16, RED);
        System.setProperty(ImageFiles.MAX_PIXELS_PROPERTY, "100");
        assertThatThrownBy(() -> ImageFiles.readImage(small, 3)).hasMessageContaining("more than the limit of 100 ");
        System.setProperty(ImageFiles.MAX_PIXELS_PROPERTY, "256");
        assertThat(ImageFiles.readImage(small, 3).width()).isEqualTo(16);
        System.setProperty(ImageFiles.MAX_PIXELS_PROPERTY, "lots");
        assertThatThrownBy(() -> ImageFiles.readImage(small, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("system property mdunet.image.maxPixels must be a whole number of pixels >= 1"
                        + " but was 'lots'");
    }

    /** Width x height beyond any array: refused from the header, and the validation report still covers the rest. */
    @Test
    void aHostileHeaderIsOneProblemOfTheReportNotTheEndOfIt() {
        Path root = dir.resolve("data");
        TestImages.solid(root.resolve("images/good.png"), 16, 16, RED);
        TestImages.greyFill(root.resolve("masks/good.png"), 16, 16, 1);
        TestImages.pngHeaderOnly(root.resolve("images/hostile.png"), 65_535, 65_535);
        TestImages.greyFill(root.resolve("masks/hostile.png"), 16, 16, 1);
        ValidationReport report = DatasetValidator.validate(SegmentationFolderConfig.of(root, 2));
        assertThat(report.training()).extracting(pair -> pair.input().getFileName().toString())
                .containsExactly("good.png");
        assertThat(report.errors()).singleElement().hasToString("images/hostile.png: its header declares 65,535 x"
                + " 65,535 = 4,294,836,225 pixels, more than this reader can hold at all (715,827,882: three channels"
                + " in one Java array); a corrupt header, or split the image into tiles");
    }
}
