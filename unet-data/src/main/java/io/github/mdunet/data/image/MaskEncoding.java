package io.github.mdunet.data.image;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * How the pixels of a mask file become class ids.
 * <ul>
 *   <li>{@link ClassIds}: an 8-bit (or 1/2/4-bit) greyscale PNG (or BMP or TIFF) whose value is the class id.</li>
 *   <li>{@link ValueMap}: a greyscale PNG whose values (0-255; a 1/2/4-bit PNG's scaled to 0-255 as viewers show
 *       them) are mapped to ids, e.g. Oxford-IIIT Pet trimaps ({@code 1} pet, {@code 2} background, {@code 3}
 *       border) or binary masks shown as black and white (0/255, also 1-bit PNGs).</li>
 *   <li>For both, a greyscale BMP, or an indexed PNG or BMP whose palette holds greys only (a black-and-white 1-bit
 *       BMP), reads as the greyscale PNG it shows ({@link ImageFiles#readMask}).</li>
 *   <li>{@link Palette}: a colour PNG (RGB or indexed) whose colours are mapped to ids, e.g. Pascal VOC or
 *       CamVid colour masks.</li>
 *   <li>{@link PaletteIndices}: an indexed-colour PNG or BMP whose palette index is the class id, whatever colour
 *       the palette shows it in, as PIL, torchvision and MONAI read Pascal VOC's {@code SegmentationClass} masks and
 *       labelme's.</li>
 * </ul>
 * Each encoding may name <b>ignored</b> values or colours, e.g. Pascal VOC's border (class-id value 255, colour
 * {@code #E0E0C0}): their pixels become {@link LabelMask#IGNORED} and count in neither the loss nor the metrics,
 * as PyTorch's {@code ignore_index} (the pipeline gives such batches a labels mask {@code [N, 1, H, W]}). A value or
 * colour that the encoding neither maps nor ignores is an error naming the file and the value. Serializable, so a
 * cluster's executors can decode the masks as the driver configured (a deserialised table is checked again).
 */
public sealed interface MaskEncoding extends Serializable {

    /** The values (grey encodings) or colours {@code 0xRRGGBB} ({@link Palette}) whose pixels are ignored. */
    Set<Integer> ignored();

    /** Whether some pixels may be {@link LabelMask#IGNORED}, so that batches need a labels mask. */
    default boolean ignoresPixels() {
        return !ignored().isEmpty();
    }

    /**
     * The largest class id the encoding's table maps to; -1 for {@link ClassIds} and {@link PaletteIndices}, whose
     * ids are the values stored in the mask.
     */
    int largestMappedId();

    /**
     * Whether the class ids are the values stored in the mask ({@link ClassIds}, {@link PaletteIndices}), so that
     * {@link #ignored()} names ids, rather than ids that a table of values or colours gives.
     */
    boolean storesIds();

    /** Calls the visitor's method for this encoding; a new encoding fails to compile until every visitor handles it. */
    <R> R accept(Visitor<R> visitor);

    /** One method per mask encoding. */
    interface Visitor<R> {
        R classIds(ClassIds encoding);

        R valueMap(ValueMap encoding);

        R palette(Palette encoding);

        R paletteIndices(PaletteIndices encoding);
    }

    /**
     * The pixel value is the class id.
     *
     * @param ignored stored values 0-65535 (0-255 in 8-bit masks) that mark pixels to ignore, e.g.
     *                {@code Set.of(255)} for Pascal VOC's borders, {@code Set.of(65535)} in 16-bit masks
     */
    record ClassIds(Set<Integer> ignored) implements StoredIds {
        public ClassIds {
            ignored = checkedIgnored("ClassIds", ignored, Map.of(), 65535, "a value in 0..65535",
                    String::valueOf);
        }

        /** Every value is a class id; none is ignored. */
        public ClassIds() {
            this(Set.of());
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.classIds(this);
        }

        @Override
        public String toString() {
            return StoredIds.describe("ClassIds", ignored);
        }
    }

    /**
     * Grey values mapped to class ids. Values are 0-255 as shown: a 1/2/4-bit greyscale PNG's stored values are
     * scaled to 0-255 first (1-bit: 0 and 255; 2-bit: 0, 85, 170, 255), so a 1-bit black-and-white mask reads with
     * {@link #binary255()}. {@link ClassIds} reads the stored values.
     *
     * @param idByValue class id for each grey value 0-255 that may occur
     * @param ignored   grey values 0-255 that mark pixels to ignore; none of them in {@code idByValue}
     */
    record ValueMap(Map<Integer, Integer> idByValue, Set<Integer> ignored) implements MaskEncoding {
        public ValueMap {
            idByValue = checkedTable("ValueMap", "idByValue", idByValue, "Map.of(0, 0, 255, 1)", 255,
                    "a grey value in 0..255", String::valueOf);
            ignored = checkedIgnored("ValueMap", ignored, idByValue, 255, "a grey value in 0..255", String::valueOf);
        }

        /** Grey values mapped to class ids; none ignored. */
        public ValueMap(Map<Integer, Integer> idByValue) {
            this(idByValue, Set.of());
        }

        /** Oxford-IIIT Pet trimaps: 1 (pet) -> 1, 2 (background) -> 0, 3 (border) -> 2; three classes. */
        public static ValueMap oxfordPetTrimap() {
            return new ValueMap(Map.of(1, 1, 2, 0, 3, 2));
        }

        /** Black-and-white binary masks, 0 and 255 (or a 1-bit PNG's 0 and 1, shown as 0 and 255): 0 -> 0, 255 -> 1. */
        public static ValueMap binary255() {
            return new ValueMap(Map.of(0, 0, 255, 1));
        }

        @Override
        public int largestMappedId() {
            return largestId(idByValue);
        }

        @Override
        public boolean storesIds() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.valueMap(this);
        }

        @Override
        public String toString() {
            return "ValueMap" + new TreeMap<>(idByValue) + (ignored.isEmpty() ? "" : "{ignored "
                    + new TreeSet<>(ignored) + "}");
        }
    }

    /**
     * RGB colours mapped to class ids.
     *
     * @param idByRgb class id for each colour {@code 0xRRGGBB} that may occur (alpha ignored)
     * @param ignored colours {@code 0xRRGGBB} that mark pixels to ignore, e.g. {@code 0xE0E0C0} for Pascal VOC's
     *                borders; none of them in {@code idByRgb}
     */
    record Palette(Map<Integer, Integer> idByRgb, Set<Integer> ignored) implements MaskEncoding {
        public Palette {
            idByRgb = checkedTable("Palette", "idByRgb", idByRgb, "Map.of(0x000000, 0, 0xFF0000, 1)", 0xFFFFFF,
                    "a colour in 0x000000..0xFFFFFF", Integer::toHexString);
            ignored = checkedIgnored("Palette", ignored, idByRgb, 0xFFFFFF, "a colour in 0x000000..0xFFFFFF",
                    rgb -> String.format("#%06X", rgb));
        }

        /** Colours mapped to class ids; none ignored. */
        public Palette(Map<Integer, Integer> idByRgb) {
            this(idByRgb, Set.of());
        }

        @Override
        public int largestMappedId() {
            return largestId(idByRgb);
        }

        @Override
        public boolean storesIds() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.palette(this);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("Palette{");
            new TreeMap<>(idByRgb).forEach((rgb, id) -> text.append(String.format("#%06X=%d, ", rgb, id)));
            new TreeSet<>(ignored).forEach(rgb -> text.append(String.format("#%06X=ignored, ", rgb)));
            text.setLength(text.length() - 2);
            return text.append('}').toString();
        }
    }

    /**
     * The palette index of an indexed-colour (palette) PNG or BMP is the class id; the palette's colours are only how
     * viewers show the ids (Pascal VOC's {@code SegmentationClass} PNGs: index 1, aeroplane, is shown {@code #800000};
     * labelme's masks). PIL's {@code np.array(Image.open(f))}, and so torchvision, smp and MONAI, read the indices
     * so. A greyscale mask in the same folder is read as {@link ClassIds} reads it (its value is the id); an RGB mask
     * is an error (its colours name no index: map them with {@link Palette}).
     *
     * @param ignored indices 0..255 (grey values 0..65535 in a greyscale mask) that mark pixels to ignore, e.g.
     *                {@code Set.of(255)} for Pascal VOC's borders ({@link #pascalVoc()})
     */
    record PaletteIndices(Set<Integer> ignored) implements StoredIds {
        public PaletteIndices {
            ignored = checkedIgnored("PaletteIndices", ignored, Map.of(), 65535, "an index in 0..255 (or a grey"
                    + " value in 0..65535)", String::valueOf);
        }

        /** Every index is a class id; none is ignored. */
        public PaletteIndices() {
            this(Set.of());
        }

        /** Pascal VOC's {@code SegmentationClass} masks: indices 0-20 are the classes, 255 the borders, ignored. */
        public static PaletteIndices pascalVoc() {
            return new PaletteIndices(Set.of(255));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.paletteIndices(this);
        }

        @Override
        public String toString() {
            return StoredIds.describe("PaletteIndices", ignored);
        }
    }

    /** An encoding whose class ids are the values stored in the mask, which no table maps. */
    sealed interface StoredIds extends MaskEncoding permits ClassIds, PaletteIndices {

        @Override
        default int largestMappedId() {
            return -1;
        }

        @Override
        default boolean storesIds() {
            return true;
        }

        /** {@code name}, and its ignored ids in order when there are any: {@code ClassIds{ignored [255]}}. */
        static String describe(String name, Set<Integer> ignored) {
            return name + (ignored.isEmpty() ? "" : "{ignored " + new TreeSet<>(ignored) + "}");
        }
    }

    private static int largestId(Map<Integer, Integer> table) {
        return table.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    /**
     * {@code table} copied, after checking that it has an entry and that every key is in {@code 0..maxKey} and every
     * id {@code >= 0}; the errors name the encoding and its component and show a key as {@code format} writes it.
     */
    private static Map<Integer, Integer> checkedTable(String encoding, String component, Map<Integer, Integer> table,
                                                      String example, int maxKey, String keyRange,
                                                      IntFunction<String> format) {
        if (table == null || table.isEmpty()) {
            throw new IllegalArgumentException("MaskEncoding." + encoding + "." + component
                    + " needs at least one entry, e.g. " + example);
        }
        table.forEach((key, id) -> {
            if (key < 0 || key > maxKey || id < 0) {
                throw new IllegalArgumentException("MaskEncoding." + encoding + " entries need " + keyRange
                        + " and an id >= 0 but had " + format.apply(key) + " -> " + id);
            }
        });
        return Map.copyOf(table);
    }

    /**
     * {@code ignored} copied (null is none), after checking that every entry is in {@code 0..maxKey} and that
     * {@code table} does not also map it to a class.
     */
    private static Set<Integer> checkedIgnored(String encoding, Set<Integer> ignored, Map<Integer, Integer> table,
                                               int maxKey, String keyRange, IntFunction<String> format) {
        if (ignored == null) {
            return Set.of();
        }
        for (Integer key : ignored) {
            if (key == null || key < 0 || key > maxKey) {
                throw new IllegalArgumentException("MaskEncoding." + encoding + ".ignored entries need " + keyRange
                        + " but had " + (key == null ? "null" : format.apply(key)));
            }
            if (table.containsKey(key)) {
                throw new IllegalArgumentException("MaskEncoding." + encoding + " both maps " + format.apply(key)
                        + " to class " + table.get(key) + " and ignores it: remove it from one of the two");
            }
        }
        return Set.copyOf(ignored);
    }
}
