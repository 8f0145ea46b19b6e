package io.github.mdunet.reference.torch.spec;

/** The order of the colour channels of the network input. */
public enum ChannelOrder {
    RGB,
    BGR
}
