/**
 * Synthetic datasets written in the folder layouts the loaders read: shapes on textured backgrounds (segmentation)
 * and scenes of textures, shapes and text (super-resolution).
 */
package io.github.mdunet.data.synthetic;
