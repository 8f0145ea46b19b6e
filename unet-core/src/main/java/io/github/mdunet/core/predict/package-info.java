/** Prediction: tiled inference for images of any size, class-id masks and colour overlays. */
package io.github.mdunet.core.predict;
