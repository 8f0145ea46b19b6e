package io.github.mdunet.core.head;

import io.github.mdunet.core.config.HeadActivation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/**
 * DL4J's activation function for each {@link HeadActivation}, applied per pixel by the output layer: over the
 * channel axis (softmax) or element-wise. {@code [N, numClasses, H, W] -> [N, numClasses, H, W]}.
 */
public final class HeadActivations {

    private HeadActivations() {
    }

    /** The output layer's activation for {@code head}; the residual head adds the input before it (identity). */
    public static IActivation of(HeadActivation head) {
        return head.accept(new HeadActivation.Visitor<>() {
            @Override
            public IActivation softmax(HeadActivation.Softmax softmax) {
                return new ActivationSoftmax();
            }

            @Override
            public IActivation sigmoid(HeadActivation.Sigmoid sigmoid) {
                return new ActivationSigmoid();
            }

            @Override
            public IActivation identity(HeadActivation.Identity identity) {
                return new ActivationIdentity();
            }

            @Override
            public IActivation sigmoidRange(HeadActivation.SigmoidRange range) {
                return new ActivationSigmoidRange(range.low(), range.high());
            }

            @Override
            public IActivation residual(HeadActivation.Residual residual) {
                return new ActivationIdentity();
            }
        });
    }
}
