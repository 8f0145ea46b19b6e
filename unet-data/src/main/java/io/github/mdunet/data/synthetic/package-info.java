/** Synthetic datasets in the loaders' folder layouts: shapes, textured scenes, super-resolution scenes. */
package io.github.mdunet.data.synthetic;
