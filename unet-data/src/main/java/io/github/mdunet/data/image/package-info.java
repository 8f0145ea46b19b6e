/** Decoding images and label masks with ImageIO (RGB, 0-255), explicit bit-depth and palette checks, normalisation. */
package io.github.mdunet.data.image;
