package io.github.mdunet.data.image;

import io.github.mdunet.core.encoder.ChannelOrder;
import io.github.mdunet.core.encoder.InputNormalization;

/**
 * Applies an encoder's {@link InputNormalization} to RGB (or grey) 0-255 planar pixels: output channel {@code c}
 * is {@code (x * scale - mean[c]) / std[c]}, where for {@link ChannelOrder#BGR} output channel 0 is blue and 2 is
 * red (and {@code mean}/{@code std} are given in that order, as {@code CAFFE_BGR} does). Images decoded by
 * {@link ImageFiles} are RGB; DataVec's loader would give BGR, which is why the order is explicit here.
 */
public final class PixelNormalizer {

    private final InputNormalization normalization;
    private final float scale;

    public PixelNormalizer(InputNormalization normalization) {
        if (normalization == null) {
            throw new IllegalArgumentException("PixelNormalizer.normalization must be set,"
                    + " e.g. InputNormalization.UNIT_RANGE");
        }
        this.normalization = normalization;
        this.scale = (float) normalization.scale();
    }

    public InputNormalization normalization() {
        return normalization;
    }

    /**
     * Writes the normalised planes of {@code rgb} ({@code channels x plane} values, RGB order) to {@code out} from
     * {@code offset}, in the normalisation's channel order.
     */
    public void normalize(float[] rgb, int channels, int plane, float[] out, int offset) {
        boolean swap = channels == 3 && normalization.channelOrder() == ChannelOrder.BGR;
        for (int c = 0; c < channels; c++) {
            int source = swap ? 2 - c : c;
            float mean = (float) normalization.meanOf(c);
            float inverseStd = (float) (1.0 / normalization.stdOf(c));
            int from = source * plane;
            int to = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                out[to + i] = (rgb[from + i] * scale - mean) * inverseStd;
            }
        }
    }

    /**
     * The inverse: normalised planes in the normalisation's channel order back to RGB 0-255 (not clamped), e.g. to
     * save an image-to-image prediction.
     */
    public float[] denormalize(float[] normalized, int channels, int plane, int offset) {
        boolean swap = channels == 3 && normalization.channelOrder() == ChannelOrder.BGR;
        float[] rgb = new float[channels * plane];
        for (int c = 0; c < channels; c++) {
            int target = swap ? 2 - c : c;
            double mean = normalization.meanOf(c);
            double std = normalization.stdOf(c);
            for (int i = 0; i < plane; i++) {
                rgb[target * plane + i] = (float) ((normalized[offset + c * plane + i] * std + mean) / scale);
            }
        }
        return rgb;
    }
}
