package io.github.mdunet.tuning.memory;

/**
 * The training memory of one block of the U-Net ({@code encoder}, {@code mid}, {@code decoder stage k}, {@code head},
 * {@code input}), after the calibration's correction.
 *
 * @param block           the block's name, as in {@link MemoryEstimator#blockName}
 * @param parameterCount  parameters of the block's layers
 * @param parameterBytes  bytes of its parameters, their gradients and the updater state
 * @param activationBytes bytes of the activations it keeps for backpropagation, for the whole batch
 * @param workspaceBytes  the largest working memory of one of its layers (not additive across blocks)
 */
public record BlockMemory(String block, long parameterCount, long parameterBytes, long activationBytes,
                          long workspaceBytes) {

    /** What the block holds during training apart from transient working memory. */
    public long residentBytes() {
        return parameterBytes + activationBytes;
    }
}
