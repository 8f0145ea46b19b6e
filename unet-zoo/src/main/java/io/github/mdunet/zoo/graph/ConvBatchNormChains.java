package io.github.mdunet.zoo.graph;

import io.github.mdunet.core.layers.direct.ConvNormActivation;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * Finds the {@code ConvolutionLayer -> BatchNormalization [-> ActivationLayer]} chains of a graph that one
 * {@link ConvNormActivation} can replace, and builds that layer: the way zoo encoders get the fused blocks.
 *
 * <p>A chain qualifies when the convolution is a plain {@code ConvolutionLayer} (not one of its subclasses) in NCHW
 * with the identity activation; the batch norm is NCHW with learned gamma and beta; its only reader is the
 * convolution, and the activation's (if any) only reader is the batch norm; the activation is one the fused layer
 * computes (identity, ReLU, leaky ReLU); and no intermediate vertex (the convolution, or the batch norm when an
 * activation follows) has another reader or is to stay visible (a skip tap). The fused vertex takes the name of the
 * chain's last vertex, so every reader of the chain and every tap on it still finds it by name.
 */
public final class ConvBatchNormChains {

    /**
     * One replaceable chain.
     *
     * @param convolution the convolution's vertex name
     * @param batchNorm   the batch norm's vertex name
     * @param activation  the activation layer's vertex name, or null when the chain ends at the batch norm
     */
    public record Chain(String convolution, String batchNorm, String activation) {

        /** The fused vertex's name: the chain's last vertex's. */
        public String fusedName() {
            return activation == null ? batchNorm : activation;
        }
    }

    private ConvBatchNormChains() {
    }

    /**
     * The replaceable chains among {@code vertices} (a set of vertex names of {@code source}, e.g. the ancestors of
     * the encoder's taps), keyed by their fused name.
     *
     * @param visible vertex names that must stay in the graph (taps, the bottleneck): never swallowed into a chain
     */
    public static Map<String, Chain> find(GraphSource source, Collection<String> vertices, Set<String> visible) {
        Map<String, List<String>> readers = source.readers();
        Map<String, Chain> chains = new java.util.LinkedHashMap<>();
        for (String name : vertices) {
            Optional<ConvolutionLayer> convolution = layer(source, name, ConvolutionLayer.class)
                    .filter(ConvBatchNormChains::isFusableConvolution);
            List<String> convolutionReaders = readers.getOrDefault(name, List.of());
            if (convolution.isEmpty() || visible.contains(name) || convolutionReaders.size() != 1) {
                continue;
            }
            String batchNorm = convolutionReaders.get(0);
            if (layer(source, batchNorm, BatchNormalization.class).filter(ConvBatchNormChains::isFusableBatchNorm)
                    .isEmpty() || !vertices.contains(batchNorm)) {
                continue;
            }
            List<String> batchNormReaders = readers.getOrDefault(batchNorm, List.of());
            String activation = null;
            if (batchNormReaders.size() == 1 && !visible.contains(batchNorm)
                    && vertices.contains(batchNormReaders.get(0))) {
                String candidate = batchNormReaders.get(0);
                if (layer(source, candidate, ActivationLayer.class)
                        .filter(a -> ConvNormActivation.supportsActivation(a.getActivationFn())).isPresent()) {
                    activation = candidate;
                }
            }
            Chain chain = new Chain(name, batchNorm, activation);
            chains.put(chain.fusedName(), chain);
        }
        return chains;
    }

    /**
     * The fused layer computing {@code chain}: the convolution's geometry (as {@code adjusted}, the copied and
     * adapted convolution), the batch norm's eps and decay, the activation layer's function; no bias (a convolution
     * bias before batch norm only shifts the running mean, see {@code PretrainedWeights}).
     */
    public static ConvNormActivation fusedLayer(Chain chain, GraphSource source, ConvolutionLayer adjusted) {
        BatchNormalization batchNorm = layer(source, chain.batchNorm(), BatchNormalization.class).orElseThrow();
        IActivation activation = chain.activation() == null ? new ActivationIdentity()
                : layer(source, chain.activation(), ActivationLayer.class).orElseThrow().getActivationFn();
        int[] kernel = adjusted.getKernelSize();
        int[] stride = adjusted.getStride();
        int[] padding = adjusted.getPadding();
        int[] dilation = adjusted.getDilation();
        ConvNormActivation fused = ConvNormActivation.builder()
                .name(chain.fusedName())
                .nIn(adjusted.getNIn())
                .nOut(adjusted.getNOut())
                .kernelSize(kernel[0], kernel[1])
                .stride(stride[0], stride[1])
                .padding(padding[0], padding[1])
                .dilation(dilation[0], dilation[1])
                .convolutionMode(adjusted.getConvolutionMode())
                .hasBias(false)
                .batchNorm(true)
                .eps(batchNorm.getEps())
                .decay(batchNorm.getDecay())
                .activation(activation)
                .build();
        fused.setWeightInitFn(adjusted.getWeightInitFn());
        fused.setIUpdater(adjusted.getIUpdater());
        fused.setBiasUpdater(adjusted.getBiasUpdater());
        fused.setRegularization(adjusted.getRegularization());
        fused.setRegularizationBias(adjusted.getRegularizationBias());
        return fused;
    }

    private static boolean isFusableConvolution(ConvolutionLayer convolution) {
        return convolution.getClass() == ConvolutionLayer.class
                && convolution.getCnn2dDataFormat() != CNN2DFormat.NHWC
                && convolution.getActivationFn() instanceof ActivationIdentity
                && convolution.getConvolutionMode() != org.deeplearning4j.nn.conf.ConvolutionMode.Causal
                && convolution.getIDropout() == null && convolution.getWeightNoise() == null;
    }

    private static boolean isFusableBatchNorm(BatchNormalization batchNorm) {
        return !batchNorm.isLockGammaBeta() && batchNorm.getCnn2DFormat() != CNN2DFormat.NHWC
                && batchNorm.getIDropout() == null;
    }

    private static <T extends Layer> Optional<T> layer(GraphSource source, String vertex, Class<T> type) {
        GraphVertex graphVertex = source.vertices().get(vertex);
        if (graphVertex instanceof LayerVertex layerVertex && type.isInstance(layerVertex.getLayerConf().getLayer())
                && layerVertex.getPreProcessor() == null) {
            return Optional.of(type.cast(layerVertex.getLayerConf().getLayer()));
        }
        return Optional.empty();
    }
}
