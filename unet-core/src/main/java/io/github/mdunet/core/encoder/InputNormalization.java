package io.github.mdunet.core.encoder;

import java.io.Serializable;
import java.util.List;

/**
 * How an encoder expects its input pixels: {@code x' = (x * scale - mean[c]) / std[c]} for raw pixel values
 * {@code x} in 0-255, channels in {@code channelOrder}. Pretrained encoders declare the normalisation they were
 * trained with; data pipelines apply it. Serializable, as the DL4J evaluations that hold it
 * ({@code ImageQualityEvaluation}) must be.
 *
 * @param channelOrder the colour order the encoder expects (for 3-channel input)
 * @param scale        multiplies the raw 0-255 value first (1/255 for [0, 1] inputs, 1 for caffe-style inputs)
 * @param mean         subtracted per channel after scaling, one value per channel (or one for all)
 * @param std          divides per channel after the mean, one value per channel (or one for all)
 */
public record InputNormalization(ChannelOrder channelOrder, double scale, List<Double> mean, List<Double> std)
        implements Serializable {

    /** Pixels scaled to [0, 1], RGB: the default for encoders trained from scratch. */
    public static final InputNormalization UNIT_RANGE =
            new InputNormalization(ChannelOrder.RGB, 1.0 / 255, List.of(0.0), List.of(1.0));

    /** torchvision's ImageNet statistics on [0, 1] RGB input. */
    public static final InputNormalization IMAGENET =
            new InputNormalization(ChannelOrder.RGB, 1.0 / 255, List.of(0.485, 0.456, 0.406),
                    List.of(0.229, 0.224, 0.225));

    /** Caffe/Keras "caffe" mode: BGR, 0-255, ImageNet mean subtracted, no scaling (DL4J's VGG16 preprocessor). */
    public static final InputNormalization CAFFE_BGR =
            new InputNormalization(ChannelOrder.BGR, 1.0, List.of(103.939, 116.779, 123.68), List.of(1.0));

    public InputNormalization {
        if (channelOrder == null) {
            throw new IllegalArgumentException("InputNormalization.channelOrder must be RGB or BGR but was null");
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("InputNormalization.scale must be a finite number > 0 but was " + scale);
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.isEmpty() || std.isEmpty()) {
            throw new IllegalArgumentException("InputNormalization.mean and std need at least one value but were "
                    + mean + " and " + std);
        }
        for (int i = 0; i < std.size(); i++) {
            if (!(std.get(i) > 0)) {
                throw new IllegalArgumentException("InputNormalization.std[" + i + "] must be > 0 but was "
                        + std.get(i));
            }
        }
    }

    /** The mean for channel {@code c} (the single value when one is given for all). */
    public double meanOf(int channel) {
        return mean.get(mean.size() == 1 ? 0 : channel);
    }

    /** The standard deviation for channel {@code c} (the single value when one is given for all). */
    public double stdOf(int channel) {
        return std.get(std.size() == 1 ? 0 : channel);
    }
}
