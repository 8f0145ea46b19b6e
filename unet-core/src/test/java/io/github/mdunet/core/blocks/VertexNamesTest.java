package io.github.mdunet.core.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.graph.GraphBlock;
import io.github.mdunet.core.graph.UNetGraphFactory;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The names the U-Net reserves are exactly those its builder can make outside the encoder. */
class VertexNamesTest {

    @Test
    void everyVertexTheUNetAddsIsReservedAndNoneOfTheClassicEncoders() {
        UNetConfig config = UNetConfig.builder().encoder(new ClassicEncoder(3, 4, Normalization.BATCH))
                .input(new ImageShape(3, 40, 56)).numClasses(3).midAttention(true).attentionGates(2).lastCross(true)
                .build();
        UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(config);
        Set<String> unetVertices = new HashSet<>(blueprint.blocks().keySet());
        unetVertices.removeAll(blueprint.verticesOf(GraphBlock.ENCODER));

        assertThat(unetVertices).contains(VertexNames.INPUT, VertexNames.OUTPUT, VertexNames.HEAD, "cross_concat")
                .allMatch(VertexNames::isReservedByUNet);
        assertThat(blueprint.encoderVertices()).isNotEmpty().noneMatch(VertexNames::isReservedByUNet);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mid", "middle", "dec_1", "decoder_up", "dec1x_conv", "res2a_branch2a", "stem-act1",
            "heads", "inputs"})
    void namesOutsideTheUNetsBlocksAreFree(String name) {
        assertThat(VertexNames.isReservedByUNet(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mid_x", "dec12_gate", "final_up", "cross_y", "head_anything", "input", "output"})
    void namesInTheUNetsBlocksAreReserved(String name) {
        assertThat(VertexNames.isReservedByUNet(name)).isTrue();
    }

    @Test
    void theDescriptionNamesEveryReservedForm() {
        assertThat(VertexNames.describeReservedByUNet())
                .isEqualTo("'input', 'output', or the prefixes mid_, final_, cross_, head_, dec<k>_");
    }
}
