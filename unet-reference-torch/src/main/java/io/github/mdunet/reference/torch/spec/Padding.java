package io.github.mdunet.reference.torch.spec;

/**
 * Convolution padding: {@code same} pads (k - 1) / 2 zeros on every side (odd k only), {@code valid} pads none.
 * network.json names each by its constant's name in lower case.
 */
public enum Padding {
    SAME,
    VALID;

    /** Zeros added on each side for this kernel size. */
    public int perSide(int kernel) {
        return this == SAME ? (kernel - 1) / 2 : 0;
    }
}
