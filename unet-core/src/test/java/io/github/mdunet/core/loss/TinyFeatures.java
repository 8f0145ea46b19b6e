package io.github.mdunet.core.loss;

import io.github.mdunet.core.encoder.ChannelOrder;
import io.github.mdunet.core.encoder.InputNormalization;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A tiny random frozen network for feature-loss tests: 3x3 conv (3 -> 4, ReLU), tapped; 2x2 max-pool; 3x3 conv
 * (4 -> 5, ReLU), tapped. Its pixel normalisation is BGR with unusual means and deviations, so that a mistake in
 * re-expressing the U-Net's pixels shows.
 *
 * @param seed         weight initialisation seed
 * @param layerWeights one weight per tap
 * @param leafOutputs  false wires the first tap as an output that the pool also reads (refused by FeatureLoss)
 */
public record TinyFeatures(long seed, List<Double> layerWeights, boolean leafOutputs) implements FeatureExtractor {

    static final InputNormalization NORMALIZATION =
            new InputNormalization(ChannelOrder.BGR, 1.0, List.of(100.0, 110.0, 120.0), List.of(50.0, 60.0, 70.0));

    public TinyFeatures(long seed, List<Double> layerWeights) {
        this(seed, layerWeights, true);
    }

    @Override
    public ComputationGraphConfiguration configuration(DataType dataType) {
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("image")
                .setInputTypes(InputType.convolutional(8, 8, 3))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(),
                        "image")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "conv1")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(5).activation(Activation.RELU).build(),
                        "pool");
        if (leafOutputs) {
            graph.addLayer("tap1", new ActivationLayer(Activation.IDENTITY), "conv1")
                    .addLayer("tap2", new ActivationLayer(Activation.IDENTITY), "conv2")
                    .setOutputs("tap1", "tap2");
        } else {
            graph.setOutputs("conv1", "conv2");
        }
        return graph.build();
    }

    /** Its random initialisation: nothing is read from disk, so no {@code IOException}. */
    @Override
    public ComputationGraph build(DataType dataType) {
        ComputationGraph built = new ComputationGraph(configuration(dataType));
        built.init();
        return built;
    }

    @Override
    public InputNormalization inputNormalization() {
        return NORMALIZATION;
    }

    @Override
    public int inputChannels() {
        return 3;
    }
}
