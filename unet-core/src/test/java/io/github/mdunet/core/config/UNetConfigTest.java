package io.github.mdunet.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.encoder.SkipTap;
import io.github.mdunet.core.graph.TestEncoders;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class UNetConfigTest {

    private static UNetConfig.Builder valid() {
        return UNetConfig.builder().encoder(TestEncoders.tinyClassic()).input(new ImageShape(3, 32, 32)).numClasses(2);
    }

    private static void assertRejected(UnaryOperator<UNetConfig.Builder> change, String... messageParts) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .message().contains(messageParts);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        UNetConfig config = valid().build();
        assertThat(config.upsample()).isEqualTo(new UpsampleMode.PixelShuffle(false));
        assertThat(config.decoderWidths()).isEqualTo(new DecoderWidths.ByRule(ChannelReduction.EQ_SKIP));
        assertThat(config.midChannelScale()).isEqualTo(1.0);
        assertThat(config.head()).isEqualTo(new HeadActivation.Softmax());
        assertThat(config.normalization()).isEqualTo(Normalization.BATCH);
        assertThat(config.dataType()).isEqualTo(DataType.FLOAT);
    }

    @Test
    void withCopiesChangeOneFieldOnly() {
        UNetConfig config = valid().build();
        UNetConfig halved = config.withChannelReduction(ChannelReduction.HALVE).withMidChannelScale(0.5);
        assertThat(halved.decoderWidths()).isEqualTo(new DecoderWidths.ByRule(ChannelReduction.HALVE));
        assertThat(halved.midChannelScale()).isEqualTo(0.5);
        assertThat(halved.toBuilder().channelReduction(ChannelReduction.EQ_SKIP).midChannelScale(1.0).build())
                .isEqualTo(config);
    }

    @Test
    void rejectsMissingRequiredFields() {
        assertRejected(b -> b.encoder(null), "encoder must be set");
        assertRejected(b -> b.input(null), "input must be set");
        assertRejected(b -> b.upsample(null), "upsample must be set");
        assertRejected(b -> b.head(null), "head must be set");
        assertRejected(b -> b.updater(null), "updater must be set");
        assertRejected(b -> b.normalization(null), "normalization must be set");
    }

    @Test
    void rejectsNumClassesOutOfRange() {
        assertRejected(b -> b.numClasses(0), "numClasses must be >= 1 but was 0");
        assertRejected(b -> b.numClasses(1), "numClasses must be >= 2 with a Softmax head but was 1", "Sigmoid");
        assertThat(valid().numClasses(1).head(new HeadActivation.Sigmoid()).build().numClasses()).isEqualTo(1);
    }

    @Test
    void rejectsMidChannelScaleOutOfRange() {
        assertRejected(b -> b.midChannelScale(0.0), "midChannelScale must be in (0, 4.0] but was 0.0");
        assertRejected(b -> b.midChannelScale(4.5), "midChannelScale must be in (0, 4.0] but was 4.5");
        assertRejected(b -> b.midChannelScale(Double.NaN), "midChannelScale", "NaN");
    }

    @Test
    void rejectsOtherBadValues() {
        assertRejected(b -> b.attentionGates(-1), "attentionGates must be >= 0", "-1");
        assertRejected(b -> b.dataType(DataType.INT), "dataType must be one of FLOAT, DOUBLE, HALF but was INT");
        assertRejected(b -> b.decoderChannels(List.of()), "decoderChannels", "empty");
        assertRejected(b -> b.decoderChannels(List.of(8, 0)), "decoderChannels[1] must be >= 1 but was 0");
        assertRejected(b -> b.channelReduction(null),
                "decoderWidths.rule (the builder's channelReduction) must be one of NONE, HALVE, EQ_SKIP");
        assertRejected(b -> b.head(new HeadActivation.SigmoidRange(1, 1)), "low < high", "low=1.0, high=1.0");
    }

    /**
     * A null list of decoder widths, a null width or a null loss is refused by {@code build()} naming the field (the
     * setters only record their values); the head's loss stands in for a missing one only in files saved before the
     * field existed ({@code SavedModelFixtureTest}).
     */
    @Test
    void rejectsNullWidthsAndLossInBuildNamingTheField() {
        UNetConfig.Builder noList = valid().decoderChannels(null);
        assertThatThrownBy(noList::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("decoderChannels must be set (one width per decoder stage, deepest first, e.g."
                        + " List.of(64, 32)) but was null");
        UNetConfig.Builder nullWidth = valid().decoderChannels(java.util.Arrays.asList(8, null));
        assertThatThrownBy(nullWidth::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("decoderChannels[1] must be set (a width >= 1) but was null");
        UNetConfig.Builder noLoss = valid().loss(null);
        assertThatThrownBy(noLoss::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loss must be set (e.g. new Loss.HeadDefault(), the head's own loss) but was null");
        UNetConfig.Builder noRule = valid().channelReduction(null);
        assertThatThrownBy(noRule::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decoderWidths.rule (the builder's channelReduction) must be one of");
    }

    @Test
    void rejectsLossesThatDoNotFitTheHead() {
        assertRejected(b -> b.head(new HeadActivation.Identity()).loss(new Loss.Dice(List.of())),
                "needs a classifying head (one of Softmax, Sigmoid)",
                "use Loss.HeadDefault for regression (or one of L1, Perceptual)");
        assertRejected(b -> b.loss(new Loss.Focal(2, List.of(1.0, 2.0, 3.0))),
                "loss.classWeights must have one weight per class (2) but has 3");
        assertThatThrownBy(() -> new Loss.Focal(-1, List.of())).hasMessageContaining("Focal.gamma must be a finite"
                + " number >= 0 but was -1.0");
        assertThatThrownBy(() -> new Loss.Dice(List.of(1.0, -2.0)))
                .hasMessageContaining("Dice.classWeights[1] must be a finite number >= 0 but was -2.0");
        assertThatThrownBy(() -> new Loss.CrossEntropyDice(0, 0, List.of()))
                .hasMessageContaining("must be >= 0 and not both 0 but were 0.0 and 0.0");
        assertThatThrownBy(() -> new Loss.Tversky(0, 0, List.of()))
                .hasMessageContaining("Tversky.alpha and beta must be finite, >= 0 and not both 0 but were 0.0 and"
                        + " 0.0");
        assertThatThrownBy(() -> new Loss.Tversky(-0.3, 0.7, List.of())).hasMessageContaining("-0.3 and 0.7");
        assertRejected(b -> b.head(new HeadActivation.Identity()).loss(new Loss.Tversky(0.3, 0.7, List.of())),
                "needs a classifying head (one of Softmax, Sigmoid)");
        assertRejected(b -> b.head(new HeadActivation.Identity()).loss(new Loss.Lovasz(List.of())),
                "needs a classifying head (one of Softmax, Sigmoid)");
        assertThatThrownBy(() -> new Loss.Lovasz(List.of(Double.NaN)))
                .hasMessageContaining("Lovasz.classWeights[0] must be a finite number >= 0 but was NaN");
    }

    @Test
    void rejectsBadShapesAndEncoders() {
        assertThatThrownBy(() -> new ImageShape(3, 0, 5))
                .hasMessageContaining("ImageShape.height must be >= 1 but was 0");
        assertThatThrownBy(() -> new ClassicEncoder(0, 8, Normalization.BATCH))
                .hasMessageContaining("ClassicEncoder.depth must be in [1, 8] but was 0");
        assertThatThrownBy(() -> new ClassicEncoder(2, 0, Normalization.BATCH))
                .hasMessageContaining("ClassicEncoder.baseWidth must be >= 1 but was 0");
        assertThatThrownBy(() -> new SkipTap("x", 0, 2))
                .hasMessageContaining("SkipTap.channels of 'x' must be >= 1 but was 0");
        assertThatThrownBy(() -> new EncoderSpec(List.of(new SkipTap("a", 4, 4), new SkipTap("b", 8, 2)),
                new SkipTap("c", 16, 8)))
                .hasMessageContaining("'b' has stride 2 after 'a' with stride 4");
    }

    /** The decoder upsamples from one tap to the next by a whole factor: 6 / 4 is none (it was taken as 1). */
    @Test
    void rejectsTapStridesThatDoNotDivideTheNextDeeperOne() {
        assertThatThrownBy(() -> new EncoderSpec(List.of(new SkipTap("s2", 4, 2), new SkipTap("s4", 8, 4)),
                new SkipTap("s6", 16, 6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strides must each divide the next deeper one")
                .hasMessageContaining("'s6' has stride 6 after 's4' with stride 4")
                .hasMessageContaining("leave 's4' out of the skips");
        assertThatThrownBy(() -> new EncoderSpec(List.of(new SkipTap("s2", 4, 2), new SkipTap("s3", 8, 3)),
                new SkipTap("s6", 16, 6)))
                .hasMessageContaining("'s3' has stride 3 after 's2' with stride 2");
        assertThat(new EncoderSpec(List.of(new SkipTap("s2", 4, 2)), new SkipTap("s6", 16, 6)).totalStride())
                .as("a factor of 3 is a whole factor").isEqualTo(6);
    }
}
