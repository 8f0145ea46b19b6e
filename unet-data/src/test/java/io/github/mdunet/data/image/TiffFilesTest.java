package io.github.mdunet.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.data.TestImages;
import io.github.mdunet.data.folder.FolderScanner;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TIFF images and masks (microscopy, remote sensing) read as PNGs do, with their depth and orientation checked. */
class TiffFilesTest {

    @TempDir
    Path folder;

    @Test
    void anRgbTiffReadsTheSamePixelsAsThePngOfTheSameImage() throws IOException {
        BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_3BYTE_BGR);
        for (int i = 0; i < 15; i++) {
            image.setRGB(i % 5, i / 5, 0x102030 * (i + 1) & 0xFFFFFF);
        }
        Path png = folder.resolve("a.png");
        Path tiff = write(image, "a.tif", 0);
        ImageIO.write(image, "png", png.toFile());

        assertThat(ImageFiles.readImage(tiff, 3).pixels()).containsExactly(ImageFiles.readImage(png, 3).pixels());
        assertThat(ImageFiles.readHeader(tiff)).extracting(ImageFiles.Header::width, ImageFiles.Header::height,
                ImageFiles.Header::kind, ImageFiles.Header::bitsPerSample, ImageFiles.Header::format)
                .containsExactly(5, 3, ImageFiles.PixelKind.RGB, 8, "tif");
    }

    /** A microscope's 16-bit TIFF, turned by its orientation tag as an 8-bit one is. */
    @Test
    void aSixteenBitTiffReadsAtFullPrecisionAndTurnsByItsTag() throws IOException {
        BufferedImage stored = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        stored.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {514, 65535});
        Path tiff = write(stored, "deep.tiff", 6);

        assertThat(ImageFiles.depthProblem(ImageFiles.readHeader(tiff))).isEmpty();
        DecodedImage upright = ImageFiles.readImage(tiff, 1);
        assertThat(List.of(upright.width(), upright.height())).containsExactly(1, 2);
        assertThat(upright.pixels()).containsExactly(2f, 255f);
    }

    /** Signed 16-bit samples (some scientific cameras' TIFFs) have no 0-65535 range to scale by. */
    @Test
    void aSignedSixteenBitTiffIsRefusedFromItsHeader() throws IOException {
        ComponentColorModel signed = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_SHORT);
        Path tiff = write(new BufferedImage(signed, signed.createCompatibleWritableRaster(2, 2), false, null),
                "signed.tif", 0);

        String refusal = tiff + ": TIFF of signed integer samples (SampleFormat 2); expected unsigned 8- or 16-bit"
                + " integers";
        assertThatThrownBy(() -> ImageFiles.readHeader(tiff)).isInstanceOf(BadFileException.class)
                .hasMessageStartingWith(refusal);
        assertThatThrownBy(() -> ImageFiles.readMask(tiff, new MaskEncoding.ClassIds(), 2))
                .isInstanceOf(BadFileException.class).hasMessageStartingWith(refusal);
    }

    /** The JDK's reader hands a half-float TIFF's bits over as unsigned integers: read so, they are noise. */
    @Test
    void aHalfFloatTiffIsRefusedFromItsHeaderNotReadAsIntegers() throws IOException {
        Path tiff = write(new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY), "half.tif", 0);
        // The JDK's writer writes no half floats: its unsigned 16-bit file, relabelled in its SampleFormat entry.
        byte[] bytes = Files.readAllBytes(tiff);
        java.nio.ByteBuffer buffer = littleOrBigEndian(bytes);
        int directory = buffer.getInt(4);
        for (int entry = 0; entry < Short.toUnsignedInt(buffer.getShort(directory)); entry++) {
            int at = directory + 2 + 12 * entry;
            if (Short.toUnsignedInt(buffer.getShort(at)) == BaselineTIFFTagSet.TAG_SAMPLE_FORMAT) {
                buffer.putShort(at + 8, (short) BaselineTIFFTagSet.SAMPLE_FORMAT_FLOATING_POINT);
            }
        }
        Files.write(tiff, bytes);

        assertThatThrownBy(() -> ImageFiles.readHeader(tiff)).isInstanceOf(BadFileException.class)
                .hasMessageStartingWith(tiff + ": TIFF of floating-point samples (SampleFormat 3)");
        assertThatThrownBy(() -> ImageFiles.readImage(tiff, 1)).isInstanceOf(BadFileException.class)
                .hasMessageStartingWith(tiff + ": TIFF of floating-point samples (SampleFormat 3)");
    }

    /** The JDK's reader makes a 16-bit CMYK TIFF RGB with alpha: read so, its colours would be inverted. */
    @Test
    void aSixteenBitCmykTiffIsRefusedFromItsHeader() throws IOException {
        ComponentColorModel cmyk = new ComponentColorModel(new Cmyk(), false, false, Transparency.OPAQUE,
                DataBuffer.TYPE_USHORT);
        Path tiff = write(new BufferedImage(cmyk, cmyk.createCompatibleWritableRaster(2, 2), false, null),
                "print.tif", 0);

        assertThatThrownBy(() -> ImageFiles.readHeader(tiff)).isInstanceOf(BadFileException.class)
                .hasMessageStartingWith(tiff + ": 16-bit TIFF of photometric interpretation 5 (CMYK); a 16-bit TIFF is"
                        + " read as grey (1) or RGB (2) only");
    }

    /** A damaged file whose page chain points back to its first page: counted to a bound, not followed forever. */
    @Test
    @Timeout(60)
    void aPageChainThatLoopsBackIsCountedToABound() throws IOException {
        BufferedImage page = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        Path tiff = writePages("loop.tif", page, page);
        byte[] bytes = Files.readAllBytes(tiff);
        java.nio.ByteBuffer buffer = littleOrBigEndian(bytes);
        int first = buffer.getInt(4);
        int firstNext = first + 2 + 12 * Short.toUnsignedInt(buffer.getShort(first));
        int second = buffer.getInt(firstNext);
        buffer.putInt(second + 2 + 12 * Short.toUnsignedInt(buffer.getShort(second)), first);
        Files.write(tiff, bytes);

        assertThatThrownBy(() -> ImageFiles.readHeader(tiff)).isInstanceOf(BadFileException.class)
                .hasMessageStartingWith(tiff + ": a TIFF stack: ");
    }

    /** The bytes of a TIFF file in its own byte order ("II" little-endian, "MM" big-endian). */
    private static java.nio.ByteBuffer littleOrBigEndian(byte[] tiff) {
        return java.nio.ByteBuffer.wrap(tiff).order(tiff[0] == 'I' ? java.nio.ByteOrder.LITTLE_ENDIAN
                : java.nio.ByteOrder.BIG_ENDIAN);
    }

    /** A CMYK colour space for writing a 16-bit CMYK TIFF (no ICC profile needed). */
    private static final class Cmyk extends ColorSpace {
        private static final long serialVersionUID = 1L;

        Cmyk() {
            super(ColorSpace.TYPE_CMYK, 4);
        }

        @Override
        public float[] toRGB(float[] value) {
            float black = 1 - value[3];
            return new float[] {(1 - value[0]) * black, (1 - value[1]) * black, (1 - value[2]) * black};
        }

        @Override
        public float[] fromRGB(float[] rgb) {
            return new float[] {1 - rgb[0], 1 - rgb[1], 1 - rgb[2], 0};
        }

        @Override
        public float[] toCIEXYZ(float[] value) {
            return ColorSpace.getInstance(ColorSpace.CS_sRGB).toCIEXYZ(toRGB(value));
        }

        @Override
        public float[] fromCIEXYZ(float[] xyz) {
            return fromRGB(ColorSpace.getInstance(ColorSpace.CS_sRGB).fromCIEXYZ(xyz));
        }
    }

    /** Its depth is known from the header alone: predict checks every header before writing. */
    @Test
    void aFloatingPointTiffIsRefusedFromItsHeaderNamingTheFile() {
        Path tiff = TestImages.float32(folder.resolve("float.tif"), 4, 4);

        assertThat(ImageFiles.depthProblem(ImageFiles.readHeader(tiff))).hasValueSatisfying(problem ->
                assertThat(problem).startsWith("32-bit grey TIF; expected 8 or 16 bits per channel"));
        assertThatThrownBy(() -> ImageFiles.readImage(tiff, 3)).isInstanceOf(BadFileException.class)
                .hasMessageStartingWith(tiff + ": 32-bit grey TIF; expected 8 or 16 bits per channel");
        assertThatThrownBy(() -> ImageFiles.readMask(tiff, new MaskEncoding.ClassIds(), 2))
                .isInstanceOf(BadFileException.class)
                .hasMessageStartingWith(tiff + ": 32-bit grey TIF; expected an 8-bit greyscale mask");
    }

    @Test
    void greyAndBilevelTiffMasksReadAsClassIds() throws IOException {
        BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 2, 1});
        BufferedImage bilevel = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY);
        bilevel.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {1, 0, 1});

        assertThat(ImageFiles.readMask(write(grey, "grey.tif", 0), new MaskEncoding.ClassIds(), 3).ids())
                .containsExactly(0, 2, 1);
        assertThat(ImageFiles.readMask(write(bilevel, "bilevel.tif", 0), new MaskEncoding.ClassIds(), 2).ids())
                .containsExactly(1, 0, 1);
    }

    /** Orientation 6 (rotate 90 degrees clockwise to display), as a JPEG's EXIF tag is applied. */
    @Test
    void aTiffsOrientationTagIsAppliedAsAJpegsIs() throws IOException {
        BufferedImage stored = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        stored.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {10, 20});
        Path tiff = write(stored, "turned.tif", 6);

        assertThat(ImageFiles.readHeader(tiff)).extracting(ImageFiles.Header::width, ImageFiles.Header::height,
                ImageFiles.Header::orientation).containsExactly(1, 2, ExifOrientation.RIGHT_TOP);
        DecodedImage upright = ImageFiles.readImage(tiff, 1);
        assertThat(List.of(upright.width(), upright.height())).containsExactly(1, 2);
        assertThat(upright.pixels()).containsExactly(10f, 20f);

        // a mask with the tag turns with it, so that it stays on its image
        BufferedImage storedMask = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        storedMask.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {0, 1});
        LabelMask mask = ImageFiles.readMask(write(storedMask, "turned_mask.tif", 6), new MaskEncoding.ClassIds(), 2);
        assertThat(List.of(mask.width(), mask.height())).containsExactly(1, 2);
        assertThat(mask.ids()).containsExactly(0, 1);
    }

    @Test
    void anOrientationTagOutsideOneToEightIsRefusedNamingTheFile() throws IOException {
        Path tiff = write(new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY), "odd.tif", 9);

        assertThatThrownBy(() -> ImageFiles.readImage(tiff, 1)).isInstanceOf(BadFileException.class)
                .hasMessageStartingWith(tiff + ": TIFF orientation tag is 9, expected 1 to 8");
    }

    @Test
    void aFolderOfTiffImagesAndMasksIsPaired() throws IOException {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage mask = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        Files.createDirectories(folder.resolve("images"));
        Files.createDirectories(folder.resolve("masks"));
        write(image, "images/a.tif", 0);
        write(image, "images/b.TIFF", 0);
        write(mask, "masks/a_mask.tiff", 0);
        write(mask, "masks/b_mask.tif", 0);

        FolderScanner.Scan scan = FolderScanner.pairByStem(folder.resolve("images"), folder.resolve("masks"),
                List.of("_mask"), "image", "mask");

        assertThat(scan.problems()).isEmpty();
        assertThat(scan.pairs()).extracting(pair -> pair.input().getFileName() + " -> " + pair.target().getFileName())
                .containsExactly("a.tif -> a_mask.tiff", "b.TIFF -> b_mask.tif");
    }

    /** A microscope's z-stack or a multi-page scan: reading its first page alone would drop the rest unseen. */
    @Test
    void aStackOfSameSizePagesIsRefusedNamingItsPages() throws IOException {
        BufferedImage page = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        Path stack = writePages("stack.tif", page, page, page);

        String refusal = stack + ": a TIFF stack: 3 pages of 4 x 3, where only single images are read";
        assertThatThrownBy(() -> ImageFiles.readHeader(stack)).isInstanceOf(BadFileException.class)
                .hasMessageStartingWith(refusal);
        assertThatThrownBy(() -> ImageFiles.readImage(stack, 1)).isInstanceOf(BadFileException.class)
                .hasMessageStartingWith(refusal).hasMessageContaining("save each page as a file of its own");
        assertThatThrownBy(() -> ImageFiles.readMask(stack, new MaskEncoding.ClassIds(), 2))
                .isInstanceOf(BadFileException.class).hasMessageStartingWith(refusal);
    }

    /** A thumbnail or a pyramid's smaller levels are not pictures of their own: the first page is the image. */
    @Test
    void laterPagesOfAnotherSizeLeaveTheFirstPageAsTheImage() throws IOException {
        BufferedImage full = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
        full.getRaster().setSamples(0, 0, 4, 2, 0, new int[] {1, 2, 3, 4, 5, 6, 7, 8});
        BufferedImage thumbnail = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        Path tiff = writePages("pyramid.tif", full, thumbnail);

        assertThat(ImageFiles.readHeader(tiff)).extracting(ImageFiles.Header::width, ImageFiles.Header::height)
                .containsExactly(4, 2);
        assertThat(ImageFiles.readImage(tiff, 1).pixels()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f);
    }

    /** Writes {@code pages} as the pages of one uncompressed TIFF. */
    private Path writePages(String name, BufferedImage... pages) throws IOException {
        Path file = folder.resolve(name);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (BufferedImage page : pages) {
                writer.writeToSequence(new IIOImage(page, null, null), writer.getDefaultWriteParam());
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return file;
    }

    /** Writes {@code image} as an uncompressed TIFF, with the orientation tag {@code orientation} unless it is 0. */
    private Path write(BufferedImage image, String name, int orientation) throws IOException {
        Path file = folder.resolve(name);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            TIFFDirectory directory = TIFFDirectory.createFromMetadata(
                    writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param));
            if (orientation != 0) {
                directory.addTIFFField(new TIFFField(BaselineTIFFTagSet.getInstance().getTag(
                        BaselineTIFFTagSet.TAG_ORIENTATION), TIFFTag.TIFF_SHORT, 1, new char[] {(char) orientation}));
            }
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, directory.getAsMetadata()), param);
        } finally {
            writer.dispose();
        }
        return file;
    }
}
