package io.github.mdunet.core.config;

import io.github.mdunet.core.checks.Checks;
import java.util.List;
import org.nd4j.shade.jackson.annotation.JsonSubTypes;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/** The output channels of the decoder stages: by a {@link ChannelReduction} rule or as an explicit list. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DecoderWidths.ByRule.class, name = "rule"),
        @JsonSubTypes.Type(value = DecoderWidths.Explicit.class, name = "explicit")
})
public sealed interface DecoderWidths {

    /** Widths derived from each stage's input by a rule. */
    record ByRule(ChannelReduction rule) implements DecoderWidths {
        public ByRule {
            if (rule == null) {
                throw new IllegalArgumentException("decoderWidths.rule (the builder's channelReduction) must be "
                        + Checks.oneOf(ChannelReduction.class) + " but was null");
            }
        }

        /** The rule's name, as summaries and benchmark tables show it: {@code EQ_SKIP}. */
        @Override
        public String toString() {
            return rule.name();
        }
    }

    /**
     * One output width per decoder stage, deepest stage first (like smp's {@code decoder_channels}).
     * The count must equal the encoder's skip count; the U-Net builder checks it.
     */
    record Explicit(List<Integer> channels) implements DecoderWidths {
        public Explicit {
            Checks.requireSet("decoderChannels", channels,
                    "one width per decoder stage, deepest first, e.g. List.of(64, 32)");
            for (int i = 0; i < channels.size(); i++) {
                Checks.requireSet("decoderChannels[" + i + "]", channels.get(i), "a width >= 1");
            }
            channels = List.copyOf(channels);
            if (channels.isEmpty()) {
                throw new IllegalArgumentException("decoderChannels must list one width per decoder stage"
                        + " but was empty");
            }
            for (int i = 0; i < channels.size(); i++) {
                Checks.atLeast("decoderChannels[" + i + "]", channels.get(i), 1);
            }
        }

        /** As summaries and benchmark tables show it: {@code decoderChannels [256, 128, 64]}. */
        @Override
        public String toString() {
            return "decoderChannels " + channels;
        }
    }
}
