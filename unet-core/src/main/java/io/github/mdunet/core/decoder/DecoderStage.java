package io.github.mdunet.core.decoder;

import io.github.mdunet.core.blocks.ImageShape;

/**
 * The channel plan of one decoder stage ("up block"): the map from below is upsampled by {@code upFactor} from
 * {@code upInputChannels} to {@code upOutputChannels}, concatenated with the skip ({@code skipChannels}) into
 * {@code concatChannels = upOutputChannels + skipChannels}, and two 3x3 convolutions make {@code outputChannels}.
 *
 * @param index            1 for the deepest stage, counting up towards the output
 * @param skipVertex       the encoder vertex that feeds the skip
 * @param skip             the skip's real shape, as the graph computes it for the configured input
 * @param upFactor         the resolution ratio between the map from below and the skip
 * @param upInputChannels  channels of the map from below
 * @param upOutputChannels channels after upsampling
 * @param concatChannels   channels after concatenation with the skip
 * @param outputChannels   channels this stage outputs
 * @param attentionGate    whether the skip passes through an attention gate
 */
public record DecoderStage(
        int index,
        String skipVertex,
        ImageShape skip,
        int upFactor,
        int upInputChannels,
        int upOutputChannels,
        int concatChannels,
        int outputChannels,
        boolean attentionGate) {

    public int skipChannels() {
        return skip.channels();
    }
}
