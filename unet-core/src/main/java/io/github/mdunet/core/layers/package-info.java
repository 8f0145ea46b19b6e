/**
 * Custom NCHW SameDiff layers of the U-Net (pixel shuffle, ICNR sub-pixel convolution, bilinear resize, self-attention,
 * attention gate) with M2.1's doubled SameDiff gradients corrected.
 */
package io.github.mdunet.core.layers;
