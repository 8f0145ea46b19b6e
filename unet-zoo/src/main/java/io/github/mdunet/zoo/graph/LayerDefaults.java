package io.github.mdunet.zoo.graph;

/**
 * Which per-layer training settings of a copied graph are cleared, so that the U-Net's own global configuration
 * (its {@code UNetConfig}: updater, weight initialisation) applies to the copied layers too. Shapes, kernels,
 * strides, convolution modes, activations, dropout and batch-norm settings always stay as the source has them.
 */
public enum LayerDefaults {
    /** Keep every setting of the source layers. */
    KEEP_ALL,
    /** Clear the updaters and the l1/l2 regularisation: the U-Net's updater trains the copied layers. */
    USE_UNET_UPDATER,
    /**
     * Also clear the weight initialisation (zoo models: ResNet50's truncated normal with std 0.5 gives huge initial
     * losses from scratch; the U-Net's He initialisation does not). Pretrained weights overwrite it anyway.
     */
    USE_UNET_UPDATER_AND_INIT
}
