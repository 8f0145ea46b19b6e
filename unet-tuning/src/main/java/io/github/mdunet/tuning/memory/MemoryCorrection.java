package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.checks.Checks;

/**
 * The correction from DL4J's memory reports to measured peak memory, one factor per term and an offset:
 * {@code measured ~ parameterFactor * (parameters + gradients + updater state)
 * + activationFactor * (activations of DL4J's built-in layers)
 * + spatialConvolutionFactor * (outputs of the convolutions with kernels larger than 1 x 1)
 * + customLayerFactor * (activations and working memory of SameDiff layers)
 * + workspaceFactor * (largest working memory of a built-in layer + activation gradients in flight)
 * + fusedSpatialFactor * (outputs of the fused blocks with kernels larger than 1 x 1)
 * + fusedPointwiseFactor * (outputs of the 1 x 1 fused blocks) + offsetBytes}.
 * Fitted by {@link MemoryCalibration}; see the module README for the measurements behind {@link #CPU_CALIBRATED}.
 *
 * <p>Why the factors are not 1: a built-in layer keeps more than its output for backpropagation (its activation
 * gradient, batch norm's normalised input and statistics), a k x k convolution's backward pass on the oneDNN path
 * holds far more than its output (ResNet50, mostly 1 x 1 convolutions, costs much less per activation byte than a
 * classic U-Net made of 3 x 3 ones), and a SameDiff layer runs its own little graph whose intermediate arrays and
 * their gradients all live until the layer's backward pass is over.
 *
 * @param parameterFactor   factor on parameters, gradients and updater state, > 0
 * @param activationFactor  factor on the activations of built-in layers kept for backpropagation, >= 0
 * @param spatialConvolutionFactor extra factor on the outputs of convolutions with kernels larger than 1 x 1, >= 0
 * @param customLayerFactor factor on the memory of SameDiff layers (activations plus reported working memory), >= 0
 * @param workspaceFactor   factor on the built-in layers' transient working memory, >= 0
 * @param fusedSpatialFactor   extra factor on the outputs of the fused conv-norm-activation blocks with kernels larger
 *                             than 1 x 1, >= 0
 * @param fusedPointwiseFactor extra factor on the outputs of the 1 x 1 fused blocks, >= 0
 * @param offsetBytes       fixed bytes added to every estimate, >= 0
 */
public record MemoryCorrection(double parameterFactor, double activationFactor, double spatialConvolutionFactor,
                               double customLayerFactor, double workspaceFactor, double fusedSpatialFactor,
                               double fusedPointwiseFactor, long offsetBytes) {

    /** DL4J's reports as they are. */
    public static final MemoryCorrection NONE = new MemoryCorrection(1, 1, 0, 1, 1, 0, 0, 0);

    /**
     * Fitted against resident memory during {@code fit} on ND4J's CPU backend (oneDNN build), FLOAT, Adam, with the
     * apps' allocator setting ({@code NativeHeap}'s lean policy); see unet-tuning/README.md for the configurations and
     * errors.
     */
    public static final MemoryCorrection CPU_CALIBRATED = new MemoryCorrection(1.261, 0.464, 2.067, 0.797, 0.629, 3.745,
            1.218, 0);

    public MemoryCorrection {
        if (!(parameterFactor > 0) || !(activationFactor >= 0) || !(spatialConvolutionFactor >= 0)
                || !(customLayerFactor >= 0) || !(workspaceFactor >= 0) || !(fusedSpatialFactor >= 0)
                || !(fusedPointwiseFactor >= 0)) {
            throw new IllegalArgumentException("MemoryCorrection factors must be > 0 (parameter) and >= 0 (activation,"
                    + " spatial convolution, custom layer, workspace, fused spatial, fused pointwise) but were "
                    + parameterFactor + ", " + activationFactor + ", " + spatialConvolutionFactor + ", "
                    + customLayerFactor + ", " + workspaceFactor + ", " + fusedSpatialFactor + ", "
                    + fusedPointwiseFactor);
        }
        Checks.atLeast("MemoryCorrection.offsetBytes", offsetBytes, 0);
    }

    /** Bytes of parameters, gradients or updater state, corrected. */
    long parameters(long bytes) {
        return scaled(bytes, parameterFactor);
    }

    /** The corrected activations of {@code raw}: the built-in layers' and the extra of the k x k and fused outputs. */
    long activations(MemoryEstimate.RawTerms raw) {
        return scaled(raw.activations(), activationFactor)
                + scaled(raw.spatialConvolutions(), spatialConvolutionFactor)
                + scaled(raw.fusedSpatialBlocks(), fusedSpatialFactor)
                + scaled(raw.fusedPointwiseBlocks(), fusedPointwiseFactor);
    }

    /** The corrected working memory of {@code raw}: the SameDiff layers' and the built-in layers' transient memory. */
    long workingMemory(MemoryEstimate.RawTerms raw) {
        return scaled(raw.customLayers(), customLayerFactor) + scaled(raw.workspace(), workspaceFactor);
    }

    private static long scaled(long bytes, double factor) {
        return Math.round(bytes * factor);
    }
}
