package io.github.mdunet.data.image;

import java.util.Map;
import java.util.TreeMap;

/**
 * How the pixels of a mask file become class ids.
 * <ul>
 *   <li>{@link ClassIds}: an 8-bit (or 1/2/4-bit) greyscale PNG whose value is the class id.</li>
 *   <li>{@link ValueMap}: a greyscale PNG whose values are mapped to ids, e.g. Oxford-IIIT Pet trimaps
 *       ({@code 1} pet, {@code 2} background, {@code 3} border) or binary masks stored as 0/255.</li>
 *   <li>{@link Palette}: a colour PNG (RGB or indexed) whose colours are mapped to ids, e.g. Pascal VOC or
 *       CamVid colour masks.</li>
 * </ul>
 * A value or colour that the encoding does not know is an error naming the file and the value.
 */
public sealed interface MaskEncoding {

    /** The pixel value is the class id. */
    record ClassIds() implements MaskEncoding {
    }

    /**
     * Grey values mapped to class ids.
     *
     * @param idByValue class id for each grey value 0-255 that may occur
     */
    record ValueMap(Map<Integer, Integer> idByValue) implements MaskEncoding {
        public ValueMap {
            if (idByValue == null || idByValue.isEmpty()) {
                throw new IllegalArgumentException("MaskEncoding.ValueMap.idByValue needs at least one entry, e.g. "
                        + "Map.of(0, 0, 255, 1)");
            }
            idByValue.forEach((value, id) -> {
                if (value < 0 || value > 255 || id < 0) {
                    throw new IllegalArgumentException("MaskEncoding.ValueMap entries need a grey value in 0..255 and"
                            + " an id >= 0 but had " + value + " -> " + id);
                }
            });
            idByValue = Map.copyOf(idByValue);
        }

        /** Oxford-IIIT Pet trimaps: 1 (pet) -> 1, 2 (background) -> 0, 3 (border) -> 2; three classes. */
        public static ValueMap oxfordPetTrimap() {
            return new ValueMap(Map.of(1, 1, 2, 0, 3, 2));
        }

        /** Binary masks stored as 0 and 255: 0 -> 0, 255 -> 1. */
        public static ValueMap binary255() {
            return new ValueMap(Map.of(0, 0, 255, 1));
        }

        @Override
        public String toString() {
            return "ValueMap" + new TreeMap<>(idByValue);
        }
    }

    /**
     * RGB colours mapped to class ids.
     *
     * @param idByRgb class id for each colour {@code 0xRRGGBB} that may occur (alpha ignored)
     */
    record Palette(Map<Integer, Integer> idByRgb) implements MaskEncoding {
        public Palette {
            if (idByRgb == null || idByRgb.isEmpty()) {
                throw new IllegalArgumentException("MaskEncoding.Palette.idByRgb needs at least one entry, e.g. "
                        + "Map.of(0x000000, 0, 0xFF0000, 1)");
            }
            idByRgb.forEach((rgb, id) -> {
                if (rgb < 0 || rgb > 0xFFFFFF || id < 0) {
                    throw new IllegalArgumentException("MaskEncoding.Palette entries need a colour in 0x000000.."
                            + "0xFFFFFF and an id >= 0 but had " + Integer.toHexString(rgb) + " -> " + id);
                }
            });
            idByRgb = Map.copyOf(idByRgb);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("Palette{");
            new TreeMap<>(idByRgb).forEach((rgb, id) -> text.append(String.format("#%06X=%d, ", rgb, id)));
            text.setLength(text.length() - 2);
            return text.append('}').toString();
        }
    }
}
