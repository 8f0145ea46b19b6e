package io.github.mdunet.core.head;

import io.github.mdunet.core.config.HeadActivation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * Maps a {@link HeadActivation} to DL4J's activation function and the loss it pairs with (Java 17 has no
 * pattern switch, hence the {@code instanceof} chains over the sealed type).
 */
public final class HeadLayers {

    private HeadLayers() {
    }

    /** The per-pixel activation, applied over the channel axis (softmax) or element-wise. */
    public static IActivation activation(HeadActivation head) {
        if (head instanceof HeadActivation.Softmax) {
            return new ActivationSoftmax();
        }
        if (head instanceof HeadActivation.Sigmoid) {
            return new ActivationSigmoid();
        }
        if (head instanceof HeadActivation.SigmoidRange range) {
            return new ActivationSigmoidRange(range.low(), range.high());
        }
        return new ActivationIdentity();
    }

    /** Cross-entropy for softmax, binary cross-entropy for sigmoid, mean squared error for regression heads. */
    public static ILossFunction loss(HeadActivation head) {
        if (head instanceof HeadActivation.Softmax) {
            return new LossMCXENT();
        }
        if (head instanceof HeadActivation.Sigmoid) {
            return new LossBinaryXENT();
        }
        return new LossMSE();
    }
}
