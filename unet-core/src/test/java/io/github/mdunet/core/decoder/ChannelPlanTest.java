package io.github.mdunet.core.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.graph.TestEncoders;
import io.github.mdunet.core.model.UNet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pins the channel plan of each rule on known encoders. Rows: {upIn, upOut, concat, out} per stage. */
class ChannelPlanTest {

    /** Classic encoder depth 4, width 16: skips 16, 32, 64, 128; bottleneck 256. */
    private static UNetConfig.Builder classic() {
        return UNetConfig.builder().encoder(new ClassicEncoder(4, 16, Normalization.BATCH))
                .input(new ImageShape(3, 64, 64)).numClasses(2);
    }

    /** ResNet-like widths: skips 16, 64, 128; bottleneck 256; skips are wide compared with what comes up. */
    private static UNetConfig.Builder wide() {
        return UNetConfig.builder().encoder(new TestEncoders.Strided(List.of(16, 64, 128, 256)))
                .input(new ImageShape(3, 64, 64)).numClasses(2);
    }

    private static int[][] rows(ChannelPlan plan) {
        return plan.stages().stream().map(s -> new int[] {s.upInputChannels(), s.upOutputChannels(),
                s.concatChannels(), s.outputChannels()}).toArray(int[][]::new);
    }

    /** Each rule's rows on an encoder where it shows; only the last stage's output tells HALVE from EQ_SKIP. */
    static Stream<Arguments> reductionRules() {
        return Stream.of(
                Arguments.of("NONE is fastai's rule: full width, then half at the last stage", classic(),
                        ChannelReduction.NONE, new int[][] {
                                {256, 128, 256, 256}, {256, 128, 192, 192}, {192, 96, 128, 128}, {128, 64, 80, 40}}),
                Arguments.of("HALVE outputs half the concatenation", wide(), ChannelReduction.HALVE,
                        new int[][] {{256, 128, 256, 128}, {128, 64, 128, 64}, {64, 32, 48, 24}}),
                Arguments.of("EQ_SKIP outputs the skip's width", wide(), ChannelReduction.EQ_SKIP,
                        new int[][] {{256, 128, 256, 128}, {128, 64, 128, 64}, {64, 32, 48, 16}}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reductionRules")
    void reductionRuleGivesItsRows(String rule, UNetConfig.Builder config, ChannelReduction reduction,
                                   int[][] expectedRows) {
        assertThat(rows(UNet.plan(config.channelReduction(reduction).build()))).isDeepEqualTo(expectedRows);
    }

    @Test
    void noneOnTheClassicEncoderEndsAtFullResolutionWithTheLastStagesWidth() {
        ChannelPlan plan = UNet.plan(classic().channelReduction(ChannelReduction.NONE).build());
        assertThat(plan.finalUpsampleFactor()).isEqualTo(1);
        assertThat(plan.finalChannels()).isEqualTo(40);
    }

    @Test
    void aFirstSkipAtHalfResolutionIsUpsampledTwiceAfterTheLastStage() {
        assertThat(UNet.plan(wide().channelReduction(ChannelReduction.HALVE).build()).finalUpsampleFactor())
                .isEqualTo(2);
    }

    @Test
    void stagesTakeTheSkipsDeepestFirst() {
        ChannelPlan plan = UNet.plan(wide().channelReduction(ChannelReduction.EQ_SKIP).build());
        assertThat(plan.stages()).extracting(DecoderStage::skipVertex)
                .containsExactly("strided2", "strided1", "strided0");
    }

    @Test
    void explicitListIsUsedAsGivenAndMustMatchTheStageCount() {
        ChannelPlan plan = UNet.plan(wide().decoderChannels(List.of(40, 30, 20)).build());
        assertThat(plan.stages()).extracting(DecoderStage::outputChannels).containsExactly(40, 30, 20);
        assertThat(plan.stages().get(1).upInputChannels()).isEqualTo(40);
        assertThatThrownBy(() -> UNet.plan(wide().decoderChannels(List.of(40, 30)).build()))
                .hasMessageContaining("decoderChannels must list 3 widths (the encoder has 3 skips) but lists 2");
    }

    @Test
    void bilinearUpsamplingKeepsTheChannelsThatComeUp() {
        ChannelPlan plan = UNet.plan(wide().upsample(new UpsampleMode.Bilinear())
                .channelReduction(ChannelReduction.EQ_SKIP).build());
        assertThat(rows(plan)[0]).containsExactly(256, 256, 384, 128);
    }

    @Test
    void midChannelScaleSetsTheMidBlocksInnerWidthOnly() {
        assertThat(UNet.plan(wide().midChannelScale(0.5).build()).midInnerChannels()).isEqualTo(128);
        assertThat(UNet.plan(wide().midChannelScale(2.0).build()).midInnerChannels()).isEqualTo(512);
        assertThat(UNet.plan(wide().midChannelScale(2.0).build()).stages())
                .isEqualTo(UNet.plan(wide().midChannelScale(0.5).build()).stages());
    }

    @Test
    void attentionGatesGoOnTheStagesNearestTheOutput() {
        ChannelPlan plan = UNet.plan(wide().attentionGates(2).build());
        assertThat(plan.stages()).extracting(DecoderStage::attentionGate).containsExactly(false, true, true);
        assertThatThrownBy(() -> UNet.plan(wide().attentionGates(4).build()))
                .hasMessageContaining("attentionGates must be in [0, 3] (the encoder has 3 skips) but was 4");
    }

    @Test
    void tableNamesEveryStage() {
        String table = UNet.plan(wide().build()).toTable();
        assertThat(table).contains("mid", "stage 1", "stage 3", "strided0", "head");
    }
}
