package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import java.math.BigDecimal;

/**
 * One configuration whose memory {@link MemoryCalibration} measures: a U-Net (2 classes, pixel shuffle, Adam, FLOAT)
 * on square RGB inputs. Its text form, {@code encoder/size/batch/reduction/midScale[/FUSED]} (e.g.
 * {@code classic:4:16/128/4/EQ_SKIP/1.0}, DL4J's stock layers, or {@code zoo:RESNET50/512/8/EQ_SKIP/1.0/FUSED}),
 * is how it is recorded: {@link #toString()} writes the mid scale whole ({@link Double#toString}), so that the text
 * parses back to the same network (0.125 written as 0.13 would be another one, and 1.004 the same key as 1.0);
 * {@link #label()} is the form for tables. Texts with the mid scale rounded to 2 decimals, as earlier versions wrote
 * them, still parse, to the scale they show.
 *
 * @param encoder   an {@link EncoderShorthand} name
 * @param size      input height and width
 * @param batch     mini-batch size
 * @param reduction the decoder's channel reduction
 * @param midScale  the mid block's channel scale
 * @param layers    the layer path ({@code STOCK} for the cases recorded before the fused blocks existed)
 */
public record CalibrationCase(String encoder, int size, int batch, ChannelReduction reduction, double midScale,
                              BlockLayers layers) {

    public static final int NUM_CLASSES = 2;

    /** A case on DL4J's stock layers. */
    public CalibrationCase(String encoder, int size, int batch, ChannelReduction reduction, double midScale) {
        this(encoder, size, batch, reduction, midScale, BlockLayers.STOCK);
    }

    public CalibrationCase {
        EncoderShorthand.parse(encoder);
        Checks.requireSet("CalibrationCase.layers", layers, BlockLayers.class);
        if (size < 1 || batch < 1) {
            throw new IllegalArgumentException("CalibrationCase size and batch must be >= 1 but were " + size + ", "
                    + batch);
        }
    }

    public UNetConfig toConfig() {
        return UNetConfig.builder()
                .encoder(EncoderShorthand.parse(encoder))
                .input(new ImageShape(3, size, size))
                .numClasses(NUM_CLASSES)
                .channelReduction(reduction)
                .midChannelScale(midScale)
                .layers(layers)
                .build();
    }

    public static CalibrationCase parse(String text) {
        String expected = "calibration case must be encoder/size/batch/reduction/midScale[/layers] (e.g."
                + " classic:4:16/128/4/EQ_SKIP/1.0 or zoo:RESNET50/512/8/EQ_SKIP/1.0/FUSED) but was '" + text + "'";
        String[] parts = text.split("/");
        if (parts.length != 5 && parts.length != 6) {
            throw new IllegalArgumentException(expected);
        }
        try {
            return new CalibrationCase(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                    ChannelReduction.valueOf(parts[3]), Double.parseDouble(parts[4]),
                    parts.length == 6 ? BlockLayers.valueOf(parts[5]) : BlockLayers.STOCK);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(expected + ": " + e.getMessage(), e);
        }
    }

    /** The text form, the key of the case in calibration.csv: the mid scale whole, as {@link #parse} reads it back. */
    @Override
    public String toString() {
        return text(Double.toString(midScale));
    }

    /**
     * The text form for tables: the mid scale with 2 decimals ({@code 1.00}, {@code 0.50}), or as many as it has
     * beyond them ({@code 0.125}, {@code 1.004}), so that no two cases look alike.
     */
    public String label() {
        BigDecimal scale = BigDecimal.valueOf(midScale).stripTrailingZeros();
        return text((scale.scale() < 2 ? scale.setScale(2) : scale).toPlainString());
    }

    private String text(String scale) {
        return encoder + "/" + size + "/" + batch + "/" + reduction + "/" + scale
                + (layers == BlockLayers.STOCK ? "" : "/" + layers);
    }
}
