package io.github.mdunet.zoo.training;

/**
 * What the batch-norm layers of a frozen encoder do ({@link EncoderFreezer#freeze(io.github.mdunet.core.model.UNet,
 * FrozenBatchNorm)}).
 */
public enum FrozenBatchNorm {
    /**
     * Frozen with the rest of the encoder, as DL4J's transfer learning freezes them: run in inference mode with their
     * running statistics, which stay as they are. Nothing is backpropagated into the encoder (which saved no time
     * on a ResNet50 U-Net at 96 x 96, batch 2: 11.5 s a step either way, the decoder's work dominating).
     */
    FROZEN,
    /**
     * Trained, as fastai's {@code train_bn=True} (its default) trains them: their scales and shifts take steps and
     * their running statistics follow the new data, in training mode; every other encoder layer is frozen, with the
     * gradient passed through it to the batch norms before it. Backprop then runs through the whole encoder (without
     * weight updates there), as in fastai.
     */
    TRAINED
}
