package io.github.mdunet.zoo.training;

import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.SkipTap;
import io.github.mdunet.core.graph.UNetGraphFactory;
import io.github.mdunet.core.layers.direct.ConvNormActivation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.zoo.pretrained.PretrainedWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * fastai's fine-tuning recipe on DL4J: {@link #freeze} the encoder, fit the decoder, {@link #unfreeze} with a lower
 * learning rate for the encoder, fit everything.
 *
 * <p>Freezing with {@link FrozenBatchNorm#FROZEN} wraps every encoder layer in DL4J's {@code FrozenLayer} (and its
 * other vertices in {@code FrozenVertex}) through
 * {@code TransferLearning.GraphBuilder.setFeatureExtractor(bottleneck)}, which freezes the bottleneck and everything
 * it depends on: exactly the encoder. A frozen layer gets no gradient and always runs in inference mode, so
 * batch-norm layers use and keep their running mean and variance. With {@link FrozenBatchNorm#TRAINED} (fastai's
 * {@code train_bn}) the encoder's batch-norm layers train, at a tenth of the decoder's rate as fastai's
 * {@code slice(lr)} gives them: DL4J's {@code BatchNormalization} layers stay trainable, a fused block's convolution
 * is frozen and its batch norm not
 * ({@code ConvNormActivation.withConvolutionFrozen}), and every other encoder layer gets the learning rate 0 (its
 * updater's, with no step from regularisation either), so that the gradient still reaches the batch norms before it
 * (DL4J's {@code FrozenLayerWithBackprop} would do that too, but a graph holding it in M2.1 cannot be restored from
 * its checkpoint). The encoder is found
 * from the U-Net's blueprint ({@code UNetGraphFactory.Blueprint#encoderVertices}: the vertices its encoder adds),
 * never by name patterns.
 *
 * <p>Both operations return a new {@link UNet} ({@code UNet.withGraph}) whose graph has the same parameters (copied,
 * not shared); the updater state starts afresh, as after a new optimiser. Train and save that U-Net; the given one
 * keeps the weights it had. The operations that build the graph from the configuration ({@code unfreeze},
 * {@code freeze} with {@link FrozenBatchNorm#TRAINED}) build it as the library does now: a FUSED U-Net saved before
 * its standalone batch norms became {@code DirectBatchNorm} gets them there, its running variances converted, and
 * they then move by the batch's unbiased variance.
 */
public final class EncoderFreezer {

    /** The skip taps whose layers make the encoder's early rate group (fastai's split of a ResNet: layer2, /8). */
    private static final int EARLY_SKIPS = 3;

    /**
     * The rate of a frozen encoder's batch norms over the decoder's: fastai fits a frozen U-Net with
     * {@code slice(lr)}, which gives every parameter group but the last (the decoder) {@code lr / 10}.
     */
    public static final double FROZEN_GROUP_RATE_FACTOR = 0.1;

    private EncoderFreezer() {
    }

    /**
     * The U-Net with a copy of its graph whose encoder is frozen, batch-norm statistics included
     * ({@link FrozenBatchNorm#FROZEN}); {@code unet} itself is untouched.
     */
    public static UNet freeze(UNet unet) {
        return freeze(unet, FrozenBatchNorm.FROZEN);
    }

    /**
     * The U-Net with a copy of its graph whose encoder is frozen, its batch norms as {@code batchNorm} says;
     * {@code unet} itself is untouched.
     */
    public static UNet freeze(UNet unet, FrozenBatchNorm batchNorm) {
        return switch (batchNorm) {
            case FROZEN -> unet.withGraph(freeze(unet.graph(), bottleneck(unet)));
            case TRAINED -> unet.withGraph(freezeAllButBatchNorm(unet));
        };
    }

    /**
     * A graph of {@code unet}'s configuration with its parameters, whose encoder layers but the batch norms are
     * frozen with backprop.
     */
    private static ComputationGraph freezeAllButBatchNorm(UNet unet) {
        UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(unet.config());
        ComputationGraphConfiguration configuration = blueprint.configuration();
        Set<String> encoder = blueprint.encoderVertices();
        configuration.getVertices().forEach((name, vertex) -> {
            if (encoder.contains(name) && vertex instanceof LayerVertex layerVertex) {
                NeuralNetConfiguration layerConfiguration = layerVertex.getLayerConf();
                layerConfiguration.setLayer(frozenButBatchNorm(layerConfiguration));
            }
        });
        return withParametersOf(unet.graph(), configuration);
    }

    /**
     * {@code layer}'s configuration frozen with backprop, but for batch norm, which trains at
     * {@value #FROZEN_GROUP_RATE_FACTOR} of its rate.
     */
    private static Layer frozenButBatchNorm(NeuralNetConfiguration layer) {
        Layer conf = layer.getLayer();
        if (conf instanceof ConvNormActivation block) {
            ConvNormActivation frozen = block.withConvolutionFrozen();
            scaleRates(frozen, FROZEN_GROUP_RATE_FACTOR); // gamma's and beta's: the convolution's are NoOp now
            return frozen;
        }
        if (conf instanceof BatchNormalization) {
            scaleRates(conf, FROZEN_GROUP_RATE_FACTOR);
        } else {
            scaleRates(conf, 0.0); // Adam's and SGD's steps are the rate times their direction: none at 0
            if (conf instanceof BaseLayer base) {
                // weight decay without the rate would still step
                base.setRegularization(List.of());
                base.setRegularizationBias(List.of());
            }
        }
        return conf;
    }

    /** A copy of {@code graph} with {@code bottleneck} and every vertex it depends on frozen. */
    public static ComputationGraph freeze(ComputationGraph graph, String bottleneck) {
        return new TransferLearning.GraphBuilder(graph).setFeatureExtractor(bottleneck).build();
    }

    /**
     * A graph with {@code unet}'s configuration, every layer trainable, the parameters of {@code trained} (a frozen
     * or unfrozen graph of the same U-Net), and the encoder's learning rate {@code encoderLearningRateFactor} times
     * the decoder's (fastai's discriminative rates; 1.0 for the same rate).
     *
     * @param encoderLearningRateFactor in (0, 1]: e.g. 0.1 for an encoder ten times slower than the decoder. A
     *                                  learning-rate schedule on the U-Net's updater becomes its initial rate times the
     *                                  factor, without schedule, for the encoder.
     */
    public static ComputationGraph unfreeze(UNet unet, ComputationGraph trained, double encoderLearningRateFactor) {
        return unfreeze(unet, trained, 1.0, encoderLearningRateFactor);
    }

    /**
     * As {@link #unfreeze(UNet, ComputationGraph, double)}, with every layer's learning rate also scaled by
     * {@code learningRateFactor}: fastai's {@code fine_tune} halves its rate when it unfreezes.
     *
     * @param learningRateFactor        in (0, 1]: the decoder's rate is the configured one times this, the encoder's
     *                                  that times {@code encoderLearningRateFactor}
     * @param encoderLearningRateFactor in (0, 1]
     */
    public static ComputationGraph unfreeze(UNet unet, ComputationGraph trained, double learningRateFactor,
                                            double encoderLearningRateFactor) {
        requireFactor("learningRateFactor", learningRateFactor);
        requireFactor("encoderLearningRateFactor", encoderLearningRateFactor);
        return unfreeze(unet, trained, learningRateFactor, vertex -> encoderLearningRateFactor);
    }

    /**
     * As {@link #unfreeze(UNet, ComputationGraph, double, double)} with fastai's two rate groups in the encoder, as
     * its {@code fine_tune} sets them with {@code slice(lr / 100, lr)} over a ResNet U-Net's three groups (early
     * encoder, late encoder, the rest): the late encoder at {@code encoderLearningRateFactor} times the decoder's
     * rate, the early one ({@link #earlyEncoderVertices}) at its square (0.1 and 0.01: fastai's lr/10 and lr/100).
     */
    public static ComputationGraph unfreezeInRateGroups(UNet unet, ComputationGraph trained,
                                                        double learningRateFactor, double encoderLearningRateFactor) {
        requireFactor("learningRateFactor", learningRateFactor);
        requireFactor("encoderLearningRateFactor", encoderLearningRateFactor);
        Set<String> early = earlyEncoderVertices(unet.config());
        return unfreeze(unet, trained, learningRateFactor, vertex -> early.contains(vertex)
                ? encoderLearningRateFactor * encoderLearningRateFactor : encoderLearningRateFactor);
    }

    /**
     * The encoder's early rate group: its vertices up to and including its third skip tap (the last one for an
     * encoder of fewer), and every vertex that tap depends on. For ResNet50 that is the stem, layer1 and layer2 (up
     * to the /8 skip {@code res3d_branch}), fastai's split of a ResNet body; for VGG16 blocks 1 to 3, its split of a
     * VGG body.
     */
    public static Set<String> earlyEncoderVertices(UNetConfig config) {
        UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(config);
        List<SkipTap> skips = blueprint.encoderSpec().skips();
        String lastEarly = skips.get(Math.min(EARLY_SKIPS, skips.size()) - 1).vertexName();
        Map<String, List<String>> inputs = blueprint.configuration().getVertexInputs();
        Set<String> early = new TreeSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(lastEarly));
        while (!pending.isEmpty()) {
            String vertex = pending.pop();
            if (blueprint.encoderVertices().contains(vertex) && early.add(vertex)) {
                pending.addAll(inputs.getOrDefault(vertex, List.of()));
            }
        }
        return early;
    }

    /** A graph of {@code unet}'s configuration, every layer trainable, its rates scaled by vertex. */
    private static ComputationGraph unfreeze(UNet unet, ComputationGraph trained, double learningRateFactor,
                                             ToDoubleFunction<String> encoderFactor) {
        // From the configuration, not unet.graph(): the graph may be a frozen one with FrozenLayer wrappers.
        UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(unet.config());
        ComputationGraphConfiguration configuration = blueprint.configuration();
        Set<String> encoder = blueprint.encoderVertices();
        configuration.getVertices().forEach((name, vertex) -> {
            double factor = learningRateFactor * (encoder.contains(name) ? encoderFactor.applyAsDouble(name) : 1.0);
            if (factor != 1.0 && vertex instanceof LayerVertex layerVertex) {
                scaleRates(layerVertex.getLayerConf().getLayer(), factor);
            }
        });
        return withParametersOf(trained, configuration);
    }

    /** A graph of {@code configuration} with the parameters of {@code trained}, a graph of the same U-Net. */
    private static ComputationGraph withParametersOf(ComputationGraph trained,
                                                     ComputationGraphConfiguration configuration) {
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init();
        Set<String> layers = Arrays.stream(graph.getLayers())
                .map(layer -> layer.conf().getLayer().getLayerName()).collect(Collectors.toSet());
        try {
            PretrainedWeights.copyParameters(trained, graph, layers);
        } catch (IOException wrongGraph) {
            graph.close(); // native memory that nobody else holds
            throw new UncheckedIOException("the trained graph is not a graph of this U-Net: "
                    + wrongGraph.getMessage(), wrongGraph);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
        return graph;
    }

    /**
     * The U-Net (frozen or not) with every layer trainable, its current parameters, and the encoder's learning rate
     * {@code encoderLearningRateFactor} times the decoder's: fastai's unfreeze.
     */
    public static UNet unfreeze(UNet unet, double encoderLearningRateFactor) {
        return unet.withGraph(unfreeze(unet, unet.graph(), encoderLearningRateFactor));
    }

    /**
     * The U-Net (frozen or not) with every layer trainable, its current parameters, every rate times
     * {@code learningRateFactor} and the encoder's also times {@code encoderLearningRateFactor}: the second stage
     * of fastai's {@code fine_tune}.
     */
    public static UNet unfreeze(UNet unet, double learningRateFactor, double encoderLearningRateFactor) {
        return unet.withGraph(unfreeze(unet, unet.graph(), learningRateFactor, encoderLearningRateFactor));
    }

    /** The same U-Net with the encoder's learning rate scaled, nothing frozen: {@code unfreeze} of itself. */
    public static UNet withEncoderLearningRate(UNet unet, double encoderLearningRateFactor) {
        return unfreeze(unet, encoderLearningRateFactor);
    }

    private static String bottleneck(UNet unet) {
        return UNetGraphFactory.create(unet.config()).encoderSpec().bottleneck().vertexName();
    }

    private static void requireFactor(String name, double factor) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1] but was " + factor);
        }
    }

    /**
     * Scales the rates of a layer's updaters, DL4J's built-in layers and SameDiff layers alike; a layer without an
     * updater, or with one without a rate (no parameters, or {@code NoOp}), has no rate to scale.
     */
    private static void scaleRates(Layer layer, double factor) {
        if (layer instanceof BaseLayer base) {
            base.setIUpdater(scaled(base.getIUpdater(), factor));
            base.setBiasUpdater(scaled(base.getBiasUpdater(), factor));
        } else if (layer instanceof AbstractSameDiffLayer sameDiff) {
            sameDiff.setUpdater(scaled(sameDiff.getUpdater(), factor));
            sameDiff.setBiasUpdater(scaled(sameDiff.getBiasUpdater(), factor));
        }
    }

    private static IUpdater scaled(IUpdater updater, double factor) {
        if (updater == null || !updater.hasLearningRate()) {
            return updater;
        }
        IUpdater copy = updater.clone();
        copy.setLrAndSchedule(updater.getLearningRate(0, 0) * factor, null);
        return copy;
    }
}
