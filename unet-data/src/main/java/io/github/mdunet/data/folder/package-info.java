/**
 * Folder layouts: image/mask and image-to-image pairs found by file stem, the train/validation split, and
 * {@link io.github.mdunet.data.folder.Problem}, one thing wrong with a dataset's file or folder, which the scan, the
 * validation pass and the pipeline report.
 */
package io.github.mdunet.data.folder;
