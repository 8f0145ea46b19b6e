package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ImageShape;
import java.util.Locale;

/**
 * One configuration whose memory {@link MemoryCalibration} measures: a U-Net (2 classes, pixel shuffle, Adam, FLOAT)
 * on square RGB inputs. Its text form, {@code encoder/size/batch/reduction/midScale} (e.g.
 * {@code classic:4:16/128/4/EQ_SKIP/1.0}), is how it travels to the child JVM.
 *
 * @param encoder   an {@link EncoderNames} name
 * @param size      input height and width
 * @param batch     mini-batch size
 * @param reduction the decoder's channel reduction
 * @param midScale  the mid block's channel scale
 */
public record CalibrationCase(String encoder, int size, int batch, ChannelReduction reduction, double midScale) {

    public static final int NUM_CLASSES = 2;

    public CalibrationCase {
        EncoderNames.parse(encoder);
        if (size < 1 || batch < 1) {
            throw new IllegalArgumentException("CalibrationCase size and batch must be >= 1 but were " + size + ", " + batch);
        }
    }

    public UNetConfig toConfig() {
        return UNetConfig.builder()
                .encoder(EncoderNames.parse(encoder))
                .input(new ImageShape(3, size, size))
                .numClasses(NUM_CLASSES)
                .channelReduction(reduction)
                .midChannelScale(midScale)
                .build();
    }

    public static CalibrationCase parse(String text) {
        String[] parts = text.split("/");
        if (parts.length != 5) {
            throw new IllegalArgumentException("calibration case must be encoder/size/batch/reduction/midScale"
                    + " (e.g. classic:4:16/128/4/EQ_SKIP/1.0) but was '" + text + "'");
        }
        return new CalibrationCase(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                ChannelReduction.valueOf(parts[3]), Double.parseDouble(parts[4]));
    }

    @Override
    public String toString() {
        return encoder + "/" + size + "/" + batch + "/" + reduction + "/" + String.format(Locale.ROOT, "%.2f", midScale);
    }
}
