package io.github.mdunet.reference.torch.net;

/** Train: BatchNorm normalises with batch statistics and updates its running ones. Eval: it uses the running ones. */
public enum Mode {
    TRAIN,
    EVAL
}
