package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.zoo.ZooBackbone;
import io.github.mdunet.zoo.ZooEncoder;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Encoders by a short name, for command lines and the calibration's child processes: {@code classic:DEPTH:WIDTH}
 * (a {@link ClassicEncoder} with batch norm) or {@code zoo:BACKBONE} (a {@link ZooEncoder} with random weights, e.g.
 * {@code zoo:SQUEEZENET}).
 */
public final class EncoderShorthand {

    /** The accepted zoo names, {@code zoo:RESNET50, zoo:RESNET50_DL4J, ...} (enum names, not display names). */
    public static final String ZOO_NAMES = Arrays.stream(ZooBackbone.values()).map(b -> "zoo:" + b.name())
            .collect(Collectors.joining(", "));

    private EncoderShorthand() {
    }

    /** @throws IllegalArgumentException naming the text and the accepted forms */
    public static Encoder parse(String name) {
        String[] parts = name == null ? new String[0] : name.trim().split(":");
        if (parts.length == 3 && parts[0].equalsIgnoreCase("classic")) {
            int depth;
            int width;
            try {
                depth = Integer.parseInt(parts[1]);
                width = Integer.parseInt(parts[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("encoder '" + name + "' must give DEPTH and WIDTH as whole numbers,"
                        + " e.g. classic:4:16", e);
            }
            try {
                return new ClassicEncoder(depth, width, Normalization.BATCH);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("encoder '" + name + "' is not valid: " + e.getMessage(), e);
            }
        }
        if (parts.length == 2 && parts[0].equalsIgnoreCase("zoo")) {
            String backbone = parts[1].toUpperCase(Locale.ROOT);
            return Arrays.stream(ZooBackbone.values()).filter(b -> b.name().equals(backbone)).findFirst()
                    .map(ZooEncoder::random)
                    .orElseThrow(() -> new IllegalArgumentException("encoder '" + name + "' names no zoo backbone:"
                            + " use one of " + ZOO_NAMES));
        }
        throw new IllegalArgumentException("encoder must be classic:DEPTH:WIDTH (e.g. classic:4:16) or zoo:BACKBONE"
                + " (one of " + ZOO_NAMES + ") but was '" + name + "'");
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
