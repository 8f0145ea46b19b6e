package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.encoder.EncoderNames;
import io.github.mdunet.zoo.ZooBackbone;
import io.github.mdunet.zoo.ZooEncoder;
import io.github.mdunet.zoo.ZooEncoderNames;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Encoders by a short name, for command lines and the calibration's child processes: {@code classic:DEPTH:WIDTH}
 * (a {@link ClassicEncoder} with batch norm) or {@code zoo:BACKBONE} (a {@link ZooEncoder} with random weights, e.g.
 * {@code zoo:SQUEEZENET}). The prefixes are the encoders' stable JSON names ({@link EncoderNames.Core#CLASSIC},
 * {@link ZooEncoderNames#ZOO}).
 */
public final class EncoderShorthand {

    /** The prefix of a classic encoder's short name, {@code classic}. */
    public static final String CLASSIC = EncoderNames.Core.CLASSIC;

    /** The prefix of a zoo encoder's short name, {@code zoo}. */
    private static final String ZOO = ZooEncoderNames.ZOO;

    private static final String SEPARATOR = ":";

    /** The classic encoder's form, {@code classic:DEPTH:WIDTH}. */
    static final String CLASSIC_FORM = CLASSIC + SEPARATOR + "DEPTH" + SEPARATOR + "WIDTH";

    /** A zoo encoder's form, {@code zoo:BACKBONE}. */
    private static final String ZOO_FORM = ZOO + SEPARATOR + "BACKBONE";

    /** Both forms, as help and messages name them: {@code classic:DEPTH:WIDTH or zoo:BACKBONE}. */
    public static final String FORMS = CLASSIC_FORM + " or " + ZOO_FORM;

    /** The accepted zoo names, {@code zoo:RESNET50, zoo:RESNET50_DL4J, ...} (enum names, not display names). */
    public static final String ZOO_NAMES = Arrays.stream(ZooBackbone.values()).map(EncoderShorthand::zoo)
            .collect(Collectors.joining(", "));

    private EncoderShorthand() {
    }

    /** @throws IllegalArgumentException naming the text and the accepted forms */
    public static Encoder parse(String name) {
        String[] parts = name == null ? new String[0] : name.trim().split(SEPARATOR);
        if (parts.length == 3 && parts[0].equalsIgnoreCase(CLASSIC)) {
            int depth;
            int width;
            try {
                depth = Integer.parseInt(parts[1]);
                width = Integer.parseInt(parts[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("encoder '" + name + "' must give DEPTH and WIDTH as whole numbers,"
                        + " e.g. " + classic(4, 16), e);
            }
            try {
                return new ClassicEncoder(depth, width, Normalization.BATCH);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("encoder '" + name + "' is not valid: " + e.getMessage(), e);
            }
        }
        if (parts.length == 2 && parts[0].equalsIgnoreCase(ZOO)) {
            String backbone = parts[1].toUpperCase(Locale.ROOT);
            return Arrays.stream(ZooBackbone.values()).filter(b -> b.name().equals(backbone)).findFirst()
                    .map(ZooEncoder::random)
                    .orElseThrow(() -> new IllegalArgumentException("encoder '" + name + "' names no zoo backbone:"
                            + " use one of " + ZOO_NAMES));
        }
        throw new IllegalArgumentException("encoder must be " + CLASSIC_FORM + " (e.g. " + classic(4, 16) + ") or "
                + ZOO_FORM + " (one of " + ZOO_NAMES + ") but was '" + name + "'");
    }

    /** The short name of {@code encoder} when it has one, else its {@code toString()}. */
    public static String nameOf(Encoder encoder) {
        if (encoder instanceof ClassicEncoder classic) {
            return classic(classic.depth(), classic.baseWidth());
        }
        if (encoder instanceof ZooEncoder zoo) {
            return zoo(zoo.backbone());
        }
        return encoder.toString();
    }

    /**
     * The family of {@code encoder}, as the memory calibration tells encoders apart: {@link #CLASSIC} for a classic
     * encoder of any depth and width, {@code zoo:BACKBONE} for a zoo one, else its {@link #nameOf}.
     */
    public static String family(Encoder encoder) {
        return encoder instanceof ClassicEncoder ? CLASSIC : nameOf(encoder);
    }

    /** The short name of the classic encoder of {@code depth} stages from {@code width} channels. */
    public static String classic(int depth, int width) {
        return CLASSIC + SEPARATOR + depth + SEPARATOR + width;
    }

    /** The short name of {@code backbone}'s encoder, e.g. {@code zoo:RESNET50}. */
    public static String zoo(ZooBackbone backbone) {
        return ZOO + SEPARATOR + backbone.name();
    }
}
