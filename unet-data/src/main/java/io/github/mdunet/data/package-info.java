/** Data pipelines for U-Net training: paired folders, joint augmentation, normalisation, prefetch, synthetic data. */
package io.github.mdunet.data;
