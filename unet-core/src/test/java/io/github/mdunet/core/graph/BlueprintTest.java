package io.github.mdunet.core.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.testing.LookalikeEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The blueprint says which block each vertex belongs to, recorded while the factory adds it: no name is parsed. */
class BlueprintTest {

    private static UNetConfig config(BlockLayers layers) {
        return UNetConfig.builder().encoder(new ClassicEncoder(3, 4, Normalization.BATCH))
                .input(new ImageShape(3, 40, 56)).numClasses(3).midAttention(true).attentionGates(2).lastCross(true)
                .layers(layers).build();
    }

    @ParameterizedTest
    @EnumSource(BlockLayers.class)
    void everyVertexHasItsBlock(BlockLayers layers) {
        UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(config(layers));

        assertThat(blueprint.blocks().keySet()).contains(VertexNames.INPUT)
                .containsAll(blueprint.configuration().getVertices().keySet());
        assertThat(blueprint.blockOf(VertexNames.INPUT)).isEqualTo(GraphBlock.INPUT);
        assertThat(blueprint.encoderVertices()).allMatch(name -> name.startsWith("enc"))
                .contains(blueprint.encoderSpec().bottleneck().vertexName());
        assertThat(blueprint.verticesOf(GraphBlock.MIDDLE)).contains("mid_attention")
                .allMatch(name -> name.startsWith("mid_"));
        for (int stage = 1; stage <= 3; stage++) {
            String prefix = VertexNames.decoderStage(stage) + "_";
            assertThat(blueprint.verticesOf(GraphBlock.decoderStage(stage))).isNotEmpty()
                    .allMatch(name -> name.startsWith(prefix));
        }
        assertThat(blueprint.blockOf("dec3_gate")).isEqualTo(GraphBlock.decoderStage(3));
        assertThat(blueprint.blockOf("cross_concat")).isEqualTo(GraphBlock.FINAL);
        assertThat(blueprint.verticesOf(GraphBlock.HEAD)).containsExactly(VertexNames.HEAD, VertexNames.OUTPUT);
        assertThat(blueprint.blockOf(VertexNames.OUTPUT)).hasToString("head");
    }

    @Test
    void anEncoderWhoseVerticesLookLikeTheDecodersIsStillTheEncoder() {
        UNetConfig config = UNetConfig.builder().encoder(new LookalikeEncoder()).input(new ImageShape(1, 32, 32))
                .numClasses(1).head(new HeadActivation.Sigmoid()).build();
        UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(config);

        assertThat(blueprint.encoderVertices()).containsExactly("mid_stem", "dec1_down", "head_deep");
        assertThat(blueprint.blockOf("dec1_down")).isEqualTo(GraphBlock.ENCODER);
        assertThat(blueprint.blockOf("mid_1_conv_bn_act")).isEqualTo(GraphBlock.MIDDLE);
    }

    @Test
    void anUnknownVertexIsRefusedListingTheVertices() {
        UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(config(BlockLayers.FUSED));
        assertThatThrownBy(() -> blueprint.blockOf("dec9_1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no vertex 'dec9_1'").hasMessageContaining("head_conv");
    }

    @Test
    void decoderStagesNeedAnIndexAndOtherBlocksNone() {
        assertThat(GraphBlock.decoderStage(2)).hasToString("decoder stage 2");
        assertThatThrownBy(() -> GraphBlock.decoderStage(0)).hasMessageContaining("stage must be >= 1");
        assertThatThrownBy(() -> new GraphBlock(GraphBlock.Part.HEAD, 1)).hasMessageContaining("was 1 for HEAD");
    }
}
