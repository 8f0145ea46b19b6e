package io.github.mdunet.core.blocks;

/**
 * Which DL4J layers implement the U-Net's blocks. Both paths compute the same function with the same parameters;
 * they differ in speed, memory, the vertex names of the graph, and how a fused layer's batch norm moves its running
 * variance in training (by the batch's unbiased variance, as PyTorch; DL4J's {@code BatchNormalization} by the
 * biased one).
 */
public enum BlockLayers {
    /**
     * The project's layers that call libnd4j's ops directly (oneDNN on the CPU, cuDNN on CUDA) with hand-written
     * backward passes: one {@code ConvNormActivation} vertex per convolution-norm-activation block (no forward
     * recomputed in backprop, no separate batch-norm and activation arrays), a {@code DirectBatchNorm} where a batch
     * norm stands alone, pixel shuffle, blur and resize without SameDiff, and zoo encoders rewritten to the same
     * blocks. The default for new configurations.
     */
    FUSED,
    /**
     * DL4J's built-in {@code ConvolutionLayer}, {@code BatchNormalization} and {@code ActivationLayer} vertices and
     * the SameDiff layers for pixel shuffle and resize: the layers of models saved before file format 3.
     */
    STOCK
}
