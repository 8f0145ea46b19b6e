/** A saved U-Net on labelled images at their own size: per-class and per-image scores, confusion matrix, overlays. */
package io.github.mdunet.examples.evaluate;
