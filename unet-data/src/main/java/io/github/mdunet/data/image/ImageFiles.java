package io.github.mdunet.data.image;

import io.github.mdunet.core.checks.Checks;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Reads images and masks with {@code javax.imageio} (no OpenCV, no 4 s first load), in RGB order with raw 0-255
 * values, and rejects what would be silently misread. A 16-bit image (PNG or TIFF: microscopes, scientific cameras,
 * satellites) is read at its full precision on the same scale, {@code value / 257} (65535 is 255), as
 * scikit-image's {@code img_as_float} and torchvision's {@code ToDtype(scale=True)} scale by the type's range, or by
 * the range of the bits that hold its values when the caller gives them ({@link #readImage(Path, int, int)}: 4095 is
 * 255 at 12 bits); a 16-bit grey mask holds class ids.
 *
 * <p>Checked explicitly, since ImageIO reads them without complaint: samples of more than 16 bits or not unsigned
 * integers (32-bit and floating-point TIFFs: rejected, the scale is the data's), palette (indexed) PNG or BMP masks
 * with a colour in their palette read as class ids or grey values (rejected: the stored value is a palette index,
 * not the colour shown; use {@link MaskEncoding.PaletteIndices} for the indices, {@link MaskEncoding.Palette} for the
 * colours; a palette of greys only reads as the greys it shows), and lossy JPEG masks (rejected: compression invents
 * values at edges). Palette images are accepted and converted to their colours. Alpha is dropped.
 *
 * <p>Also checked, since ImageIO would read them silently or fail outside any message: a JPEG's EXIF orientation is
 * applied, so images come out upright as photo viewers show them ({@link ExifOrientation}); a warning from the decoder
 * (a truncated JPEG is decoded with grey where its data ends) is an error naming the file; and an image whose header
 * declares more than {@link #maxPixels()} pixels is refused before anything is decoded (raise the limit with the
 * system property {@value #MAX_PIXELS_PROPERTY}).
 */
public final class ImageFiles {

    /** How a user maps mask colours to class ids, from the command line or from Java. */
    static final String PALETTE_FIX = "--mask-palette 0=#000000,1=#FF0000,... on the command line,"
            + " MaskEncoding.Palette in Java";

    /** How a user reads an indexed mask's palette indices as class ids, from the command line or from Java. */
    static final String PALETTE_INDICES_FIX = "--mask-palette-indices on the command line, MaskEncoding.PaletteIndices"
            + " in Java";

    /** File extensions read as images (lower case, no dot). */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff");
    /**
     * File extensions looked for as masks and image targets, in order of preference (lower case, no dot); a JPEG mask
     * is looked for only to report it as lossy.
     */
    public static final List<String> MASK_EXTENSIONS = List.of("png", "bmp", "tif", "tiff", "jpg", "jpeg");

    /** The system property that sets the largest image, in pixels (width x height), that is decoded. */
    public static final String MAX_PIXELS_PROPERTY = "mdunet.image.maxPixels";
    /** The limit without {@value #MAX_PIXELS_PROPERTY}: 100 megapixels, e.g. 10000 x 10000 (1.2 GB as float RGB). */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    /** The most pixels an image can have at all here: its three channels must fit one Java array. */
    public static final long ARRAY_LIMIT_PIXELS = Integer.MAX_VALUE / 3;
    /** The most values one Java array holds (a few below {@code Integer.MAX_VALUE}, as the JDK's own lists allow). */
    public static final long ARRAY_LIMIT_VALUES = Integer.MAX_VALUE - 8;


    /** The TIFF tag that says whether samples are unsigned (1), signed (2) or floating-point (3) numbers. */
    private static final int TIFF_SAMPLE_FORMAT = 339;
    /** The TIFF tag that says what the samples are: grey (0, 1), RGB (2), palette (3), CMYK (5), ... */
    private static final int TIFF_PHOTOMETRIC = 262;
    /** How many pages of a TIFF are counted at most to tell a stack (a damaged page chain may loop). */
    private static final int MAX_TIFF_PAGES_COUNTED = 1000;

    /** The JDK TIFF reader's native metadata format. */
    private static final String TIFF_METADATA = "javax_imageio_tiff_image_1.0";

    private ImageFiles() {
    }

    /** What a file declares about itself, from its header only. */
    public enum PixelKind {
        GREY, GREY_ALPHA, RGB, RGBA, PALETTE, OTHER
    }

    /**
     * A file's header: size and pixel format, read without decoding the pixels.
     *
     * @param width        columns, as displayed (after the EXIF orientation)
     * @param height       rows, as displayed
     * @param kind         the pixel kind (for PNG, the IHDR colour type)
     * @param bitsPerSample bits per sample (8 for ordinary images, 16 for 16-bit PNGs and TIFFs, 1-4 for packed
     *                      grey)
     * @param format       the decoder's format name, lower case (png, jpeg, bmp)
     * @param orientation  the EXIF orientation applied to the stored pixels ({@code TOP_LEFT} for all but photos)
     */
    public record Header(int width, int height, PixelKind kind, int bitsPerSample, String format,
                         ExifOrientation orientation) {
    }

    /**
     * The largest image decoded, in pixels: the system property {@value #MAX_PIXELS_PROPERTY} when set, else
     * {@value #DEFAULT_MAX_PIXELS}. A guard against corrupt or hostile headers, which would otherwise end in a
     * {@code NegativeArraySizeException} or an {@code OutOfMemoryError} that stops a whole validation pass.
     *
     * @throws IllegalArgumentException when the property is not a positive whole number
     */
    public static long maxPixels() {
        String value = System.getProperty(MAX_PIXELS_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_PIXELS;
        }
        try {
            long pixels = Long.parseLong(value.strip().replace("_", ""));
            if (pixels >= 1) {
                return pixels;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + MAX_PIXELS_PROPERTY + " must be a whole number of"
                + " pixels >= 1 but was '" + value + "' (e.g. -D" + MAX_PIXELS_PROPERTY + "=400000000)");
    }

    /** The extensions of {@link #IMAGE_EXTENSIONS} for messages, sorted: {@code .bmp, .jpeg, .jpg, .png, ...}. */
    public static String imageExtensionList() {
        return IMAGE_EXTENSIONS.stream().sorted().map(extension -> "." + extension).collect(Collectors.joining(", "));
    }

    /**
     * Whether a folder listing takes {@code file} as an image: a name with one of {@link #IMAGE_EXTENSIONS} that does
     * not start with '.', as fastai's {@code get_image_files} skips hidden files (macOS writes {@code ._a.png} beside
     * {@code a.png} on other file systems: metadata, not an image).
     */
    public static boolean isListedImage(Path file) {
        return !isHidden(file) && IMAGE_EXTENSIONS.contains(extension(file));
    }

    /** Whether the file's name starts with '.': a hidden file ({@code .DS_Store}, macOS's {@code ._a.png}). */
    public static boolean isHidden(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    /** The lower-case extension of a file name, without the dot; empty when there is none. */
    public static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** A file name without its extension. */
    public static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** Reads the header only. */
    public static Header readHeader(Path file) {
        return open(file, false).header;
    }

    /**
     * Why {@link #readImage} refuses a file with this header, which the header alone shows: more than 16 bits per
     * sample (32-bit and floating-point TIFFs); empty when its depth is readable. For callers that list files before
     * decoding them.
     */
    public static Optional<String> depthProblem(Header header) {
        if (header.bitsPerSample() <= 8 || header.bitsPerSample() == 16) {
            return Optional.empty();
        }
        return Optional.of(header.bitsPerSample() + "-bit " + header.kind().name().toLowerCase(Locale.ROOT) + " "
                + header.format().toUpperCase(Locale.ROOT) + "; expected 8 or 16 bits per channel (convert it with"
                + " the scale that suits its values, e.g. to a 16-bit PNG)");
    }

    /**
     * Decodes an image to {@code channels} planar channels (3: RGB, grey replicated; 1: grey, RGB converted with
     * ITU-R 601 luma), raw 0-255; a 16-bit image's values are {@code value / 257}, fractions kept.
     */
    public static DecodedImage readImage(Path file, int channels) {
        return readImage(file, channels, SampleDepth.SIXTEEN_BIT.bits());
    }

    /**
     * Decodes an image as {@link #readImage(Path, int)} does, reading a 16-bit file's samples as values of
     * {@code significantBits} bits: 12 maps 0-4095 to 0-255 (its {@link SampleDepth}), where 16 would read them as
     * 0-16. An 8-bit file is read as it is.
     *
     * @param significantBits the bits of a 16-bit sample that hold its value, 1 to 16
     * @throws BadFileException when a 16-bit sample is above {@code 2^significantBits - 1}, naming the largest value
     *                          and the bits it needs
     */
    public static DecodedImage readImage(Path file, int channels, int significantBits) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("readImage channels must be 1 or 3 but was " + channels);
        }
        Checks.significantBits("readImage significantBits", significantBits);
        Opened opened = open(file, true);
        Header header = opened.header;
        Optional<String> depth = depthProblem(header);
        if (depth.isPresent()) {
            throw new BadFileException(file, depth.get());
        }
        if (header.bitsPerSample() == 16 && !(opened.image.getColorModel() instanceof IndexColorModel)) {
            return sixteenBitImage(file, opened.image, header.orientation(), channels,
                    SampleDepth.sixteenBitFile(significantBits));
        }
        ExifOrientation.Oriented oriented = header.orientation().apply(toRgb(opened.image), opened.image.getWidth(),
                opened.image.getHeight());
        int width = oriented.width();
        int height = oriented.height();
        int plane = width * height;
        int[] rgb = oriented.rgb();
        float[] pixels = new float[channels * plane];
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            int r = (p >> 16) & 0xFF;
            int g = (p >> 8) & 0xFF;
            int b = p & 0xFF;
            if (channels == 3) {
                pixels[i] = r;
                pixels[plane + i] = g;
                pixels[2 * plane + i] = b;
            } else {
                pixels[i] = (float) (0.299 * r + 0.587 * g + 0.114 * b);
            }
        }
        return new DecodedImage(channels, height, width, pixels, SampleDepth.EIGHT_BIT);
    }

    /**
     * A 16-bit image's planes on the 8-bit scale at full precision ({@code level / 257} at 16 bits, each level of
     * {@code depth}'s kept), turned upright: grey or RGB, alpha dropped, as {@link #readImage} makes of an 8-bit one.
     */
    private static DecodedImage sixteenBitImage(Path file, BufferedImage image, ExifOrientation orientation,
                                                int channels, SampleDepth depth) {
        Raster raster = image.getRaster(); // unsigned: signed and floating-point TIFFs are refused from the header
        int stored = image.getColorModel().getNumColorComponents();
        int[][] planes = new int[stored][];
        ExifOrientation.Oriented upright = null;
        for (int band = 0; band < stored; band++) {
            upright = orientation.apply(raster.getSamples(0, 0, image.getWidth(), image.getHeight(), band,
                    (int[]) null), image.getWidth(), image.getHeight());
            planes[band] = upright.rgb();
            requireInRange(file, planes[band], depth);
        }
        int plane = upright.width() * upright.height();
        float[] pixels = new float[channels * plane];
        for (int i = 0; i < plane; i++) {
            if (stored == 1) {
                for (int c = 0; c < channels; c++) {
                    pixels[c * plane + i] = depth.value(planes[0][i]);
                }
            } else if (channels == 3) {
                for (int c = 0; c < 3; c++) {
                    pixels[c * plane + i] = depth.value(planes[c][i]);
                }
            } else {
                pixels[i] = (float) ((0.299 * planes[0][i] + 0.587 * planes[1][i] + 0.114 * planes[2][i])
                        / depth.levelsPerUnit());
            }
        }
        return new DecodedImage(channels, upright.height(), upright.width(), pixels, depth);
    }

    /** Refuses samples above {@code depth}'s largest level: the file holds more bits than it is read with. */
    private static void requireInRange(Path file, int[] samples, SampleDepth depth) {
        if (depth.bits() == SampleDepth.SIXTEEN_BIT.bits()) {
            return; // any 16-bit sample is in range
        }
        int largest = 0;
        int above = 0;
        for (int sample : samples) {
            largest = Math.max(largest, sample);
            above += sample > depth.maxLevel() ? 1 : 0;
        }
        if (above > 0) {
            int needed = Integer.SIZE - Integer.numberOfLeadingZeros(largest);
            throw new BadFileException(file, "16-bit image with " + above + " samples above " + depth.maxLevel()
                    + " (up to " + largest + "), but 16-bit images are read as " + depth.bits() + "-bit values"
                    + " (0-" + depth.maxLevel() + "); its values need " + needed + " bits: set significantBits"
                    + " (--significant-bits) to " + needed + " or more (16 reads any 16-bit file), or check the"
                    + " camera's bit depth");
        }
    }

    /**
     * Decodes a mask and maps it to class ids with {@code encoding}; every id must be in {@code 0..numClasses-1},
     * except {@link LabelMask#IGNORED} for the values or colours the encoding ignores.
     * A 1/2/4-bit greyscale PNG is read as stored ({@code 0..2^bits-1}) with {@link MaskEncoding.ClassIds} and
     * scaled to 0-255 as viewers show it for a {@link MaskEncoding.ValueMap} (a 1-bit white pixel is 255, so
     * {@link MaskEncoding.ValueMap#binary255()} reads 1-bit masks); so is an indexed PNG or BMP whose palette is the
     * grey ramp of its depth (black to white in {@code 2^bits} even steps: a black-and-white 1-bit BMP). Any other
     * palette of greys only reads as the greys it shows; a palette with a colour is refused unless the encoding is a
     * {@link MaskEncoding.Palette}.
     *
     * @throws BadFileException naming the file, what was expected and what was found; a
     *                          {@link ClassIdRangeException} for ids of {@code numClasses} or more
     */
    public static LabelMask readMask(Path file, MaskEncoding encoding, int numClasses) {
        Opened opened = open(file, true);
        Header header = opened.header;
        if (header.format().equals("jpeg")) {
            throw new BadFileException(file, "JPEG mask; expected a lossless PNG (JPEG compression changes values at"
                    + " edges and invents class ids)");
        }
        boolean sixteenBitIds = header.bitsPerSample() == 16 && encoding.storesIds()
                && (header.kind() == PixelKind.GREY || header.kind() == PixelKind.GREY_ALPHA);
        if (header.bitsPerSample() > 8 && !sixteenBitIds) {
            throw new BadFileException(file, header.bitsPerSample() + "-bit "
                    + header.kind().name().toLowerCase(Locale.ROOT) + " "
                    + header.format().toUpperCase(Locale.ROOT) + "; expected an 8-bit "
                    + (encoding instanceof MaskEncoding.Palette ? "colour" : "greyscale") + " mask"
                    + (encoding.storesIds()
                    // ImageMagick's -depth 8 would scale the values, and so the ids, by 1/257
                    ? " or a 16-bit greyscale one of class ids (save the ids as such a PNG; a depth conversion would"
                    + " scale them)"
                    : " (a 16-bit greyscale mask is read as class ids only, without a value map or palette; convert"
                    + " it, e.g. with ImageMagick: convert in.png -depth 8 out.png)"));
        }
        BufferedImage image = opened.image;
        int width = image.getWidth();
        int height = image.getHeight();
        int[] ids = encoding.accept(new MaskEncoding.Visitor<>() {
            @Override
            public int[] classIds(MaskEncoding.ClassIds classIds) {
                return ignoring(greyValues(file, image, header, classIds).values(), classIds.ignored());
            }

            @Override
            public int[] valueMap(MaskEncoding.ValueMap valueMap) {
                return mapValues(file, greyValues(file, image, header, valueMap), valueMap, width, header.format());
            }

            @Override
            public int[] palette(MaskEncoding.Palette palette) {
                return mapColours(file, toRgb(image), palette);
            }

            @Override
            public int[] paletteIndices(MaskEncoding.PaletteIndices indices) {
                int[] values = image.getColorModel() instanceof IndexColorModel
                        ? image.getRaster().getSamples(0, 0, width, height, 0, new int[width * height])
                        : greyValues(file, image, header, indices).values();
                return ignoring(values, indices.ignored());
            }
        });
        checkRange(file, ids, numClasses, width, encoding, header.bitsPerSample());
        // a TIFF mask's orientation tag turns it as its image's turns the image (a JPEG mask is refused above)
        ExifOrientation.Oriented upright = header.orientation().apply(ids, width, height);
        return new LabelMask(upright.height(), upright.width(), upright.rgb());
    }

    /**
     * A mask's grey values as stored in {@code storedBits} bits: 8, or 1, 2 or 4 for a grey PNG of that depth (and an
     * indexed file whose palette is the grey ramp of its depth), whose values a {@link MaskEncoding.ValueMap} sees
     * scaled to 0-255. A 16-bit grey mask's values (read as class ids only) are stored as they are, under 8.
     */
    private record GreyValues(int[] values, int storedBits) {
    }

    private static GreyValues greyValues(Path file, BufferedImage image, Header header, MaskEncoding encoding) {
        int width = image.getWidth();
        int height = image.getHeight();
        Raster raster = image.getRaster();
        if (header.kind() == PixelKind.GREY || header.kind() == PixelKind.GREY_ALPHA) {
            // A 1/2/4-bit grey PNG stores 0..2^bits-1; a ValueMap names grey values as shown, 0-255.
            int storedBits = header.kind() == PixelKind.GREY && header.bitsPerSample() < 8 ? header.bitsPerSample()
                    : 8;
            return new GreyValues(raster.getSamples(0, 0, width, height, 0, new int[width * height]), storedBits);
        }
        if (image.getColorModel() instanceof IndexColorModel palette) {
            requireGreyPalette(file, palette, header, encoding);
            int bits = raster.getSampleModel().getSampleSize(0);
            if (isGreyRamp(palette, bits)) {
                // What ImageIO makes of a 1/2/4-bit grey PNG, and a black-and-white 1-bit BMP: read as that PNG is.
                return new GreyValues(raster.getSamples(0, 0, width, height, 0, new int[width * height]), bits);
            }
            // Any other palette of greys: the greys shown, below.
        }
        int[] rgb = toRgb(image);
        int[] values = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            int r = (rgb[i] >> 16) & 0xFF;
            int g = (rgb[i] >> 8) & 0xFF;
            int b = rgb[i] & 0xFF;
            if (r != g || g != b) {
                throw new BadFileException(file, "colour mask (pixel x=" + i % width + ", y=" + i / width + " is "
                        + String.format("#%02X%02X%02X", r, g, b) + "); expected "
                        + (encoding instanceof MaskEncoding.PaletteIndices ? "an indexed-colour (palette) mask, whose"
                        + " indices are the class ids, or a greyscale one" : "a greyscale mask of class ids")
                        + ", or map its colours to class ids: " + PALETTE_FIX);
            }
            values[i] = r;
        }
        return new GreyValues(values, 8);
    }

    /**
     * Refuses an indexed mask with a colour in its palette, naming the first: its pixels are palette indices, and
     * only a palette of greys says which grey (class id or grey value) each index shows.
     */
    private static void requireGreyPalette(Path file, IndexColorModel palette, Header header, MaskEncoding encoding) {
        for (int i = 0; i < palette.getMapSize(); i++) {
            int colour = palette.getRGB(i) & 0xFFFFFF;
            if (colour != (colour & 0xFF) * 0x010101) {
                throw new BadFileException(file, "palette (indexed-colour) " + header.format().toUpperCase(Locale.ROOT)
                        + " with colours (palette entry " + i + " is "
                        + String.format("#%06X", colour) + "); expected a greyscale mask of "
                        + (encoding.storesIds() ? "class ids" : "grey values")
                        + " (grey pixels, or a palette of greys only, read as the greys shown): if its palette"
                        + " indices are the class ids (Pascal VOC, labelme), read them: " + PALETTE_INDICES_FIX
                        + "; or map its colours to class ids: " + PALETTE_FIX
                        + " (converting it to greyscale would turn the ids into the greys of their colours)");
            }
        }
    }

    /** Whether {@code palette} is black to white in {@code 2^bits} even steps, as ImageIO decodes grey PNGs. */
    private static boolean isGreyRamp(IndexColorModel palette, int bits) {
        int levels = 1 << bits;
        if (bits > 8 || palette.getMapSize() != levels) {
            return false;
        }
        for (int i = 0; i < levels; i++) {
            if ((palette.getRGB(i) & 0xFFFFFF) != i * 255 / (levels - 1) * 0x010101) {
                return false;
            }
        }
        return true;
    }

    /**
     * Class ids of {@code grey} values: values stored in fewer than 8 bits are scaled to 0-255 first, as viewers show
     * them (a 1-bit white pixel is 255, a 2-bit 1 is 85).
     */
    private static int[] mapValues(Path file, GreyValues grey, MaskEncoding.ValueMap valueMap, int width,
                                   String format) {
        int[] values = grey.values();
        int storedBits = grey.storedBits();
        int scale = storedBits < 8 ? 255 / ((1 << storedBits) - 1) : 1;
        int unknown = Integer.MIN_VALUE;
        int[] table = new int[256];
        Arrays.fill(table, unknown);
        valueMap.idByValue().forEach((value, id) -> table[value] = id);
        valueMap.ignored().forEach(value -> table[value] = LabelMask.IGNORED);
        int[] ids = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int stored = values[i];
            int v = stored * scale;
            int id = v < 256 ? table[v] : unknown;
            if (id == unknown) {
                String scaled = scale == 1 ? "" : " (stored as " + stored + " in this " + storedBits + "-bit "
                        + format.toUpperCase(Locale.ROOT) + ","
                        + " scaled to 0-255 as viewers show it; MaskEncoding.ClassIds reads the stored values 0.."
                        + ((1 << storedBits) - 1) + " as class ids)";
                throw new BadFileException(file, "grey value " + v + scaled + " at x=" + i % width + ", y=" + i / width
                        + " (" + count(values, stored) + " pixels) is not in the mask encoding " + valueMap);
            }
            ids[i] = id;
        }
        return ids;
    }

    private static int[] mapColours(Path file, int[] rgb, MaskEncoding.Palette palette) {
        Map<Integer, Integer> lookup = new HashMap<>(palette.idByRgb());
        palette.ignored().forEach(colour -> lookup.put(colour, LabelMask.IGNORED));
        int[] ids = new int[rgb.length];
        int lastColour = -1;
        int lastId = -1;
        for (int i = 0; i < rgb.length; i++) {
            int colour = rgb[i] & 0xFFFFFF;
            if (colour != lastColour) {
                Integer id = lookup.get(colour);
                if (id == null) {
                    int found = 0;
                    for (int p : rgb) {
                        found += (p & 0xFFFFFF) == colour ? 1 : 0;
                    }
                    throw new BadFileException(file, String.format("colour #%1$06X (%2$d pixels) is not in the mask"
                            + " encoding %3$s: add it to the palette, or, if it marks pixels to leave out (as Pascal"
                            + " VOC's #E0E0C0 borders), ignore it: --mask-ignore #%1$06X on the command line, the"
                            + " Palette's ignored colours in Java", colour, found, palette));
                }
                lastColour = colour;
                lastId = id;
            }
            ids[i] = lastId;
        }
        return ids;
    }

    /** {@code values} with the ignored ones replaced by {@link LabelMask#IGNORED}, in place. */
    private static int[] ignoring(int[] values, Set<Integer> ignored) {
        if (!ignored.isEmpty()) {
            for (int i = 0; i < values.length; i++) {
                if (ignored.contains(values[i])) {
                    values[i] = LabelMask.IGNORED;
                }
            }
        }
        return values;
    }

    /**
     * Refuses ids of {@code numClasses} or more, found in one pass: every such id with its pixel count, so that the
     * message can name the largest (a mask of ids 0 to 5 needs 6 classes, not the 5 its first stray id suggests).
     */
    private static void checkRange(Path file, int[] ids, int numClasses, int width, MaskEncoding encoding,
                                   int storedBits) {
        SortedMap<Integer, Integer> outside = null;
        int first = -1;
        boolean zero = false;
        boolean otherInRange = false;
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id >= numClasses) {
                if (outside == null) {
                    outside = new TreeMap<>();
                    first = i;
                }
                outside.merge(id, 1, Integer::sum);
            } else if (id == 0) {
                zero = true;
            } else if (id != LabelMask.IGNORED) {
                otherInRange = true;
            }
        }
        if (outside != null) {
            // 0 and one value N only: a binary mask stored as 0/N (0/255 as most viewers save black and white)
            boolean zeroAndOneValue = zero && !otherInRange && outside.size() == 1;
            throw new ClassIdRangeException(file, numClasses, outside, first % width, first / width, encoding,
                    zeroAndOneValue, storedBits);
        }
    }

    private static int count(int[] values, int value) {
        int n = 0;
        for (int v : values) {
            n += v == value ? 1 : 0;
        }
        return n;
    }

    /** Every pixel as {@code 0xRRGGBB}, with fast paths for the layouts ImageIO produces for PNG, JPEG and BMP. */
    static int[] toRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int plane = width * height;
        Raster raster = image.getRaster();
        ColorModel model = image.getColorModel();
        int[] rgb = new int[plane];
        if (model instanceof IndexColorModel icm) {
            int[] index = raster.getSamples(0, 0, width, height, 0, new int[plane]);
            for (int i = 0; i < plane; i++) {
                rgb[i] = icm.getRGB(index[i]) & 0xFFFFFF;
            }
        } else if (model.getNumColorComponents() == 1 && model.getComponentSize(0) == 8) {
            int[] grey = raster.getSamples(0, 0, width, height, 0, new int[plane]);
            for (int i = 0; i < plane; i++) {
                rgb[i] = grey[i] * 0x010101;
            }
        } else if (model.getNumColorComponents() == 3 && model.getColorSpace().isCS_sRGB()
                && model.getComponentSize(0) == 8 && raster.getNumBands() >= 3
                && raster.getDataBuffer() instanceof DataBufferByte bytes && bytes.getOffset() == 0
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel layout
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
            // What ImageIO makes of 8-bit RGB(A) PNGs and JPEGs: read the bytes directly, 3-4x faster than getSamples.
            byte[] data = bytes.getData();
            int[] offsets = layout.getBandOffsets();
            int pixelStride = layout.getPixelStride();
            int scanlineStride = layout.getScanlineStride();
            for (int y = 0; y < height; y++) {
                int p = y * scanlineStride;
                for (int x = 0; x < width; x++, p += pixelStride) {
                    rgb[y * width + x] = (data[p + offsets[0]] & 0xFF) << 16 | (data[p + offsets[1]] & 0xFF) << 8
                            | (data[p + offsets[2]] & 0xFF);
                }
            }
        } else if (model.getNumColorComponents() == 3 && model.getColorSpace().isCS_sRGB()
                && model.getComponentSize(0) == 8 && raster.getNumBands() >= 3) {
            int[] r = raster.getSamples(0, 0, width, height, 0, new int[plane]);
            int[] g = raster.getSamples(0, 0, width, height, 1, new int[plane]);
            int[] b = raster.getSamples(0, 0, width, height, 2, new int[plane]);
            for (int i = 0; i < plane; i++) {
                rgb[i] = (r[i] << 16) | (g[i] << 8) | b[i];
            }
        } else {
            image.getRGB(0, 0, width, height, rgb, 0, width);
            for (int i = 0; i < plane; i++) {
                rgb[i] &= 0xFFFFFF;
            }
        }
        return rgb;
    }

    private record Opened(Header header, BufferedImage image) {
    }

    private static Opened open(Path file, boolean decode) {
        long maxPixels = decode ? maxPixels() : Long.MAX_VALUE;
        if (!Files.isRegularFile(file)) {
            throw new BadFileException(file, "not found or not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new BadFileException(file, "not readable (check its permissions)");
        }
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            if (input == null) {
                throw new BadFileException(file, "cannot be opened as an image stream");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new BadFileException(file, "not a readable image: no PNG, JPEG, BMP or TIFF signature (corrupt,"
                        + " empty or another format; " + Files.size(file) + " bytes)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, false, false); // not forward-only: a TIFF's pages are counted first
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                PixelKind kind = PixelKind.OTHER;
                int bits = 8;
                if (format.equals("png")) {
                    Node ihdr = pngHeader(reader.getImageMetadata(0));
                    if (ihdr != null) {
                        NamedNodeMap attributes = ihdr.getAttributes();
                        bits = Integer.parseInt(attributes.getNamedItem("bitDepth").getNodeValue());
                        kind = switch (attributes.getNamedItem("colorType").getNodeValue()) {
                            case "Grayscale" -> PixelKind.GREY;
                            case "GrayAlpha" -> PixelKind.GREY_ALPHA;
                            case "RGB" -> PixelKind.RGB;
                            case "RGBAlpha" -> PixelKind.RGBA;
                            case "Palette" -> PixelKind.PALETTE;
                            default -> PixelKind.OTHER;
                        };
                    }
                }
                Map<Integer, Integer> tiffTags = Map.of();
                if (format.equals("tif")) {
                    refuseStack(file, reader);
                    tiffTags = tiffTags(reader.getImageMetadata(0));
                    // TIFF's sample depth is in its IFD, which the raw image type reads without decoding
                    ImageTypeSpecifier raw = reader.getRawImageType(0);
                    if (raw != null) {
                        bits = raw.getColorModel().getComponentSize(0);
                        kind = kindOf(raw.getColorModel());
                    }
                    refuseUnreadableSamples(file, tiffTags, bits);
                }
                ExifOrientation orientation = switch (format) {
                    case "jpeg" -> ExifOrientation.read(file);
                    case "tif" -> tiffOrientation(file, tiffTags);
                    default -> ExifOrientation.TOP_LEFT;
                };
                BufferedImage image = null;
                if (decode) {
                    checkSize(file, width, height, maxPixels);
                    List<String> warnings = new ArrayList<>();
                    reader.addIIOReadWarningListener((source, warning) -> {
                        if (!isColourProfileNotice(warning)) {
                            warnings.add(warning);
                        }
                    });
                    image = reader.read(0);
                    if (!warnings.isEmpty()) {
                        throw new BadFileException(file, "corrupt or truncated image: the " + format.toUpperCase(
                                Locale.ROOT) + " decoder warned: " + String.join("; ", warnings) + " (it would have"
                                + " filled what is missing with grey; re-export or replace the file)");
                    }
                    if (!format.equals("png")) {
                        bits = image.getColorModel().getComponentSize(0);
                        kind = kindOf(image.getColorModel());
                    }
                }
                return new Opened(orientation.swapsSides() ? new Header(height, width, kind, bits, format, orientation)
                        : new Header(width, height, kind, bits, format, orientation), image);
            } finally {
                reader.dispose();
            }
        } catch (BadFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadFileException(file, "corrupt or truncated image (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Refuses a TIFF whose later pages have its first page's size: a stack (microscopy z-slices, time points, a
     * multi-page scan) of which only the first page would be read. Later pages of other sizes (a thumbnail, the
     * reduced levels of a pyramid) are not pictures of their own, and the first page is read as the image.
     */
    private static void refuseStack(Path file, ImageReader reader) throws IOException {
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        int pages = 1;
        int sameSize = 1;
        // Page by page, not getNumImages: a damaged file whose page chain loops back would be followed forever.
        for (int page = 1; page < MAX_TIFF_PAGES_COUNTED; page++) {
            int pageWidth;
            int pageHeight;
            try {
                pageWidth = reader.getWidth(page);
                pageHeight = reader.getHeight(page);
            } catch (IndexOutOfBoundsException end) {
                break;
            } catch (IOException damaged) {
                break; // a later page that does not read leaves the first page, the image, as it is
            }
            pages++;
            if (pageWidth == width && pageHeight == height) {
                sameSize++;
            }
        }
        if (sameSize > 1) {
            String atLeast = pages == MAX_TIFF_PAGES_COUNTED ? "at least " : "";
            throw new BadFileException(file, "a TIFF stack: " + atLeast + sameSize + " pages of " + width + " x "
                    + height + (pages > sameSize ? " (of " + atLeast + pages + " pages)" : "") + ", where only single"
                    + " images are read (only its first page would be used); save each page as a file of its own,"
                    + " e.g. with ImageJ's Image > Stacks > Stack to Images or tiffsplit");
        }
    }

    /**
     * Refuses a TIFF whose samples would be misread: signed or floating-point ones of up to 16 bits (the JDK's
     * reader hands a half-float's bits over as unsigned integers; a larger depth is refused by {@link #depthProblem}
     * with its own message), and a 16-bit one that is neither grey nor RGB (the JDK's reader makes a 16-bit CMYK
     * image RGB with alpha: inverted colours).
     */
    private static void refuseUnreadableSamples(Path file, Map<Integer, Integer> tiffTags, int bits) {
        if (bits > 16) {
            return;
        }
        int sampleFormat = tiffTags.getOrDefault(TIFF_SAMPLE_FORMAT, 1);
        if (sampleFormat != 1) {
            throw new BadFileException(file, "TIFF of " + switch (sampleFormat) {
                case 2 -> "signed integer";
                case 3 -> "floating-point";
                default -> "undefined";
            } + " samples (SampleFormat " + sampleFormat + "); expected unsigned 8- or 16-bit integers (convert it"
                    + " with the scale that suits its values, e.g. to a 16-bit PNG)");
        }
        int photometric = tiffTags.getOrDefault(TIFF_PHOTOMETRIC, 1);
        if (bits == 16 && photometric != 1 && photometric != 2) {
            throw new BadFileException(file, "16-bit TIFF of photometric interpretation " + photometric
                    + (photometric == 5 ? " (CMYK)" : "") + "; a 16-bit TIFF is read as grey (1) or RGB (2) only"
                    + " (convert it to RGB)");
        }
    }

    /**
     * A decoder's note on the colour profile rather than on damage: TwelveMonkeys' JPEG reader notes a CMYK file
     * without an ICC profile (converted with a generic one) and an ICC profile it ignores as broken, then decodes
     * every pixel. The other warnings (a truncated or corrupt stream) mean pixels were made up.
     */
    static boolean isColourProfileNotice(String warning) {
        return warning.contains("ICC");
    }

    /**
     * Refuses {@code file} when {@code planes} planes of {@code height x width} made from it (class probabilities, an
     * upscaled copy) would not fit one Java array: before the array is allocated, rather than a negative size later.
     *
     * @param what what the planes are, e.g. {@code "150 class probabilities"}
     * @param fix  what the user can do, e.g. {@code "predict a smaller copy of the image"}
     * @throws BadFileException naming the file, the array's size, the limit and the fix
     */
    public static void requireArrayFits(Path file, String what, long planes, long height, long width, String fix) {
        long values = planes * height * width; // at most 65,536 planes of the largest decodable image: no overflow
        if (values > ARRAY_LIMIT_VALUES) {
            throw new BadFileException(file, String.format(Locale.ROOT, "its %s at %,d x %,d pixels are %,d values,"
                    + " more than one Java array holds (%,d); %s", what, width, height, values, ARRAY_LIMIT_VALUES,
                    fix));
        }
    }

    /** Refuses, from the header, an image too large to decode: before any pixel array is allocated. */
    private static void checkSize(Path file, int width, int height, long maxPixels) {
        long pixels = (long) width * height;
        String size = String.format(Locale.ROOT, "its header declares %,d x %,d = %,d pixels", width, height, pixels);
        if (pixels > ARRAY_LIMIT_PIXELS) {
            throw new BadFileException(file, size + ", more than this reader can hold at all (" + String.format(
                    Locale.ROOT, "%,d", ARRAY_LIMIT_PIXELS) + ": three channels in one Java array); a corrupt header,"
                    + " or split the image into tiles");
        }
        if (pixels > maxPixels) {
            throw new BadFileException(file, size + ", more than the limit of " + String.format(Locale.ROOT, "%,d",
                    maxPixels) + " (a guard against corrupt or hostile headers); if the image is real, raise the"
                    + " limit with -D" + MAX_PIXELS_PROPERTY + "=" + pixels + " (about " + (pixels * 12 >> 20)
                    + " MiB of memory per image as float RGB)");
        }
    }

    private static PixelKind kindOf(ColorModel model) {
        if (model instanceof IndexColorModel) {
            return PixelKind.PALETTE;
        }
        if (model.getNumColorComponents() == 1) {
            return model.hasAlpha() ? PixelKind.GREY_ALPHA : PixelKind.GREY;
        }
        return model.hasAlpha() ? PixelKind.RGBA : PixelKind.RGB;
    }

    /**
     * A TIFF's orientation tag (the same tag 0x0112 as a JPEG's EXIF), from its first image's directory;
     * {@code TOP_LEFT} without one.
     *
     * @throws BadFileException when the tag is not 0 to 8, as {@link ExifOrientation#read} does for a JPEG
     */
    private static ExifOrientation tiffOrientation(Path file, Map<Integer, Integer> tiffTags) {
        int tag = tiffTags.getOrDefault(ExifOrientation.TAG, 0);
        if (tag == 0) {
            return ExifOrientation.TOP_LEFT; // none, or 0: "unknown", as for a JPEG
        }
        if (tag < 1 || tag > 8) {
            throw new BadFileException(file, "TIFF orientation tag is " + tag + ", expected 1 to 8; the"
                    + " picture's orientation cannot be known (re-save the image upright without the tag)");
        }
        return ExifOrientation.of(tag);
    }

    /**
     * The first value of each numeric field in the first image's directory, by tag number ({@code -1} for a field
     * without a numeric value), read from the metadata tree once; empty without TIFF metadata.
     */
    private static Map<Integer, Integer> tiffTags(IIOMetadata metadata) {
        Map<Integer, Integer> tags = new HashMap<>();
        if (metadata == null || !Arrays.asList(metadata.getMetadataFormatNames()).contains(TIFF_METADATA)) {
            return tags;
        }
        Node directory = metadata.getAsTree(TIFF_METADATA).getFirstChild();
        for (Node field = directory == null ? null : directory.getFirstChild(); field != null;
                field = field.getNextSibling()) {
            Node number = field.getAttributes() == null ? null : field.getAttributes().getNamedItem("number");
            if (number == null) {
                continue;
            }
            Node values = field.getFirstChild();
            Node value = values == null ? null : values.getFirstChild();
            Node text = value == null || value.getAttributes() == null ? null
                    : value.getAttributes().getNamedItem("value");
            tags.put(Integer.parseInt(number.getNodeValue()), firstNumber(text));
        }
        return tags;
    }

    /** The number a field's value attribute starts with; -1 when it has none (text, missing). */
    private static int firstNumber(Node text) {
        if (text == null) {
            return -1;
        }
        try {
            return Integer.parseInt(text.getNodeValue().strip());
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }

    private static Node pngHeader(IIOMetadata metadata) {
        if (metadata == null) {
            return null;
        }
        Node root = metadata.getAsTree("javax_imageio_png_1.0");
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeName().equals("IHDR")) {
                return child;
            }
        }
        return null;
    }
}
