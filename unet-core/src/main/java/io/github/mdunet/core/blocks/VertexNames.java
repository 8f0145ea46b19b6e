package io.github.mdunet.core.blocks;

import java.util.List;

/**
 * Every vertex name the project's graphs use, generated here and nowhere else: the U-Net's input, output and head,
 * the prefixes of its blocks (mid block, decoder stages, final upsampling, last cross), the parts inside a block,
 * and the classic encoder's stages. Other code wires vertices by the names these methods (or the blocks that call
 * them) return, and learns which block a vertex belongs to from the graph's blueprint, never by parsing a name; the
 * one parse is here, {@link #isReservedByUNet}, which tells a graph copied in as an encoder which names to avoid.
 *
 * <p>The names are part of the saved-model format (a saved graph's parameters are keyed by them): change none.
 */
public final class VertexNames {

    /** The U-Net's input image, {@code [N, C, H, W]}. */
    public static final String INPUT = "input";
    /** The output (loss) layer. */
    public static final String OUTPUT = "output";
    /** Prefix of the head's vertices. */
    public static final String HEAD_BLOCK = "head";
    /** The head's 1x1 convolution: the logits, before the output layer's activation. */
    public static final String HEAD = HEAD_BLOCK + "_conv";
    /** With a residual head, the sum of the head's convolution and the input image, which the output layer reads. */
    public static final String HEAD_RESIDUAL = HEAD_BLOCK + "_residual";

    /** Prefix of the mid block's vertices. */
    public static final String MID = "mid";
    /** Prefix of the final upsampling to the input's size. */
    public static final String FINAL = "final";
    /** Prefix of the last cross with the input image. */
    public static final String CROSS = "cross";

    private static final String DECODER_STAGE = "dec";
    /** The prefixes of the U-Net's own blocks that take no number; a decoder stage's is numbered. */
    private static final List<String> UNET_BLOCKS = List.of(MID, FINAL, CROSS, HEAD_BLOCK);

    private VertexNames() {
    }

    /** Prefix of decoder stage {@code index} (1 is the deepest). */
    public static String decoderStage(int index) {
        return DECODER_STAGE + index;
    }

    /**
     * Whether the U-Net's builder could name a vertex {@code name}: {@link #INPUT}, {@link #OUTPUT}, or a name in one
     * of its blocks ({@code mid_...}, {@code dec<k>_...}, {@code final_...}, {@code cross_...}, {@code head_...}).
     * A graph copied in as an encoder must use none of them.
     */
    public static boolean isReservedByUNet(String name) {
        if (name.equals(INPUT) || name.equals(OUTPUT)) {
            return true;
        }
        int separator = name.indexOf('_');
        if (separator < 0) {
            return false;
        }
        String block = name.substring(0, separator);
        return UNET_BLOCKS.contains(block) || (block.startsWith(DECODER_STAGE)
                && block.length() > DECODER_STAGE.length()
                && block.substring(DECODER_STAGE.length()).chars().allMatch(Character::isDigit));
    }

    /** The names {@link #isReservedByUNet} reserves, as a message lists them. */
    public static String describeReservedByUNet() {
        return "'" + INPUT + "', '" + OUTPUT + "', or the prefixes " + String.join("_, ", UNET_BLOCKS) + "_, "
                + DECODER_STAGE + "<k>_";
    }

    /** Prefix of the classic encoder's stage {@code stage} (from 0). */
    public static String classicEncoderStage(int stage) {
        return "enc" + (stage + 1);
    }

    /** Prefix of the classic encoder's bottleneck. */
    public static String classicEncoderBottleneck() {
        return "enc_bottleneck";
    }

    /** The two convolutions of a classic encoder stage: {@code a} then {@code b}. */
    public static String classicConv(String stage, char which) {
        return stage + which;
    }

    /** Convolution-norm-activation block {@code index} (from 1) of the block {@code prefix}: {@code mid_1}. */
    public static String numbered(String prefix, int index) {
        return prefix + "_" + index;
    }

    /** A part of the block {@code prefix}: {@code dec2_gate}, {@code mid_in_bn}. */
    public static String part(String prefix, Part part) {
        return prefix + part.suffix;
    }

    /** The parts a block may have, each a fixed suffix of the block's prefix. */
    public enum Part {
        /** Normalisation before the mid block's first convolution. */
        INPUT_NORM("_in_bn"),
        /** Activation after {@link #INPUT_NORM}. */
        INPUT_ACTIVATION("_in_act"),
        /** The mid block's self-attention. */
        ATTENTION("_attention"),
        /** The attention gate's input: skip and upsampled map concatenated. */
        GATE_INPUT("_gate_in"),
        /** The attention gate. */
        GATE("_gate"),
        /** Normalisation of the skip. */
        SKIP_NORM("_skip_bn"),
        /** Concatenation (of the upsampled map and the skip, or of the features and the input). */
        CONCAT("_concat"),
        /** Activation after {@link #CONCAT}, or on FUSED the concatenation and its activation in one vertex. */
        CONCAT_ACTIVATION("_concat_act"),
        /** The upsampling block (a prefix itself: {@code dec1_up_shuffle}). */
        UP("_up"),
        /** Transposed convolution of the upsampling. */
        DECONVOLUTION("_deconv"),
        /** Bilinear interpolation of the upsampling. */
        BILINEAR("_bilinear"),
        /** Bilinear resize to the skip's (or the input's) exact size. */
        RESIZE("_resize"),
        /** 2x2 max-pooling of a classic encoder stage. */
        POOL("_pool"),
        /** A DL4J convolution, or the 1x1 convolution of the fused sub-pixel upsampling. */
        CONV("_conv"),
        /** A batch normalisation. */
        BATCH_NORM("_bn"),
        /** An activation layer. */
        ACTIVATION("_act"),
        /** A fused convolution, batch norm and activation. */
        CONV_NORM_ACTIVATION("_conv_bn_act"),
        /** A fused convolution and activation (no normalisation). */
        CONV_ACTIVATION("_conv_act"),
        /** A fused convolution and batch norm without activation: a residual branch's end. */
        CONV_NORM("_conv_bn"),
        /** The sum of a residual branch and its shortcut (DL4J's {@code ElementWiseVertex}). */
        SUM("_sum"),
        /** Activation after {@link #SUM}, or on FUSED the sum and its activation in one vertex. */
        SUM_ACTIVATION("_sum_act"),
        /** Pixel shuffle (or the whole stock sub-pixel convolution). */
        SHUFFLE("_shuffle"),
        /** Blur after the pixel shuffle. */
        BLUR("_blur");

        private final String suffix;

        Part(String suffix) {
            this.suffix = suffix;
        }
    }
}
