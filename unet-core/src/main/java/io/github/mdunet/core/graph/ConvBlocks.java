package io.github.mdunet.core.graph;

import io.github.mdunet.core.config.Normalization;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * Adds the conv-norm-activation building blocks shared by encoders and decoder to a graph, naming every vertex
 * from one prefix ({@code prefix_conv}, {@code prefix_bn}, {@code prefix_act}) and returning the name of the
 * block's last vertex, so blocks are wired by the names they return, never by hand-typed strings.
 *
 * <p>Tensor contract: {@code [N, C, H, W] -> [N, outChannels, H, W]} ("same" padding, stride 1).
 *
 * @param normalization batch normalisation after each convolution, or none (the convolution then has a bias)
 */
public record ConvBlocks(Normalization normalization) {

    /** Convolution {@code kernel x kernel}, normalisation, activation. Returns the last vertex's name. */
    public String convNormAct(GraphBuilder graph, String prefix, String input, int outChannels, int kernel,
                              Activation activation) {
        boolean batchNorm = normalization == Normalization.BATCH;
        String conv = prefix + "_conv";
        graph.addLayer(conv, new ConvolutionLayer.Builder(kernel, kernel)
                .nOut(outChannels)
                .stride(1, 1)
                .convolutionMode(ConvolutionMode.Same)
                .hasBias(!batchNorm)
                .activation(batchNorm ? Activation.IDENTITY : activation)
                .build(), input);
        if (!batchNorm) {
            return conv;
        }
        String bn = prefix + "_bn";
        graph.addLayer(bn, new BatchNormalization.Builder().build(), conv);
        return activation(graph, prefix + "_act", bn, activation);
    }

    /** Normalisation alone (identity when {@link Normalization#NONE}). Returns the name of the output vertex. */
    public String norm(GraphBuilder graph, String name, String input) {
        if (normalization == Normalization.NONE) {
            return input;
        }
        graph.addLayer(name, new BatchNormalization.Builder().build(), input);
        return name;
    }

    /** An activation layer. Returns {@code name}. */
    public static String activation(GraphBuilder graph, String name, String input, Activation activation) {
        graph.addLayer(name, new ActivationLayer.Builder().activation(activation).build(), input);
        return name;
    }
}
