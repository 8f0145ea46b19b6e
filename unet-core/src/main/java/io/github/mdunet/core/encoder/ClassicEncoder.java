package io.github.mdunet.core.encoder;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ConvBlocks;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.blocks.VertexNames.Part;
import io.github.mdunet.core.checks.Checks;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * The encoder of Ronneberger et al.'s U-Net: {@code depth} stages of two 3x3 conv-norm-ReLU layers, each followed
 * by a 2x2 max-pool, then a bottleneck of two more conv-norm-ReLU layers. Stage {@code i} (from 0) has
 * {@code baseWidth * 2^i} channels and is tapped as a skip at stride {@code 2^i}; the bottleneck has
 * {@code baseWidth * 2^depth} channels at stride {@code 2^depth}. Any input channel count.
 *
 * @param depth         number of pooling stages, 1 to 8 (the original U-Net: 4)
 * @param baseWidth     channels of the first stage (the original U-Net: 64)
 * @param normalization normalisation after each convolution
 */
public record ClassicEncoder(int depth, int baseWidth, Normalization normalization) implements Encoder {

    public static final int MAX_DEPTH = 8;

    public ClassicEncoder {
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("ClassicEncoder.depth must be in [1, " + MAX_DEPTH + "] but was "
                    + depth);
        }
        Checks.atLeast("ClassicEncoder.baseWidth", baseWidth, 1);
        Checks.requireSet("ClassicEncoder.normalization", normalization, Normalization.class);
    }

    /** The encoder with DL4J's built-in layers ({@link BlockLayers#STOCK}), as before the fused blocks existed. */
    @Override
    public EncoderSpec addTo(GraphBuilder graph, String inputVertex, ImageShape input) {
        return addTo(graph, inputVertex, input, BlockLayers.STOCK);
    }

    @Override
    public EncoderSpec addTo(GraphBuilder graph, String inputVertex, ImageShape input, BlockLayers layers) {
        ConvBlocks blocks = new ConvBlocks(normalization, layers);
        List<SkipTap> skips = new ArrayList<>(depth);
        String previous = inputVertex;
        for (int stage = 0; stage < depth; stage++) {
            int width = baseWidth << stage;
            String prefix = VertexNames.classicEncoderStage(stage);
            String features = twoConvs(graph, blocks, prefix, previous, width);
            skips.add(new SkipTap(features, width, 1 << stage));
            previous = VertexNames.part(prefix, Part.POOL);
            graph.addLayer(previous, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(2, 2)
                    .stride(2, 2)
                    .convolutionMode(ConvolutionMode.Truncate)
                    .build(), features);
        }
        int bottleneckWidth = baseWidth << depth;
        String bottleneck = twoConvs(graph, blocks, VertexNames.classicEncoderBottleneck(), previous, bottleneckWidth);
        return new EncoderSpec(skips, new SkipTap(bottleneck, bottleneckWidth, 1 << depth));
    }

    private static String twoConvs(GraphBuilder graph, ConvBlocks blocks, String prefix, String input, int width) {
        String first = blocks.convNormAct(graph, VertexNames.classicConv(prefix, 'a'), input, width, 3,
                Activation.RELU);
        return blocks.convNormAct(graph, VertexNames.classicConv(prefix, 'b'), first, width, 3, Activation.RELU);
    }
}
