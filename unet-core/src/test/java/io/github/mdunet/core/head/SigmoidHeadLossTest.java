package io.github.mdunet.core.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.loss.CrossEntropyDiceLoss;
import io.github.mdunet.core.loss.LovaszLoss;
import io.github.mdunet.core.loss.PixelMeanLoss;
import io.github.mdunet.core.model.UNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * The sigmoid head's losses are binary cross-entropy from the logits, as PyTorch's {@code BCEWithLogitsLoss}: the
 * gradient is p - y at any logit. DL4J's {@code LossBinaryXENT} gave -0.61, -0.011 and -0.0002 for label 1 at logits
 * -12, -16 and -20.
 */
class SigmoidHeadLossTest {

    private static final double[] LOGITS = {-12, -16, -20, -40};

    @TempDir
    Path directory;

    private static INDArray column(double value) {
        return Nd4j.createFromArray(new double[][] {{value}});
    }

    @Test
    void theDefaultLossOfASigmoidHeadHasTheGradientPMinusYAtAnyLogit() {
        ILossFunction loss = HeadActivations.defaultLoss(new HeadActivation.Sigmoid());
        for (double logit : LOGITS) {
            double p = 1 / (1 + Math.exp(-logit));
            INDArray gradient = loss.computeGradient(column(1), column(logit), new ActivationSigmoid(), null);
            assertThat(gradient.getDouble(0, 0)).as("logit %s", logit).isCloseTo(p - 1, within(1e-9));
            assertThat(loss.computeScore(column(1), column(logit), new ActivationSigmoid(), null, false))
                    .as("logit %s: -log sigmoid", logit).isCloseTo(-logit + Math.log1p(Math.exp(logit)), within(1e-9));
        }
        ILossFunction mean = HeadLosses.of(new HeadActivation.Sigmoid(), new Loss.HeadDefault(), 4);
        INDArray logits = Nd4j.valueArrayOf(new long[] {4, 1}, -20.0, DataType.DOUBLE);
        assertThat(mean.computeGradient(Nd4j.ones(DataType.DOUBLE, 4, 1), logits, new ActivationSigmoid(), null)
                .getDouble(0, 0)).isCloseTo((1 / (1 + Math.exp(20)) - 1) / 4, within(1e-9));
    }

    @Test
    void theCrossEntropyTermOfCrossEntropyDiceHasTheGradientPMinusYAtAnyLogit() {
        CrossEntropyDiceLoss crossEntropyOnly = new CrossEntropyDiceLoss(1.0, 0.0, null, 1.0, 2);
        for (double logit : LOGITS) {
            INDArray logits = Nd4j.createFromArray(new double[][] {{logit}, {0.0}});
            INDArray labels = Nd4j.createFromArray(new double[][] {{1}, {0}});
            double p = 1 / (1 + Math.exp(-logit));
            assertThat(crossEntropyOnly.computeGradient(labels, logits, new ActivationSigmoid(), null).getDouble(0, 0))
                    .as("logit %s, mean over 2 pixels", logit).isCloseTo((p - 1) / 2, within(1e-9));
        }
    }

    /** smp's Lovasz choices: the hinge on a sigmoid head's logits, Lovasz-Softmax on a softmax head. */
    @Test
    void aSigmoidHeadsLovaszIsTheHingeOnItsLogits() {
        Loss lovasz = new Loss.Lovasz(List.of(1.0, 2.0));
        assertThat(HeadLosses.of(new HeadActivation.Sigmoid(), lovasz, 4))
                .isEqualTo(new LovaszLoss(new double[] {1.0, 2.0}, 4, LovaszLoss.Surrogate.SIGMOID_HINGE));
        assertThat(HeadLosses.of(new HeadActivation.Softmax(), lovasz, 4))
                .isEqualTo(new LovaszLoss(new double[] {1.0, 2.0}, 4, LovaszLoss.Surrogate.SOFTMAX));
    }

    /**
     * The loss is saved in the network's configuration, not rebuilt from the U-Net's: a file saved before, whose
     * sigmoid head names DL4J's {@code LossBinaryXENT}, still loads with that loss.
     */
    @Test
    void aFileWhoseSigmoidHeadNamesLossBinaryXentStillLoads() throws IOException {
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 2, Normalization.BATCH))
                .input(new ImageShape(1, 16, 16)).numClasses(2).head(new HeadActivation.Sigmoid()).seed(3).build());
        PixelMeanLoss old = new PixelMeanLoss(new LossBinaryXENT(), 16 * 16);
        outputLayer(unet).setLossFn(old);
        Path file = directory.resolve("old-sigmoid.zip");
        unet.save(file);

        UNet loaded = UNet.load(file);
        assertThat(outputLayer(loaded).getLossFn()).isEqualTo(old);
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 1, 16, 16);
        double score = loaded.graph().score(new DataSet(image, Nd4j.zeros(DataType.FLOAT, 1, 2, 16, 16)), false);
        assertThat(score).isFinite().isPositive();
    }

    private static CnnLossLayer outputLayer(UNet unet) {
        return (CnnLossLayer) ((LayerVertex) unet.graph().getConfiguration().getVertices().get(VertexNames.OUTPUT))
                .getLayerConf().getLayer();
    }
}
