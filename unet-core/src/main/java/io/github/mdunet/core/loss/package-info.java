/** Segmentation losses for DL4J's {@code CnnLossLayer}: soft Dice, focal, cross-entropy + Dice, with class weights. */
package io.github.mdunet.core.loss;
