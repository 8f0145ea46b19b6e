/** Metrics as DL4J IEvaluations: segmentation (confusion matrix, IoU, Dice), image quality (PSNR, SSIM). */
package io.github.mdunet.core.metrics;
