/**
 * Joint augmentation drawn once per sample: one geometry for image and mask (nearest-neighbour for masks), colour
 * jitter on the image only.
 */
package io.github.mdunet.data.augment;
