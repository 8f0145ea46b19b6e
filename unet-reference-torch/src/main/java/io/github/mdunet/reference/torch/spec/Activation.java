package io.github.mdunet.reference.torch.spec;

/** Element-wise activation functions; network.json names each by its constant's name in lower case ({@code relu}). */
public enum Activation {
    RELU,
    IDENTITY,
    SIGMOID,
    TANH
}
