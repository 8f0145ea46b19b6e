package io.github.mdunet.zoo;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small user graphs for the tests: a classifier with batch norm, a residual sum and three resolutions. */
final class TestGraphs {

    private TestGraphs() {
    }

    /**
     * {@code img -> c1 (8, /1) -> bn1 -> a1 -> pool1 (/2) -> c2 (16) -> bn2 -> a2 -> sum(a2 + c2b) -> c3 (32, stride 2,
     * /4) -> a3 -> gap -> out (10 classes)}: skips a1 (8, 1), sum (16, 2), bottleneck a3 (32, 4).
     */
    static ComputationGraphConfiguration smallClassifier(int channels) {
        return new NeuralNetConfiguration.Builder().seed(7).convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("img")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(8).build(), "img")
                .addLayer("bn1", new BatchNormalization(), "c1")
                .addLayer("a1", new ActivationLayer(Activation.RELU), "bn1")
                .addLayer("pool1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "a1")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(16).build(), "pool1")
                .addLayer("bn2", new BatchNormalization(), "c2")
                .addLayer("a2", new ActivationLayer(Activation.RELU), "bn2")
                .addLayer("c2b", new ConvolutionLayer.Builder(1, 1).nOut(16).build(), "pool1")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a2", "c2b")
                .addLayer("c3", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(32).build(), "sum")
                .addLayer("a3", new ActivationLayer(Activation.RELU), "c3")
                .addLayer("gap", new GlobalPoolingLayer(PoolingType.AVG), "a3")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(32, 32, channels))
                .build();
    }
}
