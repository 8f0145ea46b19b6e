/**
 * Joint augmentation drawn once per sample: one geometry for image and mask (nearest-neighbour for masks), colour
 * jitter on the image (never the mask; input and target alike for image-to-image).
 */
package io.github.mdunet.data.augment;
