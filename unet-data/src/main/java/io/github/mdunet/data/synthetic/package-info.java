/** A synthetic segmentation dataset (shapes on textured backgrounds) written in the folder layout the loaders read. */
package io.github.mdunet.data.synthetic;
