package io.github.mdunet.examples;

import io.github.mdunet.app.ParsingConverter;
import io.github.mdunet.zoo.ZooBackbone;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The {@code --encoder} of {@code train-folder}: the classic U-Net encoder ({@link #CLASSIC}) or a DL4J zoo backbone,
 * whose names come from {@link ZooBackbone#values()}; parsed in any case ({@code resnet50} as the README writes it).
 *
 * @param backbone the zoo backbone, or null for the classic encoder
 */
record EncoderChoice(ZooBackbone backbone) {

    /** The name of the classic U-Net encoder, beside the zoo backbones' enum names. */
    static final String CLASSIC_NAME = "CLASSIC";

    /** The classic U-Net encoder. */
    static final EncoderChoice CLASSIC = new EncoderChoice(null);

    /** True for the classic encoder, false for a zoo backbone. */
    boolean classic() {
        return backbone == null;
    }

    /** Every accepted name, the classic encoder first. */
    static List<String> names() {
        return Stream.concat(Stream.of(CLASSIC_NAME), Stream.of(ZooBackbone.values()).map(Enum::name)).toList();
    }

    /**
     * The choice named {@code value} in any case.
     *
     * @throws IllegalArgumentException naming the value and every accepted name
     */
    static EncoderChoice parse(String value) {
        String name = value.toUpperCase(Locale.ROOT);
        if (name.equals(CLASSIC_NAME)) {
            return CLASSIC;
        }
        for (ZooBackbone backbone : ZooBackbone.values()) {
            if (backbone.name().equals(name)) {
                return new EncoderChoice(backbone);
            }
        }
        throw new IllegalArgumentException("expected one of " + names() + " (case-insensitive) but was '" + value
                + "'");
    }

    /** The name as {@link #parse} reads it, as the enum it replaces printed it (e.g. {@code RESNET50}). */
    @Override
    public String toString() {
        return classic() ? CLASSIC_NAME : backbone.name();
    }

    /** Picocli's converter for the option. */
    static final class Converter extends ParsingConverter<EncoderChoice> {
        public Converter() {
            super(EncoderChoice::parse);
        }
    }

    /** The option's completion candidates, listed by {@code ${COMPLETION-CANDIDATES}} in {@code --help}. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return names().iterator();
        }
    }
}
