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
import org.junit.jupiter.api.Test;

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

    @Test
    void noneIsFastaisRuleFullWidthThenHalfAtTheLastStage() {
        ChannelPlan plan = UNet.plan(classic().channelReduction(ChannelReduction.NONE).build());
        assertThat(rows(plan)).isDeepEqualTo(new int[][] {
                {256, 128, 256, 256}, {256, 128, 192, 192}, {192, 96, 128, 128}, {128, 64, 80, 40}});
        assertThat(plan.finalUpsampleFactor()).isEqualTo(1);
        assertThat(plan.finalChannels()).isEqualTo(40);
    }

    @Test
    void halveOutputsHalfTheConcatenation() {
        ChannelPlan plan = UNet.plan(wide().channelReduction(ChannelReduction.HALVE).build());
        assertThat(rows(plan)).isDeepEqualTo(new int[][] {
                {256, 128, 256, 128}, {128, 64, 128, 64}, {64, 32, 48, 24}});
        assertThat(plan.finalUpsampleFactor()).isEqualTo(2);
    }

    @Test
    void eqSkipOutputsTheSkipWidth() {
        ChannelPlan plan = UNet.plan(wide().channelReduction(ChannelReduction.EQ_SKIP).build());
        assertThat(rows(plan)).isDeepEqualTo(new int[][] {
                {256, 128, 256, 128}, {128, 64, 128, 64}, {64, 32, 48, 16}});
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
