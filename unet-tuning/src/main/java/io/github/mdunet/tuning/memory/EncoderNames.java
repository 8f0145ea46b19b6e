package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.config.Normalization;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.zoo.ZooBackbone;
import io.github.mdunet.zoo.ZooEncoder;
import java.util.Arrays;
import java.util.Locale;

/**
 * Encoders by a short name, for command lines and the calibration's child processes: {@code classic:DEPTH:WIDTH}
 * (a {@link ClassicEncoder} with batch norm) or {@code zoo:BACKBONE} (a {@link ZooEncoder} with random weights, e.g.
 * {@code zoo:SQUEEZENET}).
 */
public final class EncoderNames {

    private EncoderNames() {
    }

    /** @throws IllegalArgumentException naming the text and the accepted forms */
    public static Encoder parse(String name) {
        String[] parts = name == null ? new String[0] : name.trim().split(":");
        try {
            if (parts.length == 3 && parts[0].equalsIgnoreCase("classic")) {
                return new ClassicEncoder(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Normalization.BATCH);
            }
            if (parts.length == 2 && parts[0].equalsIgnoreCase("zoo")) {
                return ZooEncoder.random(ZooBackbone.valueOf(parts[1].toUpperCase(Locale.ROOT)));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encoder '" + name + "' is not valid: " + e.getMessage()
                    + " (zoo backbones: " + Arrays.toString(ZooBackbone.values()) + ")", e);
        }
        throw new IllegalArgumentException("encoder must be classic:DEPTH:WIDTH (e.g. classic:4:16) or zoo:BACKBONE"
                + " (one of " + Arrays.toString(ZooBackbone.values()) + ") but was '" + name + "'");
    }

    /** The short name of {@code encoder} when it has one, else its {@code toString()}. */
    public static String nameOf(Encoder encoder) {
        if (encoder instanceof ClassicEncoder classic) {
            return "classic:" + classic.depth() + ":" + classic.baseWidth();
        }
        if (encoder instanceof ZooEncoder zoo) {
            return "zoo:" + zoo.backbone().name();
        }
        return encoder.toString();
    }
}
