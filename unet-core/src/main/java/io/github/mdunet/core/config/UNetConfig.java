package io.github.mdunet.core.config;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.optim.HalfPrecisionUpdaters;
import io.github.mdunet.core.optim.TorchAdam;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Everything that defines a U-Net: the encoder, the decoder recipe, the head and the numerics. Immutable and
 * validated on construction; build one with {@link #builder()} and change it with the {@code withX} copies.
 *
 * <p>Tensor contract of the resulting network: input {@code [N, input.channels, input.height, input.width]},
 * output {@code [N, numClasses, input.height, input.width]} for any height and width (also when they are not
 * multiples of the encoder's total stride).
 *
 * @param encoder             the backbone and its skip taps
 * @param input               the input image shape the graph is built for
 * @param numClasses          output channels: classes for segmentation, image channels for image-to-image
 * @param upsample            how each decoder stage upsamples
 * @param decoderWidths       each decoder stage's output channels: a {@link ChannelReduction} rule or a list
 * @param midChannelScale     the mid block's inner width relative to the bottleneck's channels, in (0, 4];
 *                            fastai hard-codes 2.0
 * @param midAttention        SAGAN self-attention at the end of the mid block (starts as the identity)
 * @param attentionGates      how many decoder stages, counted from the output end, gate their skip with an
 *                            additive attention gate (Oktay et al. 2018); 0 for none
 * @param lastCross           concatenate the input image before the head and mix it in (fastai's
 *                            {@code last_cross}): a residual block on C + input channels, or two convolutions
 *                            back to C, as {@code decoderLayout} says
 * @param head                the head's activation
 * @param loss                the training loss: the head's own ({@link Loss.HeadDefault}), a segmentation loss
 *                            (softmax or sigmoid heads) or an image loss (regression heads)
 * @param normalization       the normalisation after the decoder's convolutions
 * @param layers              which DL4J layers implement the blocks: the project's direct ones ({@code FUSED}, the
 *                            default) or DL4J's built-in and SameDiff ones ({@code STOCK}, files before format 3)
 * @param decoderLayout       fastai's final upsampling, last cross and {@code NONE} normalisation
 *                            ({@link DecoderLayout#FASTAI}, the default) or those of files before format 6
 *                            ({@link DecoderLayout#FORMATS_1_TO_5})
 * @param seed                the seed of the weight initialisation; required in saved JSON (every format has it),
 *                            as 0 is a seed too and a missing one must not load as 0
 * @param dataType            FLOAT, DOUBLE or HALF; HALF trains only with an updater without a squared-gradient
 *                            average, e.g. {@code Sgd}: the trainers refuse others ({@link HalfPrecisionUpdaters}),
 *                            while such a model still builds, loads and predicts. Even then a batch norm over very
 *                            few values per channel (batch size times its map's height and width; fewest at the
 *                            bottleneck, e.g. 2 for a 1x2 bottleneck at batch size 1) can give infinite gradients in
 *                            HALF in the first step: keep at least 8 there, or train in FLOAT
 * @param updater             the optimiser of the graph ({@code TorchAdam(1e-3)}, Adam as PyTorch computes it, by
 *                            default)
 */
public record UNetConfig(
        Encoder encoder,
        ImageShape input,
        int numClasses,
        UpsampleMode upsample,
        DecoderWidths decoderWidths,
        double midChannelScale,
        boolean midAttention,
        int attentionGates,
        boolean lastCross,
        HeadActivation head,
        Loss loss,
        Normalization normalization,
        BlockLayers layers,
        DecoderLayout decoderLayout,
        @JsonProperty(required = true) long seed,
        DataType dataType,
        IUpdater updater) {

    /** The largest accepted {@link #midChannelScale()}. */
    public static final double MAX_MID_CHANNEL_SCALE = 4.0;

    /** The saved JSON field of {@link #encoder()}, which the migrations of older files read. */
    public static final String ENCODER_FIELD = "encoder";

    /** The saved JSON field of {@link #loss()}, which the migrations of older files read. */
    public static final String LOSS_FIELD = "loss";

    private static final Set<DataType> DATA_TYPES = Set.of(DataType.FLOAT, DataType.DOUBLE, DataType.HALF);

    public UNetConfig {
        Checks.requireSet("encoder", encoder, "e.g. new ClassicEncoder(4, 16, Normalization.BATCH)");
        Checks.requireSet("input", input, "e.g. new ImageShape(3, 128, 128)");
        Checks.requireSet("upsample", upsample, UpsampleMode.class);
        Checks.requireSet("decoderWidths", decoderWidths, "a ChannelReduction rule or an explicit list");
        Checks.requireSet("head", head, HeadActivation.class);
        // Files saved before the field existed get the head's loss when they are read (LossMigration), not here.
        Checks.requireSet("loss", loss, "e.g. new Loss.HeadDefault(), the head's own loss");
        Checks.requireSet("normalization", normalization, Normalization.class);
        Checks.requireSet("layers", layers, BlockLayers.class);
        // Files saved before the field existed get the layout they were built with when read (DecoderLayoutMigration).
        Checks.requireSet("decoderLayout", decoderLayout, DecoderLayout.class);
        Checks.requireSet("updater", updater, "e.g. new TorchAdam(1e-3)");
        Checks.atLeast("numClasses", numClasses, 1);
        if (head.exclusiveClasses() && numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2 with a " + head.getClass().getSimpleName()
                    + " head but was " + numClasses
                    + ": use HeadActivation.Sigmoid for a single foreground class");
        }
        if (!(midChannelScale > 0 && midChannelScale <= MAX_MID_CHANNEL_SCALE)) {
            throw new IllegalArgumentException("midChannelScale must be in (0, " + MAX_MID_CHANNEL_SCALE
                    + "] but was " + midChannelScale);
        }
        if (attentionGates < 0) {
            throw new IllegalArgumentException("attentionGates must be >= 0 (0 = no gates) but was " + attentionGates);
        }
        if (dataType == null || !DATA_TYPES.contains(dataType)) {
            throw new IllegalArgumentException("dataType must be one of FLOAT, DOUBLE, HALF but was " + dataType);
        }
        if (loss.comparesImages()) {
            if (!head.regresses()) {
                throw new IllegalArgumentException("loss " + loss + " compares images and needs a regression head"
                        + " (" + Checks.oneOf(HeadActivation.Regression.class) + ") but the head is " + head);
            }
            if (loss instanceof Loss.Perceptual perceptual
                    && perceptual.features().inputChannels() != numClasses) {
                throw new IllegalArgumentException("numClasses must be " + perceptual.features().inputChannels()
                        + " (the input channels of the perceptual loss's " + perceptual.features() + ") but was "
                        + numClasses);
            }
        } else if (!(loss instanceof Loss.HeadDefault)) {
            if (head.regresses()) {
                throw new IllegalArgumentException("loss " + loss + " needs a classifying head ("
                        + Checks.oneOf(HeadActivation.Classification.class) + ") but the head is " + head
                        + ": use Loss.HeadDefault for regression (or " + Checks.oneOf(Loss.ImageToImage.class) + ")");
            }
            if (!loss.classWeights().isEmpty() && loss.classWeights().size() != numClasses) {
                throw new IllegalArgumentException("loss.classWeights must have one weight per class (" + numClasses
                        + ") but has " + loss.classWeights().size() + ": " + loss.classWeights());
            }
        }
        if (head.addsInput() && numClasses != input.channels()) {
            throw new IllegalArgumentException("numClasses must equal input.channels (" + input.channels()
                    + ") with a " + head.getClass().getSimpleName() + " head, which adds the input to the output,"
                    + " but was " + numClasses);
        }
        int required = encoder.requiredInputChannels();
        if (required > 0 && required != input.channels()) {
            throw new IllegalArgumentException("input.channels must be " + required + " for encoder "
                    + encoder + " but was " + input.channels());
        }
    }

    /**
     * A builder with the defaults: pixel shuffle without blur, {@code EQ_SKIP}, mid scale 1.0, softmax, batch norm,
     * {@link BlockLayers#FUSED} layers, {@link DecoderLayout#FASTAI}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public UNetConfig withInput(ImageShape newInput) {
        return toBuilder().input(newInput).build();
    }

    public UNetConfig withUpsample(UpsampleMode newUpsample) {
        return toBuilder().upsample(newUpsample).build();
    }

    public UNetConfig withChannelReduction(ChannelReduction rule) {
        return toBuilder().channelReduction(rule).build();
    }

    public UNetConfig withMidChannelScale(double scale) {
        return toBuilder().midChannelScale(scale).build();
    }

    public UNetConfig withDataType(DataType newDataType) {
        return toBuilder().dataType(newDataType).build();
    }

    public UNetConfig withLayers(BlockLayers newLayers) {
        return toBuilder().layers(newLayers).build();
    }

    public UNetConfig withDecoderLayout(DecoderLayout newLayout) {
        return toBuilder().decoderLayout(newLayout).build();
    }


    /**
     * Builds a {@link UNetConfig}. Required: {@link #encoder}, {@link #input}, {@link #numClasses}; everything else
     * has a default. Each setter only records its value; {@link #build()} validates.
     */
    public static final class Builder {
        private Encoder encoder;
        private ImageShape input;
        private int numClasses;
        private UpsampleMode upsample = new UpsampleMode.PixelShuffle(false);
        /** The widths as the last of their setters recorded them, made (and so checked) by {@link #build()}. */
        private Supplier<DecoderWidths> decoderWidths = () -> new DecoderWidths.ByRule(ChannelReduction.EQ_SKIP);
        private double midChannelScale = 1.0;
        private boolean midAttention;
        private int attentionGates;
        private boolean lastCross;
        private HeadActivation head = new HeadActivation.Softmax();
        private Loss loss = new Loss.HeadDefault();
        private Normalization normalization = Normalization.BATCH;
        private BlockLayers layers = BlockLayers.FUSED;
        private DecoderLayout decoderLayout = DecoderLayout.FASTAI;
        private long seed = 42;
        private DataType dataType = DataType.FLOAT;
        private IUpdater updater = new TorchAdam(1e-3);

        private Builder() {
        }

        private Builder(UNetConfig c) {
            encoder = c.encoder;
            input = c.input;
            numClasses = c.numClasses;
            upsample = c.upsample;
            DecoderWidths widths = c.decoderWidths;
            decoderWidths = () -> widths;
            midChannelScale = c.midChannelScale;
            midAttention = c.midAttention;
            attentionGates = c.attentionGates;
            lastCross = c.lastCross;
            head = c.head;
            loss = c.loss;
            normalization = c.normalization;
            layers = c.layers;
            decoderLayout = c.decoderLayout;
            seed = c.seed;
            dataType = c.dataType;
            updater = c.updater;
        }

        /** Required: the backbone. */
        public Builder encoder(Encoder value) {
            encoder = value;
            return this;
        }

        /** Required: the input image shape. */
        public Builder input(ImageShape value) {
            input = value;
            return this;
        }

        /** Required: the output channels (classes, or image channels for image-to-image). */
        public Builder numClasses(int value) {
            numClasses = value;
            return this;
        }

        public Builder upsample(UpsampleMode value) {
            upsample = value;
            return this;
        }

        /** Decoder widths by rule; replaces any explicit list. */
        public Builder channelReduction(ChannelReduction rule) {
            decoderWidths = () -> new DecoderWidths.ByRule(rule);
            return this;
        }

        /** Decoder widths as an explicit list, deepest stage first; replaces any rule. */
        public Builder decoderChannels(List<Integer> channels) {
            // A copy that keeps a null width for build() to name (List.copyOf would throw here, without a name).
            List<Integer> copy = channels == null ? null : new ArrayList<>(channels);
            decoderWidths = () -> new DecoderWidths.Explicit(copy);
            return this;
        }

        public Builder decoderWidths(DecoderWidths value) {
            decoderWidths = () -> value;
            return this;
        }

        public Builder midChannelScale(double value) {
            midChannelScale = value;
            return this;
        }

        public Builder midAttention(boolean value) {
            midAttention = value;
            return this;
        }

        public Builder attentionGates(int value) {
            attentionGates = value;
            return this;
        }

        public Builder lastCross(boolean value) {
            lastCross = value;
            return this;
        }

        public Builder head(HeadActivation value) {
            head = value;
            return this;
        }

        public Builder loss(Loss value) {
            loss = value;
            return this;
        }

        public Builder normalization(Normalization value) {
            normalization = value;
            return this;
        }

        /** Which DL4J layers implement the blocks; {@link BlockLayers#FUSED} by default. */
        public Builder layers(BlockLayers value) {
            layers = value;
            return this;
        }

        /** fastai's layout ({@link DecoderLayout#FASTAI}) by default; files before format 6 have the other. */
        public Builder decoderLayout(DecoderLayout value) {
            decoderLayout = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder dataType(DataType value) {
            dataType = value;
            return this;
        }

        public Builder updater(IUpdater value) {
            updater = value;
            return this;
        }

        /** Validates and returns the configuration; throws {@link IllegalArgumentException} naming the field. */
        public UNetConfig build() {
            return new UNetConfig(encoder, input, numClasses, upsample, decoderWidths.get(), midChannelScale,
                    midAttention, attentionGates, lastCross, head, loss, normalization, layers, decoderLayout, seed,
                    dataType, updater);
        }
    }
}
