package io.github.mdunet.core.blocks;

/** The normalisation after each convolution of the encoder's classic blocks and of the decoder. */
public enum Normalization {
    /** Batch normalisation (DL4J {@code BatchNormalization}), fastai's and smp's default. */
    BATCH,
    /** No normalisation; convolutions then carry a bias. */
    NONE
}
