package io.github.mdunet.core.testing;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Tiny graphs for loss tests: a 3x3 convolution of the input, then a {@link CnnLossLayer} with the loss. */
public final class LossGraphs {

    /** The names of the graph's input and of its loss layer. */
    public static final String INPUT = "in";
    public static final String OUTPUT = "out";

    private LossGraphs() {
    }

    /** The network settings of the loss graphs: seed 42, DOUBLE, Xavier weights and {@code updater}. */
    public static NeuralNetConfiguration.Builder settings(IUpdater updater) {
        return new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.DOUBLE)
                .updater(updater)
                .weightInit(WeightInit.XAVIER);
    }

    /**
     * {@code in -> convolution (3x3, Same mode, identity activation, outChannels) -> out (CnnLossLayer with loss and
     * activation)}, with the network settings of {@code settings} (seed, data type, updater, weight init).
     *
     * @param convolution the name of the convolution vertex
     */
    public static ComputationGraphConfiguration convolutionThenLoss(NeuralNetConfiguration.Builder settings,
                                                                    InputType inputType, String convolution,
                                                                    int outChannels, ILossFunction loss,
                                                                    Activation activation) {
        return settings.graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(inputType)
                .addLayer(convolution, new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same)
                        .nOut(outChannels).activation(Activation.IDENTITY).build(), INPUT)
                .addLayer(OUTPUT, new CnnLossLayer.Builder(loss).activation(activation).build(), convolution)
                .setOutputs(OUTPUT)
                .build();
    }

    /**
     * DL4J's gradient check of a loss graph (DOUBLE; eps 1e-6, max relative error 1e-5, min absolute error 1e-9;
     * failures printed).
     *
     * @param labelMask the label mask, or null for none
     */
    public static boolean gradientsMatch(ComputationGraph graph, INDArray input, INDArray labels, INDArray labelMask) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(new INDArray[] {input})
                .labels(new INDArray[] {labels})
                .labelMask(labelMask == null ? null : new INDArray[] {labelMask})
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }
}
