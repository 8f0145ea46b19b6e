package io.github.mdunet.core.head;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.loss.CrossEntropyDiceLoss;
import io.github.mdunet.core.loss.DiceLoss;
import io.github.mdunet.core.loss.FeatureLoss;
import io.github.mdunet.core.loss.FocalLoss;
import io.github.mdunet.core.loss.LovaszLoss;
import io.github.mdunet.core.loss.MeanL1Loss;
import io.github.mdunet.core.loss.PixelMeanLoss;
import io.github.mdunet.core.loss.TverskyLoss;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * DL4J's loss function for a configured {@link Loss} and {@link HeadActivation}: what the output layer minimises,
 * with labels of the output's shape {@code [N, numClasses, H, W]}.
 */
public final class HeadLosses {

    private HeadLosses() {
    }

    /**
     * The loss of {@code config}: its {@link Loss} for its head, output size and (for image losses) the pixel
     * normalisation of its images, which is its encoder's input normalisation. Every image loss is a mean over each
     * example's pixels and channels, as the regression heads' mean squared error through {@link PixelMeanLoss} is.
     */
    public static ILossFunction of(UNetConfig config) {
        ImageShape output = config.input();
        int pixels = output.height() * output.width();
        return config.loss().accept(new SegmentationChoice(config.head(), pixels) {
            @Override
            public ILossFunction l1(Loss.L1 l1) {
                return new MeanL1Loss(pixels);
            }

            @Override
            public ILossFunction perceptual(Loss.Perceptual perceptual) {
                return new FeatureLoss(perceptual.features(), config.encoder().inputNormalization(),
                        perceptual.pixelWeight(), perceptual.gramWeight(), output.height(), output.width());
            }
        });
    }

    /**
     * The configured segmentation loss, or for {@link Loss.HeadDefault} the head's own. Every loss is a mean over
     * each example's pixels (per-pixel losses through {@link PixelMeanLoss}, which for a sigmoid head also averages
     * over the channels and for weighted cross-entropy divides by the pixels' class weights, as PyTorch's means do;
     * Dice and the combined loss are per-example by construction), so scores compare across U-Nets built for
     * different image sizes (each trained on images of its own size: the divisor is fixed here).
     *
     * @param pixelsPerExample output height times width
     * @throws IllegalArgumentException for an image loss, which needs the whole configuration: use
     *                                  {@link #of(UNetConfig)}
     */
    public static ILossFunction of(HeadActivation head, Loss loss, int pixelsPerExample) {
        return loss.accept(new SegmentationChoice(head, pixelsPerExample) {
            @Override
            public ILossFunction l1(Loss.L1 l1) {
                throw imageLoss(l1);
            }

            @Override
            public ILossFunction perceptual(Loss.Perceptual perceptual) {
                throw imageLoss(perceptual);
            }
        });
    }

    private static IllegalArgumentException imageLoss(Loss loss) {
        return new IllegalArgumentException("image loss " + loss + " needs the U-Net's output size and pixel"
                + " normalisation: use HeadLosses.of(UNetConfig)");
    }

    /**
     * The segmentation losses; each caller handles the image losses (a new one fails to compile until both do):
     * {@link #of(UNetConfig)} builds them, {@link #of(HeadActivation, Loss, int)} refuses them.
     */
    private abstract static class SegmentationChoice implements Loss.Visitor<ILossFunction> {

        private final HeadActivation head;
        private final int pixels;

        SegmentationChoice(HeadActivation head, int pixels) {
            this.head = head;
            this.pixels = pixels;
        }

        @Override
        public ILossFunction headDefault(Loss.HeadDefault loss) {
            return new PixelMeanLoss(HeadActivations.defaultLoss(head), pixels);
        }

        @Override
        public ILossFunction dice(Loss.Dice dice) {
            return new DiceLoss(weights(dice), 1.0, pixels);
        }

        @Override
        public ILossFunction focal(Loss.Focal focal) {
            return new PixelMeanLoss(new FocalLoss(focal.gamma(), null, weights(focal)), pixels);
        }

        @Override
        public ILossFunction crossEntropyDice(Loss.CrossEntropyDice combined) {
            return new CrossEntropyDiceLoss(combined.crossEntropyWeight(), combined.diceWeight(), weights(combined),
                    1.0, pixels);
        }

        @Override
        public ILossFunction tversky(Loss.Tversky tversky) {
            return new TverskyLoss(weights(tversky), tversky.alpha(), tversky.beta(), 1.0, pixels);
        }

        @Override
        public ILossFunction lovasz(Loss.Lovasz lovasz) {
            // smp's choices: the hinge on a sigmoid head's logits, Lovasz-Softmax on a softmax head's probabilities
            return new LovaszLoss(weights(lovasz), pixels, head.exclusiveClasses()
                    ? LovaszLoss.Surrogate.SOFTMAX : LovaszLoss.Surrogate.SIGMOID_HINGE);
        }


        private static double[] weights(Loss loss) {
            return loss.classWeights().isEmpty() ? null
                    : loss.classWeights().stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
