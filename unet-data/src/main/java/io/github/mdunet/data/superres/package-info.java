/**
 * Self-supervised super-resolution data: photographs cropped to patches, their inputs made by area-averaged
 * downscaling and bicubic upscaling back to the patch size.
 */
package io.github.mdunet.data.superres;
