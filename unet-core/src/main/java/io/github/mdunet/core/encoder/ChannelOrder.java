package io.github.mdunet.core.encoder;

/** The order of the three colour channels in an image tensor. DataVec's image loader yields {@link #BGR}. */
public enum ChannelOrder {
    RGB,
    BGR
}
