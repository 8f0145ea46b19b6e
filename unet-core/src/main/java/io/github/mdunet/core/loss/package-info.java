/** Losses for DL4J's {@code CnnLossLayer}: segmentation, per-pixel means, mean L1, the feature loss. */
package io.github.mdunet.core.loss;
