package io.github.mdunet.core.head;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.loss.CrossEntropyDiceLoss;
import io.github.mdunet.core.loss.DiceLoss;
import io.github.mdunet.core.loss.FeatureLoss;
import io.github.mdunet.core.loss.FocalLoss;
import io.github.mdunet.core.loss.MeanL1Loss;
import io.github.mdunet.core.loss.PixelMeanLoss;
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

    /**
     * The loss of {@code config}: its {@link Loss} for its head, output size and (for image losses) the pixel
     * normalisation of its images, which is its encoder's input normalisation. Every image loss is a mean over each
     * example's pixels and channels, as the regression heads' mean squared error through {@link PixelMeanLoss} is.
     */
    public static ILossFunction loss(UNetConfig config) {
        ImageShape output = config.input();
        int pixels = output.height() * output.width();
        Loss loss = config.loss();
        if (loss instanceof Loss.L1) {
            return new MeanL1Loss(pixels);
        }
        if (loss instanceof Loss.Perceptual perceptual) {
            return new FeatureLoss(perceptual.features(), config.encoder().inputNormalization(),
                    perceptual.pixelWeight(), perceptual.gramWeight(), output.height(), output.width());
        }
        return loss(config.head(), loss, pixels);
    }

    /**
     * The configured segmentation loss, or for {@link Loss.HeadDefault} the head's own. Every loss is a mean over
     * each example's pixels (per-pixel losses through {@link PixelMeanLoss}; Dice and the combined loss are
     * per-example by construction), so the score reads the same at any image size.
     *
     * @param pixelsPerExample output height times width
     */
    public static ILossFunction loss(HeadActivation head, Loss loss, int pixelsPerExample) {
        if (loss.comparesImages()) {
            throw new IllegalArgumentException("image loss " + loss + " needs the U-Net's output size and pixel"
                    + " normalisation: use HeadLayers.loss(UNetConfig)");
        }
        double[] weights = loss.classWeights().isEmpty() ? null
                : loss.classWeights().stream().mapToDouble(Double::doubleValue).toArray();
        if (loss instanceof Loss.Dice) {
            return new DiceLoss(weights, 1.0, pixelsPerExample);
        }
        if (loss instanceof Loss.Focal focal) {
            return new PixelMeanLoss(new FocalLoss(focal.gamma(), null, weights), pixelsPerExample);
        }
        if (loss instanceof Loss.CrossEntropyDice combined) {
            return new CrossEntropyDiceLoss(combined.crossEntropyWeight(), combined.diceWeight(), weights, 1.0,
                    pixelsPerExample);
        }
        return new PixelMeanLoss(loss(head), pixelsPerExample);
    }

    /**
     * Cross-entropy for softmax, binary cross-entropy for sigmoid, mean squared error for the regression heads
     * (identity, sigmoid range, residual).
     */
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
