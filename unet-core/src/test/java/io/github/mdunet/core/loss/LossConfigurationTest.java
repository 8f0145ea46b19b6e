package io.github.mdunet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import io.github.mdunet.core.testing.LossGraphs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** JSON round trips inside a graph configuration, value equality, and one test per documented error. */
class LossConfigurationTest extends DoubleOneThreadTestBase {

    static Stream<Arguments> nonDefaultLosses() {
        return Stream.of(
                Arguments.of(new DiceLoss(new double[] {0.25, 1.5, 3.0}, 0.5, 12), new DiceLoss()),
                Arguments.of(new TverskyLoss(new double[] {0.25, 1.5, 3.0}, 0.3, 0.7, 0.5, 12), new TverskyLoss()),
                Arguments.of(new FocalLoss(1.5, 0.3, new double[] {2.0, 1.0, 0.5}), new FocalLoss()),
                Arguments.of(new LovaszLoss(new double[] {0.25, 1.5, 3.0}, 12, LovaszLoss.Surrogate.SIGMOID_HINGE),
                        new LovaszLoss()),
                Arguments.of(new CrossEntropyDiceLoss(0.3, 2.5, new double[] {1.0, 4.0, 0.5}, 0.25, 12),
                        new CrossEntropyDiceLoss()),
                Arguments.of(new PixelMeanLoss(new FocalLoss(1.5, 0.3, new double[] {2.0, 1.0, 0.5}), 12),
                        new PixelMeanLoss(new org.nd4j.linalg.lossfunctions.impl.LossMCXENT(), 1)));
    }

    @ParameterizedTest
    @MethodSource("nonDefaultLosses")
    void graphConfigurationJsonRoundTripRestoresTheLoss(ILossFunction loss, ILossFunction defaultLoss) {
        ComputationGraphConfiguration configuration = LossGraphs.convolutionThenLoss(
                new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE), InputType.convolutional(3, 4, 2),
                "logits", 3, loss, Activation.SIGMOID);

        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(configuration.toJson());
        ILossFunction restoredLoss = ((CnnLossLayer) ((LayerVertex) restored.getVertices().get("out"))
                .getLayerConf().getLayer()).getLossFn();

        assertThat(restoredLoss).isInstanceOf(loss.getClass()).isEqualTo(loss).isNotEqualTo(defaultLoss)
                .hasSameHashCodeAs(loss);
        assertThat(restored).isEqualTo(configuration);
    }

    /**
     * Files saved before the hinge name {@code absentClassesCount} where they now name the surrogate: true (a sigmoid
     * head) reads as the sigmoid on probabilities they trained with, false as Lovasz-Softmax.
     */
    @ParameterizedTest
    @EnumSource(value = LovaszLoss.Surrogate.class, names = {"SOFTMAX", "SIGMOID_PROBABILITIES"})
    void aLovaszLossSavedBeforeTheHingeReadsAsItTrained(LovaszLoss.Surrogate surrogate) {
        LovaszLoss saved = new LovaszLoss(new double[] {1.0, 2.0, 0.5}, 12, surrogate);
        String json = LossGraphs.convolutionThenLoss(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE),
                InputType.convolutional(3, 4, 2), "logits", 3, saved, Activation.SIGMOID).toJson();
        String before = json.replaceAll("\"surrogate\"\\s*:\\s*\"" + surrogate + "\"",
                "\"absentClassesCount\" : " + (surrogate == LovaszLoss.Surrogate.SIGMOID_PROBABILITIES));
        assertThat(before).doesNotContain("surrogate").contains("absentClassesCount");

        ILossFunction restored = ((CnnLossLayer) ((LayerVertex) ComputationGraphConfiguration.fromJson(before)
                .getVertices().get("out")).getLayerConf().getLayer()).getLossFn();
        assertThat(restored).isEqualTo(saved);
    }

    @Test
    void equalityIsByValue() {
        assertThat(new DiceLoss(new double[] {1, 2}, 1.0, 4)).isEqualTo(new DiceLoss(new double[] {1, 2}, 1.0, 4))
                .isNotEqualTo(new DiceLoss(new double[] {1, 3}, 1.0, 4));
        assertThat(new FocalLoss(2, 0.25, null)).isEqualTo(new FocalLoss(2, 0.25, null))
                .isNotEqualTo(new FocalLoss(2, null, null));
        assertThat(new DiceLoss().name()).contains("DiceLoss", "smooth=1.0");
        assertThat(new TverskyLoss(null, 0.3, 0.7, 1.0, 4)).isEqualTo(new TverskyLoss(null, 0.3, 0.7, 1.0, 4))
                .hasSameHashCodeAs(new TverskyLoss(null, 0.3, 0.7, 1.0, 4))
                .isNotEqualTo(new TverskyLoss(null, 0.7, 0.3, 1.0, 4))
                .isNotEqualTo(new DiceLoss(null, 1.0, 4));
    }

    /** The texts {@code name()} gives (the class's fields in order) stay as the hand-written ones were. */
    @Test
    void toStringListsTheSettings() {
        double[] weights = {1, 2};
        assertThat(new DiceLoss(weights, 1.0, 4))
                .hasToString("DiceLoss(classWeights=[1.0, 2.0], smooth=1.0, pixelsPerExample=4)");
        assertThat(new DiceLoss()).hasToString("DiceLoss(classWeights=null, smooth=1.0, pixelsPerExample=0)");
        assertThat(new TverskyLoss(weights, 0.3, 0.7, 1.0, 4)).hasToString(
                "TverskyLoss(classWeights=[1.0, 2.0], alpha=0.3, beta=0.7, smooth=1.0, pixelsPerExample=4)");
        assertThat(new CrossEntropyDiceLoss(1.0, 0.5, weights, 1.0, 4)).hasToString("CrossEntropyDiceLoss("
                + "crossEntropyWeight=1.0, diceWeight=0.5, classWeights=[1.0, 2.0], smooth=1.0, pixelsPerExample=4)");
        assertThat(new FocalLoss(2, null, weights)).hasToString("FocalLoss(gamma=2.0, alpha=null,"
                + " classWeights=[1.0, 2.0])");
        assertThat(new LovaszLoss()).hasToString("LovaszLoss(classWeights=null, pixelsPerExample=0, surrogate="
                + LovaszLoss.Surrogate.SOFTMAX + ")");
    }

    @Test
    void classWeightsOfTheWrongLengthAreNamedWithTheirValues() {
        INDArray labels = LossFixtures.oneHotLabels(1, 3);
        INDArray logits = LossFixtures.preOutput(1, 3);
        for (ILossFunction loss : new ILossFunction[] {new DiceLoss(new double[] {1.0, 2.0}, 1.0, 0),
                new FocalLoss(2, null, new double[] {1.0, 2.0}),
                new CrossEntropyDiceLoss(1, 1, new double[] {1.0, 2.0}, 1, 0)}) {
            assertThatThrownBy(() -> loss.computeScore(labels, logits, new ActivationSoftmax(), null, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(loss.getClass().getSimpleName() + ".classWeights has length 2 [1.0, 2.0]")
                    .hasMessageContaining("3 classes");
            assertThatThrownBy(() -> loss.computeGradient(labels, logits, new ActivationSoftmax(), null))
                    .hasMessageContaining("classWeights has length 2");
        }
    }

    @Test
    void invalidClassWeightsAreRejectedWhenSet() {
        assertThatThrownBy(() -> new DiceLoss(new double[] {1.0, -0.5}, 1.0, 0))
                .hasMessageContaining("DiceLoss.classWeights[1] must be finite and >= 0 but was -0.5");
        assertThatThrownBy(() -> new FocalLoss(2, null, new double[] {Double.NaN}))
                .hasMessageContaining("FocalLoss.classWeights[0]").hasMessageContaining("NaN");
        assertThatThrownBy(() -> new CrossEntropyDiceLoss(1, 1, new double[] {0, 0}, 1, 0))
                .hasMessageContaining("CrossEntropyDiceLoss.classWeights must not all be zero but was [0.0, 0.0]");
        assertThatThrownBy(() -> new DiceLoss(new double[0], 1.0, 0)).hasMessageContaining("was empty");
    }

    @Test
    void invalidScalarsNameTheFieldAndValue() {
        assertThatThrownBy(() -> new DiceLoss(null, 0.0, 0)).hasMessageContaining("DiceLoss.smooth")
                .hasMessageContaining("but was 0.0");
        assertThatThrownBy(() -> new DiceLoss(null, 1.0, -4)).hasMessageContaining("DiceLoss.pixelsPerExample")
                .hasMessageContaining("-4");
        assertThatThrownBy(() -> new FocalLoss(-1, null, null))
                .hasMessageContaining("FocalLoss.gamma must be finite and >= 0 but was -1.0");
        assertThatThrownBy(() -> new FocalLoss(2, 1.5, null))
                .hasMessageContaining("FocalLoss.alpha must be in [0, 1]").hasMessageContaining("1.5");
        assertThatThrownBy(() -> new CrossEntropyDiceLoss(-1, 1, null, 1, 0))
                .hasMessageContaining("CrossEntropyDiceLoss.crossEntropyWeight").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new TverskyLoss(null, -0.1, 0.7, 1, 0))
                .hasMessageContaining("TverskyLoss.alpha must be finite and >= 0 but was -0.1");
        assertThatThrownBy(() -> new TverskyLoss(null, 0.3, Double.NaN, 1, 0))
                .hasMessageContaining("TverskyLoss.beta must be finite and >= 0 but was NaN");
        assertThatThrownBy(() -> new TverskyLoss(null, 0, 0, 1, 0))
                .hasMessageContaining("TverskyLoss.alpha and beta must not both be 0");
        assertThatThrownBy(() -> new TverskyLoss(null, 0.3, 0.7, 0, 0)).hasMessageContaining("TverskyLoss.smooth");
    }

    @Test
    void restoredSettingsAreCheckedBeforeEachComputation() throws Exception {
        String json = NeuralNetConfiguration.mapper().writeValueAsString(new DiceLoss(null, 0.5, 0));
        ILossFunction edited = NeuralNetConfiguration.mapper().readValue(
                json.replace("\"smooth\" : 0.5", "\"smooth\" : 0.0"), ILossFunction.class);
        assertThat(edited).isInstanceOf(DiceLoss.class);
        assertThatThrownBy(() -> edited.computeScore(LossFixtures.binaryLabels(1, 1), LossFixtures.preOutput(1, 1),
                new ActivationSigmoid(), null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DiceLoss.smooth")
                .hasMessageContaining("but was 0.0");
    }

    @Test
    void alphaWithSoftmaxIsRejected() {
        FocalLoss focal = new FocalLoss(2, 0.25, null);
        assertThatThrownBy(() -> focal.computeScore(LossFixtures.oneHotLabels(1, 3), LossFixtures.preOutput(1, 3),
                new ActivationSoftmax(), null, false))
                .hasMessageContaining("FocalLoss.alpha is 0.25").hasMessageContaining("classWeights");
    }

    @Test
    void rowsThatDoNotSplitIntoExamplesAreRejected() {
        DiceLoss dice = new DiceLoss(null, 1.0, 5);
        assertThatThrownBy(() -> dice.computeScore(LossFixtures.binaryLabels(1, 1), LossFixtures.preOutput(1, 1),
                new ActivationSigmoid(), null, false))
                .hasMessageContaining("DiceLoss.pixelsPerExample is 5 but the minibatch has 8 rows");
    }

    @Test
    void mismatchedShapesAreNamed() {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 8, 2);
        INDArray logits = Nd4j.zeros(DataType.DOUBLE, 8, 3);
        assertThatThrownBy(() -> new DiceLoss().computeScore(labels, logits, new ActivationSoftmax(), null, false))
                .hasMessageContaining("labels had shape [8, 2] and preOutput [8, 3]");
        assertThatThrownBy(() -> new FocalLoss().computeGradient(logits, logits, new ActivationSoftmax(),
                Nd4j.ones(DataType.DOUBLE, 8, 2)))
                .hasMessageContaining("mask must have shape [rows, 1] or [rows, classes] = [8, 3]")
                .hasMessageContaining("[8, 2]");
    }

    /** The whole model, configuration and parameters, survives DL4J's ModelSerializer with the custom loss. */
    @Test
    void modelSerializerRoundTripKeepsTheLossAndParameters() throws Exception {
        CrossEntropyDiceLoss loss = new CrossEntropyDiceLoss(0.3, 2.5, new double[] {1.0, 4.0, 0.5}, 0.25, 12);
        ComputationGraph graph = new ComputationGraph(LossGraphs.convolutionThenLoss(
                new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE), InputType.convolutional(3, 4, 2),
                "logits", 3, loss, Activation.SOFTMAX));
        graph.init();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(graph, bytes, false);

        ComputationGraph restored = ModelSerializer.restoreComputationGraph(
                new ByteArrayInputStream(bytes.toByteArray()), false);

        assertThat(restored.getConfiguration()).isEqualTo(graph.getConfiguration());
        assertThat(restored.params()).isEqualTo(graph.params());
        assertThat(((CnnLossLayer) restored.getLayer("out").conf().getLayer()).getLossFn()).isEqualTo(loss);
    }
}
