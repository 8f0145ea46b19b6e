package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.graph.GraphBlock;

/**
 * The training memory of one block of the U-Net (input, encoder, middle, decoder stage k, final, head), after the
 * calibration's correction. The blocks' parameter and activation bytes add up to the estimate's; their workspaces do
 * not: each block's is its own peak, as if it ran alone, where the estimate's counts the network's one largest
 * transient working memory. So the rows add up to more than {@link MemoryEstimate#total()}, which also holds the
 * overhead and shortfall that no block does.
 *
 * @param block           the block, as the graph's blueprint records it (its {@code toString} names it in tables)
 * @param parameterCount  parameters of the block's layers
 * @param parameterBytes  bytes of its parameters, their gradients and the updater state
 * @param activationBytes bytes of the activations it keeps for backpropagation, for the whole batch
 * @param workspaceBytes  its own peak working memory: its SameDiff layers' arrays plus the largest transient working
 *                        memory (with the activation gradient) of one of its built-in layers; not additive across
 *                        blocks, since the network's peak has one such transient at a time
 */
public record BlockMemory(GraphBlock block, long parameterCount, long parameterBytes, long activationBytes,
                          long workspaceBytes) {

    /** What the block holds during training apart from transient working memory. */
    public long residentBytes() {
        return parameterBytes + activationBytes;
    }
}
