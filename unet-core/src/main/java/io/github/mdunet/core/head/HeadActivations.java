package io.github.mdunet.core.head;

import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.loss.FocalLoss;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * DL4J's activation function for each {@link HeadActivation}, applied per pixel by the output layer: over the
 * channel axis (softmax) or element-wise, {@code [N, numClasses, H, W] -> [N, numClasses, H, W]}; and the loss each
 * head pairs with by default, in the same table.
 */
public final class HeadActivations {

    private HeadActivations() {
    }

    /** The output layer's activation for {@code head}; the residual head adds the input before it (identity). */
    public static IActivation of(HeadActivation head) {
        return functions(head).activation();
    }

    /**
     * Cross-entropy from the logits ({@link FocalLoss#crossEntropy}) for softmax, as PyTorch's {@code F.cross_entropy}
     * (DL4J's {@code LossMCXENT} clips p at 1e-10, so a confidently wrong pixel's score stopped at 23.03, and it
     * scores an all-zero label row 0 but pushes it towards the uniform prediction), and for sigmoid, as
     * {@code BCEWithLogitsLoss} (gradient p - y at any logit; DL4J's {@code LossBinaryXENT} clips p at 1e-5 and
     * backpropagates through the sigmoid, so a confidently wrong pixel's gradient fades); mean squared error for the
     * regression heads (identity, sigmoid range, residual): a sum over pixels, as DL4J's losses are.
     */
    public static ILossFunction defaultLoss(HeadActivation head) {
        return functions(head).defaultLoss();
    }

    /** A head's activation and its default loss. */
    private record Functions(IActivation activation, ILossFunction defaultLoss) {
    }

    private static Functions functions(HeadActivation head) {
        return head.accept(new HeadActivation.Visitor<>() {
            @Override
            public Functions softmax(HeadActivation.Softmax softmax) {
                return new Functions(new ActivationSoftmax(), FocalLoss.crossEntropy(null));
            }

            @Override
            public Functions sigmoid(HeadActivation.Sigmoid sigmoid) {
                return new Functions(new ActivationSigmoid(), FocalLoss.crossEntropy(null));
            }

            @Override
            public Functions identity(HeadActivation.Identity identity) {
                return new Functions(new ActivationIdentity(), new LossMSE());
            }

            @Override
            public Functions sigmoidRange(HeadActivation.SigmoidRange range) {
                return new Functions(new ActivationSigmoidRange(range.low(), range.high()), new LossMSE());
            }

            @Override
            public Functions residual(HeadActivation.Residual residual) {
                return new Functions(new ActivationIdentity(), new LossMSE());
            }
        });
    }
}
