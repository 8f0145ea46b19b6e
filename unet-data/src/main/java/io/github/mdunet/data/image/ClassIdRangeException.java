package io.github.mdunet.data.image;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A mask with class ids of {@code numClasses} or more, found in one pass over the mask: which ids, how many pixels of
 * each and where the first is, so that the fix can name the largest. Its message words the fix for the library
 * ({@code numClasses}, {@code MaskEncoding.ClassIds}); an app words its own from the same facts with
 * {@link #problem(String)} ("--classes 6", or "a model trained with --classes 6").
 */
public final class ClassIdRangeException extends BadFileException {

    /** Above this many distinct ids, they are given as a range, and no --mask-ignore list is suggested. */
    private static final int LISTED_IDS = 6;

    private final int numClasses;
    private final SortedMap<Integer, Integer> pixelsById;
    private final int firstX;
    private final int firstY;
    /** The encoding that gave the ids, as text; null for ids stored in the mask. */
    private final String mappedBy;
    /** A greyscale mask of class ids that holds 0 and N only, read for two classes: a binary mask stored as 0/N. */
    private final BinaryMask binaryMask;
    /** Whether a {@link MaskEncoding.ValueMap} gave the ids (rather than a palette, or the stored values). */
    private final boolean greyValuesMapped;

    /**
     * @param numClasses the classes the mask may hold (ids {@code 0..numClasses-1})
     * @param pixelsById each id of {@code numClasses} or more found, with its pixel count; not empty
     * @param firstX     the column of the first such pixel in reading order
     * @param firstY     its row
     * @param encoding   the mask's encoding: stored class ids, or a mapping of values or colours to ids
     * @param zeroAndOneValue whether the mask holds 0 and one id of {@code pixelsById} only (ignored pixels aside)
     * @param storedBits      the bits of the mask's stored samples (1, 2, 4, 8 or 16)
     */
    ClassIdRangeException(Path file, int numClasses, SortedMap<Integer, Integer> pixelsById, int firstX, int firstY,
                          MaskEncoding encoding, boolean zeroAndOneValue, int storedBits) {
        super(file, describe(numClasses, pixelsById, firstX, firstY, mappedBy(encoding), true)
                + libraryRemedy(numClasses, pixelsById, encoding,
                binaryMask(zeroAndOneValue, numClasses, pixelsById, encoding, storedBits)));
        this.numClasses = numClasses;
        this.binaryMask = binaryMask(zeroAndOneValue, numClasses, pixelsById, encoding, storedBits);
        this.greyValuesMapped = encoding instanceof MaskEncoding.ValueMap;
        this.pixelsById = Collections.unmodifiableSortedMap(new TreeMap<>(pixelsById));
        this.firstX = firstX;
        this.firstY = firstY;
        this.mappedBy = mappedBy(encoding);
    }

    /** The classes the mask was read for. */
    public int numClasses() {
        return numClasses;
    }

    /** The largest class id in the mask: a model of {@code largestId() + 1} classes reads it. */
    public int largestId() {
        return pixelsById.lastKey();
    }

    /** The ids of {@link #numClasses()} or more in the mask, ascending. */
    public List<Integer> ids() {
        return List.copyOf(pixelsById.keySet());
    }

    /**
     * Whether the ids are the values stored in the mask (so ignoring those values leaves them out), rather than ids a
     * palette or value map gave.
     */
    public boolean storedIds() {
        return mappedBy == null;
    }

    /**
     * A greyscale mask of class ids that holds only 0 and one other value N, read for two classes: it looks like a
     * binary mask stored as 0/N, whose fix is to read N as class 1 ({@link BinaryMask#valueMap()}), not to ignore N,
     * which would leave the foreground out of training. Empty otherwise.
     */
    public Optional<BinaryMask> binaryMask() {
        return Optional.ofNullable(binaryMask);
    }

    /** Whether the ids are those a {@link MaskEncoding.ValueMap} maps grey values to. */
    public boolean mappedFromGreyValues() {
        return greyValuesMapped;
    }

    /**
     * The ids as a list to ignore ({@code "4,5"}), or empty when there are too many to list: so many ids are rather
     * a mask of another kind (e.g. a greyscale picture) than values that mark pixels to leave out.
     */
    public String ignoreList() {
        return pixelsById.size() > LISTED_IDS ? "" : pixelsById.keySet().stream().map(String::valueOf)
                .collect(Collectors.joining(","));
    }

    /**
     * What was found, without a fix and without the library's field name: e.g. {@code "class ids 4 and 5 outside
     * 0..3, 1056 pixels (528 of id 4, 528 of id 5), first at x=44, y=0"}.
     */
    public String found() {
        return describe(numClasses, pixelsById, firstX, firstY, mappedBy, false);
    }

    /** {@link #found()} with an app's fix, as a problem of the file (without its name). */
    public String problem(String remedy) {
        return found() + "; " + remedy;
    }

    private static String describe(int numClasses, SortedMap<Integer, Integer> pixelsById, int firstX, int firstY,
                                   String mappedBy, boolean library) {
        boolean one = pixelsById.size() == 1;
        long pixels = pixelsById.values().stream().mapToLong(Integer::longValue).sum();
        String counts = one || pixelsById.size() > LISTED_IDS ? "" : pixelsById.entrySet().stream()
                .map(entry -> entry.getValue() + " of id " + entry.getKey())
                .collect(Collectors.joining(", ", " (", ")"));
        return (one ? "class id " : "class ids ") + idList(pixelsById)
                + (mappedBy == null ? "" : " (after " + mappedBy + ")")
                + " outside 0.." + (numClasses - 1) + (library ? " (numClasses " + numClasses + ")" : "") + ", "
                + pixels + " pixels" + counts + ", first at x=" + firstX + ", y=" + firstY;
    }

    private static String mappedBy(MaskEncoding encoding) {
        return encoding.storesIds() ? null : String.valueOf(encoding);
    }

    private static BinaryMask binaryMask(boolean zeroAndOneValue, int numClasses,
                                         SortedMap<Integer, Integer> pixelsById, MaskEncoding encoding,
                                         int storedBits) {
        // Grey masks only (palette indices are no grey levels), and for two classes: read for more, a mask of 0 and
        // one id is an image with one of the classes; read for one, the fix is two classes, not a value map.
        return zeroAndOneValue && numClasses == 2 && encoding instanceof MaskEncoding.ClassIds
                ? new BinaryMask(pixelsById.lastKey(), storedBits) : null;
    }

    /**
     * A binary mask stored as 0 and {@code stored} in samples of {@code bits}.
     *
     * @param stored the value stored for the foreground, e.g. 255
     * @param bits   the bits of the mask's samples: 1, 2, 4, 8 or 16
     */
    public record BinaryMask(int stored, int bits) {

        /**
         * The grey value 0-255 that {@link MaskEncoding.ValueMap} reads {@code stored} as (a 1, 2 or 4-bit sample is
         * scaled to 0-255, as viewers show it); empty for a 16-bit mask, which a value map does not read.
         */
        public OptionalInt grey() {
            return bits == 16 ? OptionalInt.empty()
                    : OptionalInt.of(bits >= 8 ? stored : stored * 255 / ((1 << bits) - 1));
        }

        /** {@code --mask-values}' text that reads the foreground as class 1, "0=0,255=1"; empty for 16 bits. */
        public Optional<String> valueMap() {
            return grey().isPresent() ? Optional.of("0=0," + grey().getAsInt() + "=1") : Optional.empty();
        }

        /** "0/255", or "0/3 in 2 bits", "0/65535 in 16 bits". */
        public String describe() {
            return "0/" + stored + (bits == 8 ? "" : " in " + bits + " bits");
        }
    }

    private static String libraryRemedy(int numClasses, SortedMap<Integer, Integer> pixelsById,
                                        MaskEncoding encoding, BinaryMask binary) {
        int needed = pixelsById.lastKey() + 1;
        if (!encoding.storesIds()) {
            return "; give numClasses " + needed + " or more, or map to ids below " + numClasses;
        }
        String java = encoding instanceof MaskEncoding.PaletteIndices ? "MaskEncoding.PaletteIndices"
                : "MaskEncoding.ClassIds";
        if (binary != null) {
            String held = "; the mask holds only 0 and " + binary.stored() + (binary.bits() == 8 ? ""
                    : " (" + binary.bits() + "-bit samples)") + ", so it looks like a binary mask stored as "
                    + binary.describe();
            String classId = "; or, if " + binary.stored() + " is a class id, give numClasses " + needed + " or more";
            if (binary.grey().isEmpty()) {
                return held + ", which a value map does not read: save it as an 8-bit mask of 0 and 1 (or of 0 and"
                        + " 255, read with --mask-values 0=0,255=1 on the command line,"
                        + " MaskEncoding.ValueMap.binary255() in Java)" + classId;
            }
            int grey = binary.grey().getAsInt();
            String valueMap = grey == 255 ? "MaskEncoding.ValueMap.binary255()"
                    : "new MaskEncoding.ValueMap(Map.of(0, 0, " + grey + ", 1))";
            return held + ": read " + binary.stored() + " as class 1, --mask-values " + binary.valueMap().orElseThrow()
                    + " on the command line, " + valueMap + " in Java" + classId;
        }
        boolean one = pixelsById.size() == 1;
        if (pixelsById.size() > LISTED_IDS) {
            return "; give numClasses " + needed + " or more, or ignore the values that mark pixels to leave out"
                    + " (--mask-ignore on the command line, " + java + "(ignored) in Java)";
        }
        String ids = pixelsById.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
        String list = pixelsById.keySet().stream().map(String::valueOf).collect(Collectors.joining(","));
        return "; give numClasses " + needed + " or more, or, if " + ids + (one ? " marks" : " mark") + " pixels to"
                + " leave out (as Pascal VOC's 255 borders), ignore " + (one ? "it" : "them") + ": --mask-ignore "
                + list + " on the command line, " + java + "(Set.of(" + ids + ")) in Java";
    }

    /** {@code 7}; {@code 4 and 5}; {@code 4, 5 and 9}; {@code 4 to 255 (252 values)} for more than a few. */
    private static String idList(SortedMap<Integer, Integer> pixelsById) {
        List<String> ids = pixelsById.keySet().stream().map(String::valueOf).toList();
        if (ids.size() > LISTED_IDS) {
            return pixelsById.firstKey() + " to " + pixelsById.lastKey() + " (" + ids.size() + " values)";
        }
        return ids.size() == 1 ? ids.get(0)
                : String.join(", ", ids.subList(0, ids.size() - 1)) + " and " + ids.get(ids.size() - 1);
    }
}
