/**
 * Folder layouts: image/mask pairs and image-to-image pairs found by file stem, mask encodings, train/validation split.
 */
package io.github.mdunet.data.folder;
