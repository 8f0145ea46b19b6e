package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.graph.GraphBlock;

/**
 * The training memory of one block of the U-Net (input, encoder, middle, decoder stage k, final, head), after the
 * calibration's correction.
 *
 * @param block           the block, as the graph's blueprint records it (its {@code toString} names it in tables)
 * @param parameterCount  parameters of the block's layers
 * @param parameterBytes  bytes of its parameters, their gradients and the updater state
 * @param activationBytes bytes of the activations it keeps for backpropagation, for the whole batch
 * @param workspaceBytes  the largest working memory of one of its layers (not additive across blocks)
 */
public record BlockMemory(GraphBlock block, long parameterCount, long parameterBytes, long activationBytes,
                          long workspaceBytes) {

    /** What the block holds during training apart from transient working memory. */
    public long residentBytes() {
        return parameterBytes + activationBytes;
    }
}
