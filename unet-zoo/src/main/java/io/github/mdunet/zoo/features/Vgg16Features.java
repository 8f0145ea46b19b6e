package io.github.mdunet.zoo.features;

import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.loss.FeatureExtractor;
import io.github.mdunet.zoo.Weights;
import io.github.mdunet.zoo.ZooBackbone;
import io.github.mdunet.zoo.graph.GraphCopy;
import io.github.mdunet.zoo.graph.GraphSource;
import io.github.mdunet.zoo.graph.LayerDefaults;
import io.github.mdunet.zoo.pretrained.PretrainedWeights;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The feature maps of DL4J's zoo VGG16 before its pools 3, 4 and 5 (the ReLU outputs of its layers {@code relu3_3},
 * {@code relu4_3} and {@code relu5_3}, zoo vertices "8", "12" and "16"): the layers of fastai's super-resolution
 * lesson, which taps {@code blocks[2:5]} of {@code vgg16_bn}, the ReLU before each of those pools. The frozen network
 * of a {@code Loss.Perceptual}.
 *
 * <p>The layers are fastai's, the network and its input are not: fastai's {@code vgg16_bn} has batch norms and reads
 * ImageNet-normalised [0, 1] pixels, the zoo's VGG16 has none and reads caffe's 0-255 BGR pixels, so its maps have
 * other magnitudes. fastai's layer weights 5, 15, 2 (and its Gram weight 5000) were tuned for {@code vgg16_bn}; for
 * this network they are uncalibrated: the balance of the pixel, feature and Gram terms is not fastai's.
 *
 * <p>The taps are constants of this class, not saved with a U-Net: a model file saved when they were the maps before
 * pools 2-4 loads as before (prediction does not use the loss) and, trained further, uses these.
 *
 * <p>Tensor contract of the built graph: input {@code [N, 3, H, W]} in caffe's BGR normalisation (the zoo weights'
 * own; the loss converts the U-Net's pixels), H and W at least 16; outputs {@code [N, 256, H/4, W/4]},
 * {@code [N, 512, H/8, W/8]} and {@code [N, 512, H/16, W/16]} (rounded down).
 *
 * @param weights      the zoo's ImageNet weights ({@link Weights#imagenet()}, read from DL4J's cache directory, never
 *                     downloaded), a file, or {@link Weights#random()} (a random frozen network: for tests, and a
 *                     weaker loss when no weights are at hand)
 * @param layerWeights the weight of each of the three maps, each >= 0 (fastai: 5, 15, 2)
 * @param seed         the seed of the random initialisation (used with random weights)
 */
public record Vgg16Features(Weights weights, List<Double> layerWeights, long seed) implements FeatureExtractor {

    /**
     * The zoo vertices tapped: the last convolution (with its ReLU) before pools 3, 4 and 5 (the zoo numbers
     * conv1_1, conv1_2, pool1 "0" to "2", conv2_1 to pool2 "3" to "5", conv3_1 to pool3 "6" to "9", conv4_1 to pool4
     * "10" to "13", conv5_1 to pool5 "14" to "17").
     */
    public static final List<String> TAPPED_VERTICES = List.of("8", "12", "16");
    /** The names of the graph's outputs, identity layers after the tapped vertices. */
    public static final List<String> OUTPUTS = List.of("relu3_3", "relu4_3", "relu5_3");
    /** fastai's layer weights for these maps (tuned for {@code vgg16_bn}, uncalibrated here: see above). */
    public static final List<Double> FASTAI_LAYER_WEIGHTS = List.of(5.0, 15.0, 2.0);

    private static final String INPUT = "image";

    public Vgg16Features {
        if (weights == null) {
            throw new IllegalArgumentException("Vgg16Features.weights must be set (Weights.imagenet() or"
                    + " Weights.random()) but was null");
        }
        layerWeights = List.copyOf(layerWeights);
        if (layerWeights.size() != OUTPUTS.size()) {
            throw new IllegalArgumentException("Vgg16Features.layerWeights needs one weight per map " + OUTPUTS
                    + " but has " + layerWeights.size() + ": " + layerWeights);
        }
        for (int i = 0; i < layerWeights.size(); i++) {
            if (!(layerWeights.get(i) >= 0) || !Double.isFinite(layerWeights.get(i))) {
                throw new IllegalArgumentException("Vgg16Features.layerWeights[" + i + "] must be a finite number >= 0"
                        + " but was " + layerWeights.get(i));
            }
        }
    }

    /** fastai's lesson: the three maps weighted 5, 15, 2 (fastai's numbers, uncalibrated here), with the weights. */
    public static Vgg16Features fastai(Weights weights) {
        return new Vgg16Features(weights, FASTAI_LAYER_WEIGHTS, 42);
    }

    @Override
    public ComputationGraphConfiguration configuration(DataType dataType) {
        GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .weightInit(WeightInit.RELU)
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE)
                .graphBuilder()
                .addInputs(INPUT);
        GraphCopy.copy(GraphSource.of(ZooBackbone.VGG16.zooConfiguration(3)),
                List.of(TAPPED_VERTICES.get(TAPPED_VERTICES.size() - 1)), graph, INPUT,
                LayerDefaults.USE_UNET_UPDATER_AND_INIT, (vertex, layer) -> { });
        for (int i = 0; i < OUTPUTS.size(); i++) {
            // Leaves: DL4J drops the gradient of an output that another vertex also reads.
            graph.addLayer(OUTPUTS.get(i), new ActivationLayer(Activation.IDENTITY), TAPPED_VERTICES.get(i));
        }
        graph.setOutputs(OUTPUTS.toArray(String[]::new));
        graph.setInputTypes(InputType.convolutional(224, 224, 3));
        return graph.build();
    }

    @Override
    public ComputationGraph build(DataType dataType) throws IOException {
        ComputationGraph built = new ComputationGraph(configuration(dataType));
        built.init();
        if (weights.pretrained()) {
            try {
                // the zoo's file names the layers as Keras does (block1_conv1 for "0"), "0" to the deepest tap
                PretrainedWeights.load(built, zooVertices(built), ZooBackbone.VGG16, weights);
            } catch (IOException | RuntimeException e) {
                built.close(); // native memory that nobody else holds
                throw e;
            }
        }
        return built;
    }

    /** The vertices copied from the zoo's VGG16: every one but the identity layers of {@link #OUTPUTS}. */
    private static Set<String> zooVertices(ComputationGraph built) {
        Set<String> copied = new HashSet<>(built.getConfiguration().getVertices().keySet());
        OUTPUTS.forEach(copied::remove);
        return copied;
    }

    @Override
    public InputNormalization inputNormalization() {
        return ZooBackbone.VGG16.inputNormalization();
    }

    @Override
    public int inputChannels() {
        return 3;
    }

    @Override
    public String toString() {
        return "VGG16 features " + OUTPUTS + " x " + layerWeights + " (" + weights + ")";
    }
}
