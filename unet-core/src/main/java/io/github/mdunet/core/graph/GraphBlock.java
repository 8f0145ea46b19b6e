package io.github.mdunet.core.graph;

/**
 * The part of a U-Net graph a vertex belongs to, as {@link UNetGraphFactory} records it while it adds the vertices
 * (see {@link UNetGraphFactory.Blueprint#blockOf}).
 *
 * @param part  which part
 * @param stage the decoder stage's index (1 is the deepest) for {@link Part#DECODER_STAGE}, else 0
 */
public record GraphBlock(Part part, int stage) {

    public static final GraphBlock INPUT = new GraphBlock(Part.INPUT, 0);
    public static final GraphBlock ENCODER = new GraphBlock(Part.ENCODER, 0);
    public static final GraphBlock MIDDLE = new GraphBlock(Part.MIDDLE, 0);
    public static final GraphBlock FINAL = new GraphBlock(Part.FINAL, 0);
    public static final GraphBlock HEAD = new GraphBlock(Part.HEAD, 0);

    /** The parts of a U-Net, from the input to the output. */
    public enum Part {
        /** The network's input. */
        INPUT,
        /** Everything the encoder adds. */
        ENCODER,
        /** The mid block (after the bottleneck, optional self-attention). */
        MIDDLE,
        /** One up block: upsampling, optional attention gate, skip, concatenation, two convolutions. */
        DECODER_STAGE,
        /** Upsampling to the input's resolution and size, optional last cross with the input. */
        FINAL,
        /** The head's convolution, the residual sum and the output layer. */
        HEAD
    }

    public GraphBlock {
        if (part == null) {
            throw new IllegalArgumentException("GraphBlock.part must be set but was null");
        }
        if ((part == Part.DECODER_STAGE) != (stage >= 1)) {
            throw new IllegalArgumentException("GraphBlock.stage must be >= 1 for a decoder stage and 0 otherwise but"
                    + " was " + stage + " for " + part);
        }
    }

    /** Decoder stage {@code index} (1 is the deepest). */
    public static GraphBlock decoderStage(int index) {
        return new GraphBlock(Part.DECODER_STAGE, index);
    }

    @Override
    public String toString() {
        return part == Part.DECODER_STAGE ? "decoder stage " + stage : part.name().toLowerCase(java.util.Locale.ROOT);
    }
}
