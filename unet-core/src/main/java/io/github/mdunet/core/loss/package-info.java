/**
 * Losses for DL4J's {@code CnnLossLayer}: segmentation (soft Dice, focal, cross-entropy + Dice, with class weights)
 * and image-to-image (mean L1, the feature loss on a frozen network's feature maps).
 */
package io.github.mdunet.core.loss;
