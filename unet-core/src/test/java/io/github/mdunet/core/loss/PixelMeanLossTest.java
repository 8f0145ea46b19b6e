package io.github.mdunet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.head.HeadLosses;
import io.github.mdunet.core.model.UNet;
import java.util.List;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/** A U-Net's score is the per-pixel mean loss, as PyTorch reports it, at any image size. */
class PixelMeanLossTest {

    private static UNet unet(int height, int width) {
        return UNet.build(UNetConfig.builder()
                .encoder(new ClassicEncoder(1, 2, Normalization.BATCH))
                .input(new ImageShape(3, height, width))
                .numClasses(3)
                .seed(4)
                .build());
    }

    private static DataSet batch(int height, int width) {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, height, width);
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 2, 3, height, width);
        for (int n = 0; n < 2; n++) {
            for (int y = 0; y < height; y++) {
                for (int w = 0; w < width; w++) {
                    labels.putScalar(new long[] {n, random.nextInt(3), y, w}, 1);
                }
            }
        }
        return new DataSet(x, labels);
    }

    @Test
    void theScoreIsTheCrossEntropyAveragedOverEveryPixelOfTheBatch() {
        UNet unet = unet(16, 24);
        DataSet data = batch(16, 24);
        INDArray probabilities = unet.graph().outputSingle(false, data.getFeatures());
        double byHand = -Transforms.log(probabilities, true).mul(data.getLabels()).sumNumber().doubleValue()
                / (2 * 16 * 24);
        assertThat(unet.graph().score(data, false)).isCloseTo(byHand, Percentage.withPercentage(1e-3));
    }

    @Test
    void theScoreOfAnUntrainedNetworkReadsTheSameAtEveryImageSize() {
        double small = unet(16, 16).graph().score(batch(16, 16), false);
        double large = unet(64, 64).graph().score(batch(64, 64), false);
        // both are about ln(3) for an untrained network; a sum over pixels would differ 16-fold
        assertThat(large / small).isBetween(0.5, 2.0);
    }

    @Test
    void theGradientIsThePerPixelGradientDividedByThePixelsPerExample() {
        INDArray logits = Nd4j.randn(DataType.DOUBLE, 6, 3);
        INDArray labels = Nd4j.eye(3).castTo(DataType.DOUBLE).repeat(0, 2);
        LossMCXENT plain = new LossMCXENT();
        PixelMeanLoss mean = new PixelMeanLoss(plain, 3);
        INDArray expected = plain.computeGradient(labels, logits.dup(), new ActivationSoftmax(), null).div(3);
        assertThat(mean.computeGradient(labels, logits.dup(), new ActivationSoftmax(), null)).isEqualTo(expected);
        assertThat(mean.computeScore(labels, logits.dup(), new ActivationSoftmax(), null, false)).isCloseTo(
                plain.computeScore(labels, logits.dup(), new ActivationSoftmax(), null, false) / 3,
                Percentage.withPercentage(1e-9));
    }

    /**
     * With a labels mask, as PyTorch's {@code ignore_index}: the network's score is the cross-entropy averaged over the
     * pixels the mask counts, not over every pixel (a mask counting a tenth of the pixels must not make the loss and
     * its gradient ten times smaller).
     */
    @Test
    void withALabelsMaskTheScoreIsTheMeanOverTheCountedPixels() {
        UNet unet = unet(16, 24);
        DataSet data = batch(16, 24);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, 2, 1, 16, 24);
        mask.putScalar(new long[] {0, 0, 3, 4}, 1);
        mask.putScalar(new long[] {0, 0, 9, 20}, 1);
        mask.putScalar(new long[] {1, 0, 15, 0}, 1);
        INDArray probabilities = unet.graph().outputSingle(false, data.getFeatures());
        double byHand = -Transforms.log(probabilities, true).mul(data.getLabels()).mul(mask).sumNumber().doubleValue()
                / 3;
        DataSet masked = new DataSet(data.getFeatures(), data.getLabels(), null, mask);
        assertThat(unet.graph().score(masked, false)).isCloseTo(byHand, Percentage.withPercentage(1e-3));

        INDArray logits = Nd4j.randn(DataType.DOUBLE, 6, 3);
        INDArray labels = Nd4j.eye(3).castTo(DataType.DOUBLE).repeat(0, 2);
        INDArray rows = Nd4j.create(new double[][] {{1}, {0}, {0}, {1}, {1}, {0}});
        LossMCXENT plain = new LossMCXENT();
        // 2 examples of 3 pixels, 3 pixels counted: the sums are divided by 1.5 counted pixels per example.
        INDArray expected = plain.computeGradient(labels, logits.dup(), new ActivationSoftmax(), rows).div(1.5);
        assertThat(new PixelMeanLoss(plain, 3).computeGradient(labels, logits.dup(), new ActivationSoftmax(), rows))
                .isEqualTo(expected);
    }

    @Test
    void refusesAMissingLossAndANonPositivePixelCountNamingTheField() {
        assertThatThrownBy(() -> new PixelMeanLoss(null, 4)).hasMessageContaining("PixelMeanLoss.perPixel");
        assertThatThrownBy(() -> new PixelMeanLoss(new LossMCXENT(), 0))
                .hasMessageContaining("PixelMeanLoss.pixelsPerExample must be >= 1").hasMessageContaining("was 0");
    }

    /** 6 rows are not a whole number of 4-pixel examples: the images are not of the size the loss was built for. */
    @Test
    void refusesARowCountThatIsNotAMultipleOfThePixelsPerExampleNamingBoth() {
        PixelMeanLoss mean = new PixelMeanLoss(new LossMCXENT(), 4);
        INDArray logits = Nd4j.zeros(DataType.DOUBLE, 6, 2);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 6, 2);
        labels.getColumn(0).assign(1);
        assertThatThrownBy(() -> mean.computeScore(labels, logits, new ActivationSoftmax(), null, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PixelMeanLoss.pixelsPerExample is 4")
                .hasMessageContaining("has 6 pixels");
        assertThatThrownBy(() -> mean.computeGradient(labels, logits, new ActivationSoftmax(), null))
                .hasMessageContaining("has 6 pixels");
        assertThatThrownBy(() -> mean.computeScoreArray(labels, logits, new ActivationSoftmax(), null))
                .hasMessageContaining("has 6 pixels");
    }

    /** 99 background and 1 foreground pixel of one example, every logit 0 (p = 1/2 in both classes). */
    private static INDArray rareForeground(int classes) {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 100, classes);
        for (int row = 0; row < 100; row++) {
            labels.putScalar(row, row < 99 ? 0 : 1, 1.0);
        }
        return labels;
    }

    /**
     * Weighted cross-entropy is PyTorch's {@code F.cross_entropy(weight=w)}: {@code sum(w_y l) / sum(w_y)}, ln 2
     * here (it was {@code sum(w_y l) / pixels}, 0.138); with gamma 2 the weights stay out of the divisor, as in
     * kornia's {@code focal_loss}.
     */
    @Test
    void weightedCrossEntropyIsDividedByTheSummedWeightsOfTheCountedPixels() {
        INDArray labels = rareForeground(2);
        INDArray logits = Nd4j.zeros(DataType.DOUBLE, 100, 2);
        ActivationSoftmax softmax = new ActivationSoftmax();
        ILossFunction weighted = HeadLosses.of(new HeadActivation.Softmax(), new Loss.Focal(0.0, List.of(0.1, 10.0)),
                100);
        assertThat(weighted.computeScore(labels, logits, softmax, null, false)).isCloseTo(Math.log(2),
                within(1e-12));
        // the gradient is that of the same mean: the foreground pixel's share is 10 / (99 * 0.1 + 10)
        assertThat(weighted.computeGradient(labels, logits, softmax, null).getDouble(99, 1))
                .isCloseTo(-0.5 * 10 / (99 * 0.1 + 10), within(1e-12));
        // a mask leaves the masked pixels' weights out: 9 background pixels and the foreground one counted
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, 100, 1);
        mask.get(NDArrayIndex.interval(90, 100), NDArrayIndex.all()).assign(1);
        assertThat(weighted.computeScore(labels, logits, softmax, mask, false)).isCloseTo(Math.log(2),
                within(1e-12));

        ILossFunction focal = HeadLosses.of(new HeadActivation.Softmax(), new Loss.Focal(2.0, List.of(0.1, 10.0)),
                100);
        assertThat(focal.computeScore(labels, logits, softmax, null, false))
                .isCloseTo((99 * 0.1 + 10) * 0.25 * Math.log(2) / 100, within(1e-12));
    }

    /**
     * A sigmoid head's losses are per element: their mean is over pixels and channels, as PyTorch's
     * {@code BCEWithLogitsLoss}, ln 2 at p = 1/2 whatever K (it was K ln 2, 2.079 at K = 3).
     */
    @Test
    void aSigmoidHeadsLossIsTheMeanOverPixelsAndChannels() {
        ActivationSigmoid sigmoid = new ActivationSigmoid();
        for (int classes : new int[] {1, 3}) {
            INDArray labels = rareForeground(Math.max(classes, 2)).get(NDArrayIndex.all(),
                    NDArrayIndex.interval(0, classes)).dup();
            INDArray logits = Nd4j.zeros(DataType.DOUBLE, 100, classes);
            ILossFunction crossEntropy = HeadLosses.of(new HeadActivation.Sigmoid(), new Loss.HeadDefault(), 100);
            assertThat(crossEntropy.computeScore(labels, logits, sigmoid, null, false)).as("K = %s", classes)
                    .isCloseTo(Math.log(2), within(1e-12));
            assertThat(crossEntropy.computeGradient(labels, logits, sigmoid, null).getDouble(0, 0))
                    .as("K = %s: (p - y) / (pixels * K)", classes).isCloseTo(-0.5 / (100 * classes), within(1e-12));
            ILossFunction focal = HeadLosses.of(new HeadActivation.Sigmoid(), new Loss.Focal(2.0, List.of()), 100);
            assertThat(focal.computeScore(labels, logits, sigmoid, null, false)).as("K = %s", classes)
                    .isCloseTo(0.25 * Math.log(2), within(1e-12));
            // a file saved before names DL4J's binary cross-entropy: its mean is over the elements too
            assertThat(new PixelMeanLoss(new LossBinaryXENT(), 100).computeScore(labels, logits, sigmoid, null,
                    false)).as("K = %s", classes).isCloseTo(Math.log(2), within(1e-9));
        }
        // a per-output mask counts elements: 2 of the 3 channels of every pixel
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 100, 3);
        mask.getColumn(2).assign(0);
        ILossFunction crossEntropy = HeadLosses.of(new HeadActivation.Sigmoid(), new Loss.HeadDefault(), 100);
        assertThat(crossEntropy.computeScore(Nd4j.zeros(DataType.DOUBLE, 100, 3), Nd4j.zeros(DataType.DOUBLE, 100, 3),
                sigmoid, mask, false)).isCloseTo(Math.log(2), within(1e-12));
    }
}
