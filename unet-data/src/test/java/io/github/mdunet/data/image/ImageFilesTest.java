package io.github.mdunet.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.data.TestImages;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {

    @TempDir
    Path dir;

    @Test
    void readsRgbInRgbOrderAsRawValues() {
        Path file = TestImages.rgb(dir.resolve("a.png"), 2, 1, new int[] {0xFF0000, 0x0080FF});
        DecodedImage image = ImageFiles.readImage(file, 3);
        assertThat(image.channels()).isEqualTo(3);
        assertThat(new float[] {image.at(0, 0, 0), image.at(1, 0, 0), image.at(2, 0, 0)}).containsExactly(255, 0, 0);
        assertThat(new float[] {image.at(0, 0, 1), image.at(1, 0, 1), image.at(2, 0, 1)}).containsExactly(0, 128, 255);
    }

    /** Class probabilities or an upscaled copy beyond one Java array: refused naming the file, size and fix. */
    @Test
    void arraysBeyondAJavaArrayAreRefusedNamingTheFileAndTheFix() {
        Path photo = dir.resolve("pano.jpg");
        ImageFiles.requireArrayFits(photo, "21 class probabilities", 21, 10_000, 10_000, "tile it");
        assertThatThrownBy(() -> ImageFiles.requireArrayFits(photo, "22 class probabilities", 22, 10_000, 10_000,
                "tile it"))
                .isInstanceOf(BadFileException.class)
                .hasMessage(photo + ": its 22 class probabilities at 10,000 x 10,000 pixels are 2,200,000,000 values,"
                        + " more than one Java array holds (2,147,483,639); tile it");
    }

    @Test
    void greyImagesAreReplicatedAndColourImagesConvertedToLuma() {
        Path grey = TestImages.greyFill(dir.resolve("g.png"), 3, 2, 77);
        DecodedImage rgb = ImageFiles.readImage(grey, 3);
        assertThat(rgb.pixels()).containsOnly(77f);
        Path red = TestImages.solid(dir.resolve("r.png"), 2, 2, 0xFF0000);
        assertThat(ImageFiles.readImage(red, 1).pixels()).usingComparatorWithPrecision(1e-3f)
                .containsOnly(76.245f);
    }

    @Test
    void paletteImageIsReadAsItsColours() {
        Path file = TestImages.palette(dir.resolve("p.png"), 2, 1, new int[] {0x102030, 0xFF0000}, new int[] {1, 0});
        assertThat(ImageFiles.readHeader(file).kind()).isEqualTo(ImageFiles.PixelKind.PALETTE);
        DecodedImage image = ImageFiles.readImage(file, 3);
        assertThat(new float[] {image.at(0, 0, 0), image.at(1, 0, 0), image.at(2, 0, 0)}).containsExactly(255, 0, 0);
        assertThat(image.at(2, 0, 1)).isEqualTo(0x30);
    }

    /** Microscopes' and scientific cameras' 16-bit images: every bit kept, on the scale of 8-bit ones. */
    @Test
    void sixteenBitPngsReadAtFullPrecisionOnTheEightBitScale() {
        Path grey = TestImages.grey16(dir.resolve("images/deep.png"), 2, 1, 1000);
        assertThat(ImageFiles.readHeader(grey).bitsPerSample()).isEqualTo(16);
        assertThat(ImageFiles.depthProblem(ImageFiles.readHeader(grey))).isEmpty();
        assertThat(ImageFiles.readImage(grey, 3).pixels()).containsExactly(1000 / 257f, 1000 / 257f, 1000 / 257f,
                1000 / 257f, 1000 / 257f, 1000 / 257f);

        Path rgb = TestImages.rgb16(dir.resolve("images/colour.png"), 2, 1, new int[] {65535, 257, 0, 1, 2, 3});
        assertThat(ImageFiles.readImage(rgb, 3).pixels()).containsExactly(255f, 1 / 257f, 1f, 2 / 257f, 0f,
                3 / 257f);
        assertThat(ImageFiles.readImage(rgb, 1).pixels()[0]).isCloseTo((float) (0.299 * 255 + 0.587 * 1),
                within(1e-4f));
        assertThat(ImageFiles.readImage(rgb, 3).depth()).isEqualTo(SampleDepth.SIXTEEN_BIT);
        assertThat(ImageFiles.readImage(grey, 1).depth()).isEqualTo(SampleDepth.SIXTEEN_BIT);
    }

    /** An image-to-image output written at a 16-bit input's depth reads back as it was, to the 16-bit level. */
    @Test
    void aSixteenBitPictureOfAnImageReadsBackAsTheImage() throws java.io.IOException {
        float[] values = {0f, 1000 / 257f, 254.9f, 255f, 12.25f, 300f};
        DecodedImage image = new DecodedImage(3, 1, 2, values, SampleDepth.SIXTEEN_BIT);
        Path file = dir.resolve("images/out.png");
        java.nio.file.Files.createDirectories(file.getParent());
        javax.imageio.ImageIO.write(image.toPictureAtDepth(), "png", file.toFile());

        assertThat(ImageFiles.readHeader(file).bitsPerSample()).isEqualTo(16);
        DecodedImage read = ImageFiles.readImage(file, 3);
        for (int i = 0; i < values.length; i++) {
            assertThat(read.pixels()[i]).as("value %d", i).isCloseTo(Math.min(values[i], 255f), within(0.5f / 257));
        }
        assertThat(read.depth()).isEqualTo(SampleDepth.SIXTEEN_BIT);
    }

    /** An 8-bit file's image says so, and its picture at depth is an 8-bit one. */
    @Test
    void anEightBitImageKeepsItsDepth() throws java.io.IOException {
        Path file = TestImages.rgb(dir.resolve("images/plain.png"), 2, 1, new int[] {0x102030, 0xFFFE01});
        DecodedImage image = ImageFiles.readImage(file, 3);
        assertThat(image.depth()).isEqualTo(SampleDepth.EIGHT_BIT);
        Path copy = dir.resolve("images/copy.png");
        javax.imageio.ImageIO.write(image.toPictureAtDepth(), "png", copy.toFile());
        assertThat(ImageFiles.readHeader(copy).bitsPerSample()).isEqualTo(8);
        assertThat(ImageFiles.readImage(copy, 3).pixels()).containsExactly(image.pixels());
    }

    /** Label maps exported as 16-bit greys (ITK, 3D Slicer) hold class ids; a value map reads 8-bit grey levels. */
    @Test
    void aSixteenBitGreyMaskHoldsClassIdsAndIsRefusedForAValueMap() {
        Path mask = TestImages.grey16(dir.resolve("masks/deep.png"), 2, 2, 2);
        assertThat(ImageFiles.readMask(mask, new MaskEncoding.ClassIds(), 3).ids()).containsExactly(2, 2, 2, 2);
        assertThatThrownBy(() -> ImageFiles.readMask(mask, new MaskEncoding.ClassIds(), 2))
                .isInstanceOf(ClassIdRangeException.class).hasMessageContaining("deep.png");
        assertThatThrownBy(() -> ImageFiles.readMask(mask, MaskEncoding.ValueMap.binary255(), 2))
                .isInstanceOf(BadFileException.class)
                .hasMessageContaining("deep.png: 16-bit grey PNG; expected an 8-bit greyscale mask (a 16-bit"
                        + " greyscale mask is read as class ids only");
    }

    @Test
    void paletteMaskIsRejectedAsClassIdsButReadByPaletteEncoding() {
        Path file = TestImages.palette(dir.resolve("masks/voc.png"), 2, 2, new int[] {0x000000, 0x800000},
                new int[] {0, 1, 1, 0});
        assertThatThrownBy(() -> ImageFiles.readMask(file, new MaskEncoding.ClassIds(), 2))
                .isInstanceOf(BadFileException.class)
                .hasMessageContaining("voc.png")
                .hasMessageContaining("palette (indexed-colour) PNG with colours (palette entry 1 is #800000);"
                        + " expected a greyscale mask of class ids")
                .hasMessageContaining("if its palette indices are the class ids (Pascal VOC, labelme), read them:"
                        + " --mask-palette-indices on the command line, MaskEncoding.PaletteIndices in Java; or map"
                        + " its colours to class ids")
                .hasMessageContaining("MaskEncoding.Palette")
                .hasMessageNotContaining("convert it to greyscale");
        LabelMask mask = ImageFiles.readMask(file, new MaskEncoding.Palette(Map.of(0x000000, 0, 0x800000, 1)), 2);
        assertThat(mask.ids()).containsExactly(0, 1, 1, 0);
    }

    /**
     * Pascal VOC's SegmentationClass PNGs: the palette index is the class id (1, aeroplane, shown #800000; 255 the
     * borders), as PIL reads them. Converted to greyscale, index 1 would read as 38.
     */
    @Test
    void paletteIndicesAreClassIdsWithPaletteIndices() {
        int[] vocPalette = new int[256];
        vocPalette[1] = 0x800000;
        vocPalette[2] = 0x008000;
        vocPalette[255] = 0xE0E0C0;
        Path file = TestImages.palette(dir.resolve("masks/2007_000032.png"), 4, 1, vocPalette,
                new int[] {0, 1, 2, 255});
        assertThat(ImageFiles.readMask(file, MaskEncoding.PaletteIndices.pascalVoc(), 3).ids())
                .containsExactly(0, 1, 2, LabelMask.IGNORED);
        assertThatThrownBy(() -> ImageFiles.readMask(file, new MaskEncoding.PaletteIndices(), 3))
                .isInstanceOfSatisfying(ClassIdRangeException.class, e -> assertThat(e.storedIds()).isTrue())
                .hasMessageEndingWith("ignore it: --mask-ignore 255 on the command line,"
                        + " MaskEncoding.PaletteIndices(Set.of(255)) in Java");
        // A 1-bit indexed PNG's indices, whatever its two colours; a grey mask in the same folder reads as class ids.
        Path twoColours = TestImages.indexed(dir.resolve("masks/labelme.png"), 1, 2, 1, new int[] {0x000000,
            0xFF0000}, new int[] {1, 0});
        assertThat(ImageFiles.readMask(twoColours, new MaskEncoding.PaletteIndices(), 2).ids()).containsExactly(1, 0);
        Path grey = TestImages.grey(dir.resolve("masks/grey.png"), 2, 1, new int[] {2, 0});
        assertThat(ImageFiles.readMask(grey, new MaskEncoding.PaletteIndices(), 3).ids()).containsExactly(2, 0);
        Path rgb = TestImages.rgb(dir.resolve("masks/rgb.png"), 2, 1, new int[] {0x000000, 0x800000});
        assertThatThrownBy(() -> ImageFiles.readMask(rgb, new MaskEncoding.PaletteIndices(), 2))
                .hasMessageContaining("rgb.png: colour mask (pixel x=1, y=0 is #800000); expected an indexed-colour"
                        + " (palette) mask, whose indices are the class ids, or a greyscale one, or map its colours");
    }

    /**
     * Binary masks saved as black and white (ISIC, Carvana): 255 is no class id and no border to ignore (ignoring it
     * trained on the background alone). The fix named first reads 255 as class 1.
     */
    @Test
    void aMaskOfZeroAndOneOtherValueIsNamedABinaryMaskWithTheValueMapFixFirst() {
        Path file = TestImages.grey(dir.resolve("masks/isic.png"), 4, 1, new int[] {0, 255, 255, 0});
        assertThatThrownBy(() -> ImageFiles.readMask(file, new MaskEncoding.ClassIds(), 2))
                .isInstanceOfSatisfying(ClassIdRangeException.class,
                        e -> assertThat(e.binaryMask()).contains(new ClassIdRangeException.BinaryMask(255, 8)))
                .hasMessage(file + ": class id 255 outside 0..1 (numClasses 2), 2 pixels, first at x=1, y=0; the"
                        + " mask holds only 0 and 255, so it looks like a binary mask stored as 0/255: read 255 as"
                        + " class 1, --mask-values 0=0,255=1 on the command line, MaskEncoding.ValueMap.binary255()"
                        + " in Java; or, if 255 is a class id, give numClasses 256 or more");
        Path seven = TestImages.grey(dir.resolve("masks/seven.png"), 2, 1, new int[] {0, 7});
        assertThatThrownBy(() -> ImageFiles.readMask(seven, new MaskEncoding.ClassIds(), 2))
                .hasMessageContaining("--mask-values 0=0,7=1 on the command line,"
                        + " new MaskEncoding.ValueMap(Map.of(0, 0, 7, 1)) in Java");
        // Read for one class, a mask of 0 and 1 needs two classes, not a value map.
        Path other = TestImages.grey(dir.resolve("masks/carvana.png"), 2, 1, new int[] {0, 1});
        assertThatThrownBy(() -> ImageFiles.readMask(other, new MaskEncoding.ClassIds(), 1))
                .isInstanceOfSatisfying(ClassIdRangeException.class, e -> assertThat(e.binaryMask()).isEmpty())
                .hasMessageContaining("give numClasses 2 or more");
        // Another id in range, or two stray ones: not a binary mask, the usual fixes.
        Path three = TestImages.grey(dir.resolve("masks/three.png"), 3, 1, new int[] {0, 1, 255});
        assertThatThrownBy(() -> ImageFiles.readMask(three, new MaskEncoding.ClassIds(), 2))
                .isInstanceOfSatisfying(ClassIdRangeException.class, e -> assertThat(e.binaryMask()).isEmpty())
                .hasMessageContaining("--mask-ignore 255");
    }

    /**
     * A binary mask in 2 bits reads its foreground as the grey value a value map sees (3 of 0-3 as 255); one in 16
     * bits, which a value map does not read, is to be saved in 8 bits; neither is told to ignore its foreground.
     */
    @Test
    void aBinaryMaskOfOtherBitsIsNamedWithTheFixThatReadsIt() throws Exception {
        Path twoBits = lowBitGrey("two-bits.png", 2, new int[] {0, 3, 3, 0});
        assertThatThrownBy(() -> ImageFiles.readMask(twoBits, new MaskEncoding.ClassIds(), 2))
                .hasMessageContaining("the mask holds only 0 and 3 (2-bit samples), so it looks like a binary mask"
                        + " stored as 0/3 in 2 bits: read 3 as class 1, --mask-values 0=0,255=1 on the command line")
                .hasMessageNotContaining("--mask-ignore");
        assertThat(ImageFiles.readMask(twoBits, MaskEncoding.ValueMap.binary255(), 2).ids())
                .as("the fix reads it").containsExactly(0, 1, 1, 0);

        Path sixteenBits = TestImages.grey16(dir.resolve("masks/deep.png"), 2, 1, new int[] {0, 65535});
        assertThatThrownBy(() -> ImageFiles.readMask(sixteenBits, new MaskEncoding.ClassIds(), 2))
                .hasMessageContaining("the mask holds only 0 and 65535 (16-bit samples), so it looks like a binary"
                        + " mask stored as 0/65535 in 16 bits, which a value map does not read: save it as an 8-bit"
                        + " mask of 0 and 1")
                .hasMessageNotContaining("--mask-ignore");
    }

    @Test
    void classIdOutsideTheDeclaredClassesNamesIdRangeAndPlace() {
        Path file = TestImages.grey(dir.resolve("masks/cat_01.png"), 3, 1, new int[] {0, 2, 7});
        assertThatThrownBy(() -> ImageFiles.readMask(file, new MaskEncoding.ClassIds(), 3))
                .hasMessage(file + ": class id 7 outside 0..2 (numClasses 3), 1 pixels, first at x=2, y=0; give"
                        + " numClasses 8 or more, or, if 7 marks pixels to leave out (as Pascal VOC's 255 borders),"
                        + " ignore it: --mask-ignore 7 on the command line, MaskEncoding.ClassIds(Set.of(7)) in"
                        + " Java");
    }

    /**
     * Ids 0 to 5 read for 4 classes: the fix once named the first stray id ("numClasses 5"), which was not enough,
     * and ignoring it only moved the error on to 5. The whole mask is scanned: the largest id decides.
     */
    @Test
    void classIdsOutsideTheDeclaredClassesNameTheLargestAndEachCount() {
        Path file = TestImages.grey(dir.resolve("masks/cat_02.png"), 6, 1, new int[] {0, 4, 1, 5, 4, 3});
        assertThatThrownBy(() -> ImageFiles.readMask(file, new MaskEncoding.ClassIds(), 4))
                .isInstanceOfSatisfying(ClassIdRangeException.class, e -> {
                    assertThat(e.largestId()).isEqualTo(5);
                    assertThat(e.ids()).containsExactly(4, 5);
                    assertThat(e.ignoreList()).isEqualTo("4,5");
                    assertThat(e.found()).isEqualTo("class ids 4 and 5 outside 0..3, 3 pixels (2 of id 4, 1 of id"
                            + " 5), first at x=1, y=0");
                    assertThat(e.problem("give --classes 6")).isEqualTo(e.found() + "; give --classes 6");
                })
                .hasMessage(file + ": class ids 4 and 5 outside 0..3 (numClasses 4), 3 pixels (2 of id 4, 1 of id 5),"
                        + " first at x=1, y=0; give numClasses 6 or more, or, if 4, 5 mark pixels to leave out (as"
                        + " Pascal VOC's 255 borders), ignore them: --mask-ignore 4,5 on the command line,"
                        + " MaskEncoding.ClassIds(Set.of(4, 5)) in Java");
        Path picture = TestImages.grey(dir.resolve("masks/photo.png"), 10, 1, new int[] {0, 10, 20, 30, 40, 50, 60,
            70, 80, 90});
        assertThatThrownBy(() -> ImageFiles.readMask(picture, new MaskEncoding.ClassIds(), 4))
                .hasMessageContaining("class ids 10 to 90 (9 values) outside 0..3 (numClasses 4), 9 pixels, first"
                        + " at x=1, y=0; give numClasses 91 or more, or ignore the values that mark pixels to leave"
                        + " out")
                .isInstanceOfSatisfying(ClassIdRangeException.class, e -> assertThat(e.ignoreList()).isEmpty());
    }

    @Test
    void oxfordTrimapValuesAreMappedAndUnknownValuesNamed() {
        Path file = TestImages.grey(dir.resolve("masks/pet.png"), 3, 1, new int[] {1, 2, 3});
        LabelMask mask = ImageFiles.readMask(file, MaskEncoding.ValueMap.oxfordPetTrimap(), 3);
        assertThat(mask.ids()).containsExactly(1, 0, 2);
        Path bad = TestImages.grey(dir.resolve("masks/pet2.png"), 2, 1, new int[] {1, 4});
        assertThatThrownBy(() -> ImageFiles.readMask(bad, MaskEncoding.ValueMap.oxfordPetTrimap(), 3))
                .hasMessageContaining("pet2.png: grey value 4 at x=1, y=0 (1 pixels) is not in the mask encoding"
                        + " ValueMap{1=1, 2=0, 3=2}");
    }

    @Test
    void rgbPaletteMasksMapColoursAndNameUnknownOnes() {
        Path file = TestImages.rgb(dir.resolve("masks/street.png"), 3, 1, new int[] {0x000000, 0x00FF00, 0x123456});
        MaskEncoding.Palette palette = new MaskEncoding.Palette(Map.of(0x000000, 0, 0x00FF00, 1));
        assertThatThrownBy(() -> ImageFiles.readMask(file, palette, 2))
                .hasMessageContaining("street.png: colour #123456 (1 pixels) is not in the mask encoding"
                        + " Palette{#000000=0, #00FF00=1}: add it to the palette, or, if it marks pixels to leave out"
                        + " (as Pascal VOC's #E0E0C0 borders), ignore it: --mask-ignore #123456 on the command line");
    }

    @Test
    void ignoredValuesAndColoursBecomeIgnoredPixelsAndOthersStayErrors() {
        Path voc = TestImages.grey(dir.resolve("masks/voc_ids.png"), 4, 1, new int[] {0, 1, 255, 1});
        assertThat(ImageFiles.readMask(voc, new MaskEncoding.ClassIds(Set.of(255)), 2).ids())
                .containsExactly(0, 1, LabelMask.IGNORED, 1);
        assertThatThrownBy(() -> ImageFiles.readMask(voc, new MaskEncoding.ClassIds(), 2))
                .hasMessageContaining("class id 255 outside 0..1");

        Path trimap = TestImages.grey(dir.resolve("masks/trimap.png"), 3, 1, new int[] {1, 2, 3});
        MaskEncoding.ValueMap borderIgnored = new MaskEncoding.ValueMap(Map.of(1, 1, 2, 0), Set.of(3));
        assertThat(ImageFiles.readMask(trimap, borderIgnored, 2).ids()).containsExactly(1, 0, LabelMask.IGNORED);

        Path colours = TestImages.rgb(dir.resolve("masks/voc_colours.png"), 3, 1,
                new int[] {0x000000, 0xE0E0C0, 0x123456});
        MaskEncoding.Palette palette = new MaskEncoding.Palette(Map.of(0x000000, 0), Set.of(0xE0E0C0));
        assertThatThrownBy(() -> ImageFiles.readMask(colours, palette, 2))
                .hasMessageContaining("colour #123456 (1 pixels) is not in the mask encoding"
                        + " Palette{#000000=0, #E0E0C0=ignored}");
        Path known = TestImages.rgb(dir.resolve("masks/voc_known.png"), 2, 1, new int[] {0xE0E0C0, 0x000000});
        assertThat(ImageFiles.readMask(known, palette, 2).ids()).containsExactly(LabelMask.IGNORED, 0);
    }

    @Test
    void colourMaskReadAsClassIdsIsRejectedUnlessGrey() {
        Path colour = TestImages.rgb(dir.resolve("masks/c.png"), 2, 1, new int[] {0x000000, 0xFF0000});
        assertThatThrownBy(() -> ImageFiles.readMask(colour, new MaskEncoding.ClassIds(), 2))
                .hasMessageContaining("c.png: colour mask (pixel x=1, y=0 is #FF0000); expected a greyscale mask");
        Path greyAsRgb = TestImages.rgb(dir.resolve("masks/g.png"), 2, 1, new int[] {0x000000, 0x010101});
        assertThat(ImageFiles.readMask(greyAsRgb, new MaskEncoding.ClassIds(), 2).ids()).containsExactly(0, 1);
    }

    @Test
    void corruptTruncatedAndMissingFilesAreNamed() {
        Path garbage = TestImages.garbage(dir.resolve("images/garbage.png"));
        assertThatThrownBy(() -> ImageFiles.readImage(garbage, 3)).isInstanceOf(BadFileException.class)
                .hasMessageContaining("garbage.png: not a readable image");
        Path truncated = TestImages.truncated(dir.resolve("images/half.png"), 32, 32);
        assertThatThrownBy(() -> ImageFiles.readImage(truncated, 3)).isInstanceOf(BadFileException.class)
                .hasMessageContaining("half.png: corrupt or truncated image");
        assertThatThrownBy(() -> ImageFiles.readImage(dir.resolve("nope.png"), 3))
                .hasMessageContaining("nope.png: not found");
    }

    @Test
    void jpegMaskIsRejectedAsLossy() {
        Path file = TestImages.solid(dir.resolve("masks/m.jpg"), 8, 8, 0x000000);
        assertThatThrownBy(() -> ImageFiles.readMask(file, new MaskEncoding.ClassIds(), 2))
                .hasMessageContaining("m.jpg: JPEG mask; expected a lossless PNG");
    }

    @Test
    void oneBitGreyMaskIsNotMistakenForAPalette() throws Exception {
        // ImageIO reads 1-bit grey PNGs with an IndexColorModel; only the PNG header tells them from palettes.
        java.awt.image.BufferedImage binary = new java.awt.image.BufferedImage(4, 1,
                java.awt.image.BufferedImage.TYPE_BYTE_BINARY);
        binary.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {0, 1, 1, 0});
        Path file = dir.resolve("bits.png");
        javax.imageio.ImageIO.write(binary, "png", file.toFile());
        assertThat(javax.imageio.ImageIO.read(file.toFile()).getColorModel())
                .isInstanceOf(java.awt.image.IndexColorModel.class);
        assertThat(ImageFiles.readHeader(file).kind()).isEqualTo(ImageFiles.PixelKind.GREY);
        assertThat(ImageFiles.readMask(file, new MaskEncoding.ClassIds(), 2).ids()).containsExactly(0, 1, 1, 0);
    }

    /** A greyscale PNG of {@code bits} bits per pixel (1, 2 or 4) with the stored values {@code values}. */
    private Path lowBitGrey(String name, int bits, int[] values) throws Exception {
        int levels = 1 << bits;
        byte[] ramp = new byte[levels];
        for (int i = 0; i < levels; i++) {
            ramp[i] = (byte) (i * 255 / (levels - 1));
        }
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(values.length, 1,
                java.awt.image.BufferedImage.TYPE_BYTE_BINARY,
                new java.awt.image.IndexColorModel(bits, levels, ramp, ramp, ramp));
        image.getRaster().setSamples(0, 0, values.length, 1, 0, values);
        Path file = dir.resolve(name);
        javax.imageio.ImageIO.write(image, "png", file.toFile());
        assertThat(ImageFiles.readHeader(file).kind()).isEqualTo(ImageFiles.PixelKind.GREY);
        assertThat(ImageFiles.readHeader(file).bitsPerSample()).isEqualTo(bits);
        return file;
    }

    @Test
    void lowBitGreyMasksAreClassIdsAsStoredAndGreyValuesAsShown() throws Exception {
        Path oneBit = lowBitGrey("bits.png", 1, new int[] {0, 1, 1, 0});
        assertThat(ImageFiles.readMask(oneBit, new MaskEncoding.ClassIds(), 2).ids()).containsExactly(0, 1, 1, 0);
        assertThat(ImageFiles.readMask(oneBit, MaskEncoding.ValueMap.binary255(), 2).ids())
                .containsExactly(0, 1, 1, 0);
        Path twoBit = lowBitGrey("two.png", 2, new int[] {0, 1, 2, 3});
        assertThat(ImageFiles.readMask(twoBit, new MaskEncoding.ClassIds(), 4).ids()).containsExactly(0, 1, 2, 3);
        assertThat(ImageFiles.readMask(twoBit, new MaskEncoding.ValueMap(Map.of(0, 0, 85, 1, 170, 2, 255, 3)), 4)
                .ids()).containsExactly(0, 1, 2, 3);
        assertThatThrownBy(() -> ImageFiles.readMask(twoBit, new MaskEncoding.ValueMap(Map.of(0, 0, 255, 1)), 2))
                .isInstanceOf(BadFileException.class)
                .hasMessageContaining("two.png: grey value 85 (stored as 1 in this 2-bit PNG, scaled to 0-255 as"
                        + " viewers show it; MaskEncoding.ClassIds reads the stored values 0..3 as class ids) at x=1,"
                        + " y=0 (1 pixels) is not in the mask encoding ValueMap{0=0, 255=1}");
    }

    /** An indexed-colour BMP or PNG (by its extension) of {@code bits} bits per pixel, one row of these indices. */
    private Path indexed(String name, int bits, int[] paletteRgb, int[] indices) throws Exception {
        Path file = TestImages.indexed(dir.resolve(name), bits, indices.length, 1, paletteRgb, indices);
        assertThat(javax.imageio.ImageIO.read(file.toFile()).getColorModel()).as(name + " is read back indexed")
                .isInstanceOf(java.awt.image.IndexColorModel.class);
        return file;
    }

    /**
     * A 1-bit BMP (black and white, as paint programs save them) was refused as a "palette (indexed-colour) PNG". A
     * palette of greys reads as a grey mask: the grey ramp of its depth as a grey PNG of that depth reads (class ids
     * as stored, grey values as shown), any other palette of greys as the greys shown; a colour in it names the format.
     */
    @Test
    void bmpMasksWithAPaletteOfGreysReadAsGreyPngsDoAndColourPalettesNameTheirFormat() throws Exception {
        Path oneBit = indexed("bits.bmp", 1, new int[] {0x000000, 0xFFFFFF}, new int[] {0, 1, 1, 0});
        assertThat(ImageFiles.readMask(oneBit, new MaskEncoding.ClassIds(), 2).ids()).containsExactly(0, 1, 1, 0);
        assertThat(ImageFiles.readMask(oneBit, MaskEncoding.ValueMap.binary255(), 2).ids())
                .containsExactly(0, 1, 1, 0);
        int[] ramp = new int[16];
        for (int i = 0; i < 16; i++) {
            ramp[i] = i * 17 * 0x010101;
        }
        Path fourBit = indexed("four.bmp", 4, ramp, new int[] {0, 1, 3});
        assertThat(ImageFiles.readMask(fourBit, new MaskEncoding.ClassIds(), 4).ids()).containsExactly(0, 1, 3);
        assertThatThrownBy(() -> ImageFiles.readMask(fourBit, new MaskEncoding.ValueMap(Map.of(0, 0, 51, 1)), 2))
                .hasMessageContaining("four.bmp: grey value 17 (stored as 1 in this 4-bit BMP, scaled to 0-255");

        // Not the ramp (white first): the greys shown, as viewers show them.
        Path inverted = indexed("inverted.bmp", 1, new int[] {0xFFFFFF, 0x000000}, new int[] {0, 1});
        assertThat(ImageFiles.readMask(inverted, MaskEncoding.ValueMap.binary255(), 2).ids()).containsExactly(1, 0);
        Path greyPalettePng = indexed("greys.png", 8, new int[] {0x000000, 0x020202, 0x010101}, new int[] {1, 2, 0});
        assertThat(ImageFiles.readMask(greyPalettePng, new MaskEncoding.ClassIds(), 3).ids())
                .containsExactly(2, 1, 0);

        int[] withRed = ramp.clone();
        withRed[3] = 0xFF0000;
        Path colour = indexed("colour.bmp", 4, withRed, new int[] {0, 1});
        assertThatThrownBy(() -> ImageFiles.readMask(colour, new MaskEncoding.ClassIds(), 2))
                .isInstanceOf(BadFileException.class)
                .hasMessage(colour + ": palette (indexed-colour) BMP with colours (palette entry 3 is"
                        + " #FF0000); expected a greyscale mask of class ids (grey pixels, or a palette of greys only,"
                        + " read as the greys shown): if its palette indices are the class ids (Pascal VOC, labelme),"
                        + " read them: " + ImageFiles.PALETTE_INDICES_FIX + "; or map its colours to class ids: "
                        + ImageFiles.PALETTE_FIX + " (converting it to greyscale would turn the ids into the greys of"
                        + " their colours)");
    }

    @Test
    void rgbaPngAndJpegAreReadInRgbOrderWithAlphaDropped() throws Exception {
        java.awt.image.BufferedImage rgba = new java.awt.image.BufferedImage(2, 1,
                java.awt.image.BufferedImage.TYPE_4BYTE_ABGR);
        rgba.setRGB(0, 0, 0x80FF0000);
        rgba.setRGB(1, 0, 0xFF0000FF);
        Path file = dir.resolve("alpha.png");
        javax.imageio.ImageIO.write(rgba, "png", file.toFile());
        DecodedImage image = ImageFiles.readImage(file, 3);
        assertThat(new float[] {image.at(0, 0, 0), image.at(1, 0, 0), image.at(2, 0, 0)}).containsExactly(255, 0, 0);
        assertThat(new float[] {image.at(0, 0, 1), image.at(1, 0, 1), image.at(2, 0, 1)}).containsExactly(0, 0, 255);
        DecodedImage jpeg = ImageFiles.readImage(TestImages.solid(dir.resolve("red.jpg"), 8, 8, 0xFF0000), 3);
        assertThat(jpeg.at(0, 4, 4)).isGreaterThan(240f);
        assertThat(jpeg.at(2, 4, 4)).isLessThan(15f);
    }
}
