/**
 * Data pipelines for U-Net training. This package holds the datasets a program opens: {@code SegmentationDataset}
 * (image/mask folders) and {@code ImageToImageDataset} (input/target pairs), validated and split, making DL4J
 * iterators, on their shared base {@code PairedFolderDataset}; the sub-packages hold folders, decoding, validation,
 * joint augmentation, the iterators, class statistics, super-resolution and synthetic data.
 */
package io.github.mdunet.data;
