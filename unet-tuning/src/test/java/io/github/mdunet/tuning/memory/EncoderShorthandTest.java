package io.github.mdunet.tuning.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.zoo.ZooBackbone;
import io.github.mdunet.zoo.ZooEncoder;
import org.junit.jupiter.api.Test;

class EncoderShorthandTest {

    @Test
    void namesRoundTrip() {
        assertThat(EncoderShorthand.parse("classic:4:16")).isEqualTo(new ClassicEncoder(4, 16, Normalization.BATCH));
        assertThat(EncoderShorthand.parse("zoo:resnet50_dl4j")).isEqualTo(ZooEncoder.random(ZooBackbone.RESNET50_DL4J));
        for (ZooBackbone backbone : ZooBackbone.values()) {
            String name = EncoderShorthand.nameOf(ZooEncoder.random(backbone));
            assertThat(EncoderShorthand.parse(name)).isEqualTo(ZooEncoder.random(backbone));
            assertThat(EncoderShorthand.ZOO_NAMES).contains(name);
        }
    }

    /** The prefixes are the encoders' stable JSON names; the family drops a classic encoder's depth and width. */
    @Test
    void namesAndFamiliesAreSpelledAsBefore() {
        assertThat(EncoderShorthand.nameOf(new ClassicEncoder(3, 8, Normalization.BATCH))).isEqualTo("classic:3:8");
        assertThat(EncoderShorthand.classic(5, 32)).isEqualTo("classic:5:32");
        assertThat(EncoderShorthand.zoo(ZooBackbone.VGG16)).isEqualTo("zoo:VGG16");
        assertThat(EncoderShorthand.family(new ClassicEncoder(3, 8, Normalization.BATCH))).isEqualTo("classic");
        assertThat(EncoderShorthand.family(ZooEncoder.imagenet(ZooBackbone.XCEPTION))).isEqualTo("zoo:XCEPTION");
        assertThat(EncoderShorthand.FORMS).isEqualTo("classic:DEPTH:WIDTH or zoo:BACKBONE");
    }

    @Test
    void errorsNameTheTextAndTheNamesThatWork() {
        assertThatThrownBy(() -> EncoderShorthand.parse("resnet50"))
                .hasMessageStartingWith("encoder must be classic:DEPTH:WIDTH (e.g. classic:4:16) or zoo:BACKBONE"
                        + " (one of zoo:RESNET50, zoo:RESNET50_DL4J, ")
                .hasMessageEndingWith("but was 'resnet50'");
        assertThatThrownBy(() -> EncoderShorthand.parse("zoo:RESNET51"))
                .hasMessage("encoder 'zoo:RESNET51' names no zoo backbone: use one of " + EncoderShorthand.ZOO_NAMES);
        assertThatThrownBy(() -> EncoderShorthand.parse("classic:4:wide"))
                .hasMessage("encoder 'classic:4:wide' must give DEPTH and WIDTH as whole numbers, e.g. classic:4:16");
        assertThatThrownBy(() -> EncoderShorthand.parse("classic:0:16"))
                .hasMessageStartingWith("encoder 'classic:0:16' is not valid: ClassicEncoder.depth must be in [1, ");
    }
}
