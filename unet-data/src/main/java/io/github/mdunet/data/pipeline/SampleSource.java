package io.github.mdunet.data.pipeline;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.data.image.SampleDepth;
import java.util.SplittableRandom;

/**
 * Indexed samples that write themselves into batch arrays. Implementations are immutable and thread-safe: the
 * prefetch threads call {@link #load} concurrently.
 */
public interface SampleSource {

    /** Number of samples. */
    int size();

    /** The feature shape of one sample, {@code [C, H, W]}. */
    ImageShape featureShape();

    /** The label shape of one sample, {@code [K, H', W']}. */
    ImageShape labelShape();

    /**
     * Whether some labels pixels are to be ignored, so that batches carry a labels mask {@code [N, 1, H', W']} (1
     * counts, 0 ignored) and {@link #load} writes its part. By default none.
     */
    default boolean masksLabels() {
        return false;
    }

    /**
     * Decodes sample {@code index}, augments it with draws from {@code random} only, and writes its
     * features (CHW, normalised), labels (CHW) and, if {@link #masksLabels()}, its labels mask into {@code slot}.
     */
    void load(int index, SplittableRandom random, SampleSlot slot);

    /**
     * How targets become labels, or inputs are made from them, beyond the pipeline's settings, for telling whether a
     * dataset changed: e.g. a mask encoding with a palette or ignored values, or a super-resolution degradation with
     * its scale. Empty (the default) when the stored targets are the labels and the stored inputs the features.
     */
    default String targetEncoding() {
        return "";
    }

    /**
     * How image files are read beyond their own format, for telling whether a dataset changed: e.g.
     * {@code "16-bit images as 12-bit values"}. Empty (the default) when each file is read at its own depth.
     */
    default String imageReading() {
        return "";
    }

    /**
     * The {@link #imageReading()} of a source that reads 16-bit samples as values of {@code significantBits} bits:
     * {@code "16-bit images as 12-bit values"}, empty at 16 bits (each file read at its own depth).
     */
    static String sixteenBitReading(int significantBits) {
        return significantBits == SampleDepth.SIXTEEN_BIT.bits() ? ""
                : "16-bit images as " + significantBits + "-bit values";
    }

    /** A short description of sample {@code index} for messages, e.g. its file names. */
    String describe(int index);

    /**
     * What sample {@code index} is, for telling whether a dataset changed: equal for the same sample also after its
     * folder moved, different when a file was replaced by one of another size. By default {@link #describe}.
     */
    default String identity(int index) {
        return describe(index);
    }
}
