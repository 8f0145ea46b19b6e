package io.github.mdunet.data.stats;

import io.github.mdunet.data.image.LabelMask;

/**
 * The pixels of each class in one label mask, and its ignored pixels: what the validation pass counts as it reads
 * every mask, so that the class frequencies of any split of the folder follow without reading a mask again.
 *
 * @param pixels  for each class id {@code 0..numClasses-1}, its pixels in the mask
 * @param ignored the mask's pixels that the encoding ignores ({@link LabelMask#IGNORED})
 */
public record MaskClassCounts(long[] pixels, long ignored) {

    public MaskClassCounts {
        pixels = pixels.clone();
    }

    /** Counts the classes of {@code mask}, whose ids are in {@code 0..numClasses-1} or {@link LabelMask#IGNORED}. */
    public static MaskClassCounts of(LabelMask mask, int numClasses) {
        long[] pixels = new long[numClasses];
        long ignored = 0;
        for (int id : mask.ids()) {
            if (id == LabelMask.IGNORED) {
                ignored++;
            } else {
                pixels[id]++;
            }
        }
        return new MaskClassCounts(pixels, ignored);
    }

    /** The pixels of the mask that count: every pixel but the ignored ones. */
    public long counted() {
        long counted = 0;
        for (long p : pixels) {
            counted += p;
        }
        return counted;
    }

    @Override
    public long[] pixels() {
        return pixels.clone();
    }
}
