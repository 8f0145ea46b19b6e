/** Segmentation metrics (confusion matrix, per-class IoU and Dice, mean IoU, accuracy) as a DL4J IEvaluation. */
package io.github.mdunet.core.metrics;
