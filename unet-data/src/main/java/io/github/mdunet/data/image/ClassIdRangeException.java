package io.github.mdunet.data.image;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
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

    /**
     * @param numClasses the classes the mask may hold (ids {@code 0..numClasses-1})
     * @param pixelsById each id of {@code numClasses} or more found, with its pixel count; not empty
     * @param firstX     the column of the first such pixel in reading order
     * @param firstY     its row
     * @param encoding   the mask's encoding: stored class ids, or a mapping of values or colours to ids
     */
    ClassIdRangeException(Path file, int numClasses, SortedMap<Integer, Integer> pixelsById, int firstX, int firstY,
                          MaskEncoding encoding) {
        super(file, describe(numClasses, pixelsById, firstX, firstY, mappedBy(encoding), true)
                + libraryRemedy(numClasses, pixelsById, encoding));
        this.numClasses = numClasses;
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
        return encoding instanceof MaskEncoding.ClassIds ? null : String.valueOf(encoding);
    }

    private static String libraryRemedy(int numClasses, SortedMap<Integer, Integer> pixelsById,
                                        MaskEncoding encoding) {
        int needed = pixelsById.lastKey() + 1;
        if (!(encoding instanceof MaskEncoding.ClassIds)) {
            return "; give numClasses " + needed + " or more, or map to ids below " + numClasses;
        }
        boolean one = pixelsById.size() == 1;
        if (pixelsById.size() > LISTED_IDS) {
            return "; give numClasses " + needed + " or more, or ignore the values that mark pixels to leave out"
                    + " (--mask-ignore on the command line, MaskEncoding.ClassIds(ignored) in Java)";
        }
        String ids = pixelsById.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
        String list = pixelsById.keySet().stream().map(String::valueOf).collect(Collectors.joining(","));
        return "; give numClasses " + needed + " or more, or, if " + ids + (one ? " marks" : " mark") + " pixels to"
                + " leave out (as Pascal VOC's 255 borders), ignore " + (one ? "it" : "them") + ": --mask-ignore "
                + list + " on the command line, MaskEncoding.ClassIds(Set.of(" + ids + ")) in Java";
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
