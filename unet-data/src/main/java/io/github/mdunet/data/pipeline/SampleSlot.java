package io.github.mdunet.data.pipeline;

/**
 * Where one sample goes in a batch's arrays: features {@code [C, H, W]} from {@code featureOffset}, labels
 * {@code [K, H', W']} from {@code labelOffset} and, for a source that {@link SampleSource#masksLabels() masks labels},
 * the labels mask {@code [1, H', W']} from {@code maskOffset} (1 where a pixel counts, 0 where it is ignored).
 *
 * @param labelsMask the batch's labels mask, or null when the source masks no labels
 */
public record SampleSlot(float[] features, int featureOffset, float[] labels, int labelOffset, float[] labelsMask,
                         int maskOffset) {

    /** A slot without a labels mask. */
    public SampleSlot(float[] features, int featureOffset, float[] labels, int labelOffset) {
        this(features, featureOffset, labels, labelOffset, null, 0);
    }
}
