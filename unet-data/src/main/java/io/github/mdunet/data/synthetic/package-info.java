/** Synthetic segmentation datasets (flat shapes; textured scenes) written in the folder layout the loaders read. */
package io.github.mdunet.data.synthetic;
