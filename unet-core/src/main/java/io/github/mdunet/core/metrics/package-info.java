/**
 * Metrics as DL4J IEvaluations: segmentation (confusion matrix, per-class IoU and Dice, mean IoU, accuracy) and image
 * quality (PSNR and SSIM on colour and luma).
 */
package io.github.mdunet.core.metrics;
