package io.github.mdunet.data.image;

/**
 * A decoded label mask: one class id per pixel, {@code ids[y * width + x]}, already mapped through the dataset's
 * {@link MaskEncoding} and checked against its class count.
 *
 * @param height rows
 * @param width  columns
 * @param ids    {@code height * width} class ids in {@code 0..numClasses-1}, or {@link #IGNORED} where the
 *               encoding ignores the pixel
 */
public record LabelMask(int height, int width, int[] ids) {

    /** The id of a pixel that counts in neither loss nor metrics (an ignored value or colour of the encoding). */
    public static final int IGNORED = -1;

    public LabelMask {
        if (height < 1 || width < 1 || ids.length != height * width) {
            throw new IllegalArgumentException("LabelMask needs height, width >= 1 and height*width ids but was "
                    + height + "x" + width + " with " + ids.length + " ids");
        }
    }

    /**
     * Writes the labels mask of {@code ids} into {@code mask} from {@code offset}: 0 where an id is {@link #IGNORED},
     * 1 where it is a class.
     */
    public static void writeCounted(int[] ids, float[] mask, int offset) {
        for (int i = 0; i < ids.length; i++) {
            mask[offset + i] = ids[i] == IGNORED ? 0f : 1f;
        }
    }

    /** Whether some pixel is {@link #IGNORED}. */
    public boolean hasIgnored() {
        for (int id : ids) {
            if (id == IGNORED) {
                return true;
            }
        }
        return false;
    }

    /** The class id at row {@code y}, column {@code x}. */
    public int at(int y, int x) {
        return ids[y * width + x];
    }
}
