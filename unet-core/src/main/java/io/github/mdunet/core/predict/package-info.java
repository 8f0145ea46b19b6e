/**
 * Prediction: tiled inference for images of any size, class-id masks and colour overlays. A U-Net's predictor is
 * {@code UNet.tiledPredictor(overlap)}, a {@link io.github.mdunet.core.predict.TiledPredictor} over its input size;
 * this package imports nothing of {@code model}, which imports it.
 */
package io.github.mdunet.core.predict;
