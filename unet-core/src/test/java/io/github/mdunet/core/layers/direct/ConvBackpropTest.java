package io.github.mdunet.core.layers.direct;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The convolution's backward paths against libnd4j's {@code conv2d_bp} on the same arrays (itself checked against
 * DL4J's stock layers and finite differences through {@code ConvNormActivation}), and which path a convolution takes.
 */
class ConvBackpropTest {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    private static ConvGeometry geometry(int kernel, int stride, int dilation, ConvolutionMode mode) {
        return ConvGeometry.of(Nd4j.create(DataType.FLOAT, 1, 2, 12, 12), new int[] {kernel, kernel},
                new int[] {stride, stride}, new int[] {kernel / 2, kernel / 2}, new int[] {dilation, dilation}, mode);
    }

    @Test
    void wideKernelsOnTheCpuAreTimedAgainstTheSplitPathAndFrozenOnesAgainstTheInputGradientAlone() {
        ConvGeometry threeByThree = geometry(3, 1, 1, ConvolutionMode.Same);
        long wide = 128L * 128 * 9;
        assertThat(wide).isGreaterThanOrEqualTo(ConvBackprop.MEASURED_MIN_WEIGHTS);
        List<ConvBackprop> split = List.of(ConvBackprop.COMBINED, ConvBackprop.SPLIT, ConvBackprop.GEMM);
        List<ConvBackprop> inputOnly = List.of(ConvBackprop.COMBINED, ConvBackprop.INPUT_ONLY);
        List<ConvBackprop> combined = List.of(ConvBackprop.COMBINED);
        assertThat(ConvBackprop.candidates(threeByThree, wide, DataType.FLOAT, false, true)).isEqualTo(split);
        assertThat(ConvBackprop.candidates(geometry(5, 1, 1, ConvolutionMode.Truncate), wide, DataType.DOUBLE, false,
                true)).isEqualTo(split);
        assertThat(ConvBackprop.candidates(threeByThree, 96L * 96 * 9, DataType.FLOAT, false, true))
                .as("below the threshold").isEqualTo(combined);
        assertThat(ConvBackprop.candidates(threeByThree, 96L * 96 * 9, DataType.FLOAT, true, true))
                .as("frozen, below the threshold").isEqualTo(combined);
        assertThat(ConvBackprop.candidates(geometry(1, 1, 1, ConvolutionMode.Same), 2048L * 2048, DataType.FLOAT,
                false, true)).as("1 x 1").isEqualTo(combined);
        assertThat(ConvBackprop.candidates(threeByThree, wide, DataType.FLOAT, true, true)).as("frozen")
                .isEqualTo(inputOnly);
        assertThat(ConvBackprop.candidates(geometry(1, 1, 1, ConvolutionMode.Same), 2048L * 2048, DataType.FLOAT,
                true, true)).as("frozen 1 x 1").isEqualTo(inputOnly);
        for (boolean frozen : new boolean[] {false, true}) {
            assertThat(ConvBackprop.candidates(geometry(3, 2, 1, ConvolutionMode.Same), wide, DataType.FLOAT, frozen,
                    true)).as("stride 2, frozen=%s", frozen).isEqualTo(combined);
            assertThat(ConvBackprop.candidates(geometry(3, 1, 2, ConvolutionMode.Same), wide, DataType.FLOAT, frozen,
                    true)).as("dilation 2, frozen=%s", frozen).isEqualTo(combined);
            assertThat(ConvBackprop.candidates(geometry(2, 1, 1, ConvolutionMode.Same), wide, DataType.FLOAT, frozen,
                    true)).as("even kernel, frozen=%s", frozen).isEqualTo(combined);
            assertThat(ConvBackprop.candidates(threeByThree, wide, DataType.HALF, frozen, true)).as("HALF")
                    .isEqualTo(combined);
            assertThat(ConvBackprop.candidates(threeByThree, wide, DataType.FLOAT, frozen, false)).as("CUDA")
                    .isEqualTo(combined);
        }
    }

    /**
     * The split and GEMM paths' three gradients and the input-only path's one equal {@code conv2d_bp}'s, on inputs and
     * output gradients that are strided views (a concatenation's part) and a weight gradient that is a view into a flat
     * gradient vector (as the layer's are); the input-only path leaves the weight and bias gradients alone. Truncate
     * without padding shrinks the map (the transposed convolution grows it back); a 1 x 1 map under a 3 x 3 kernel is
     * all padding but its centre.
     */
    @ParameterizedTest(name = "{0} {1} kernel={2}x{3} bias={4} padded={5} {6}x{7}")
    @CsvSource({"FLOAT, Same, 3, 3, true, true, 7, 6", "FLOAT, Truncate, 5, 3, false, true, 7, 6",
            "DOUBLE, Same, 3, 5, false, true, 7, 6", "DOUBLE, Truncate, 3, 3, true, true, 7, 6",
            "FLOAT, Truncate, 3, 3, true, false, 7, 6", "DOUBLE, Truncate, 3, 5, false, false, 6, 7",
            "FLOAT, Same, 3, 3, true, true, 1, 1", "DOUBLE, Truncate, 3, 3, false, true, 1, 1"})
    void eachPathGivesConv2dBpsGradients(DataType dataType, ConvolutionMode mode, int kernelHeight, int kernelWidth,
                                         boolean hasBias, boolean padded, int height, int width) {
        Nd4j.getRandom().setSeed(3);
        int batch = 3;
        int in = 5;
        int out = 4;
        INDArray input = Nd4j.randn(dataType, batch, in + 2, height, width).get(NDArrayIndex.all(),
                NDArrayIndex.interval(1, in + 1), NDArrayIndex.all(), NDArrayIndex.all());
        int[] padding = padded ? new int[] {kernelHeight / 2, kernelWidth / 2} : new int[] {0, 0};
        ConvGeometry geometry = ConvGeometry.of(input, new int[] {kernelHeight, kernelWidth}, new int[] {1, 1},
                padding, new int[] {1, 1}, mode);
        assertThat(geometry.transposeKeepsInputSize()).isTrue();
        INDArray weights = Nd4j.randn(dataType, out, in, kernelHeight, kernelWidth);
        INDArray bias = hasBias ? Nd4j.randn(dataType, out) : null;
        INDArray outputGradient = Nd4j.randn(dataType, geometry.outputShape(batch, out + 3)).get(NDArrayIndex.all(),
                NDArrayIndex.interval(2, out + 2), NDArrayIndex.all(), NDArrayIndex.all());

        ConvBackprop.Operands operands = new ConvBackprop.Operands(input, weights, bias, outputGradient, geometry);
        ConvBackprop.Gradients expected = gradients(dataType, input.shape(), weights.shape(), hasBias);
        assertThat(ConvBackprop.COMBINED.run(operands, expected, scratch())).isTrue();
        double tolerance = dataType == DataType.FLOAT ? 1e-5 : 1e-12;
        double scale = expected.weights().amaxNumber().doubleValue();

        for (ConvBackprop path : List.of(ConvBackprop.SPLIT, ConvBackprop.GEMM)) {
            ConvBackprop.Gradients actual = gradients(dataType, input.shape(), weights.shape(), hasBias);
            actual.input().assign(7);
            assertThat(path.run(operands, actual, scratch())).isTrue();
            assertThat(maxDifference(actual.input(), expected.input()) / expected.input().amaxNumber().doubleValue())
                    .as("%s input gradient", path).isLessThan(tolerance);
            assertThat(maxDifference(actual.weights(), expected.weights()) / scale).as("%s weight gradient", path)
                    .isLessThan(tolerance);
            if (hasBias) {
                assertThat(maxDifference(actual.bias(), expected.bias()) / expected.bias().amaxNumber().doubleValue())
                        .as("%s bias gradient", path).isLessThan(tolerance);
            }
        }

        ConvBackprop.Gradients inputOnly = gradients(dataType, input.shape(), weights.shape(), hasBias);
        inputOnly.weights().assign(7);
        assertThat(ConvBackprop.INPUT_ONLY.run(operands, inputOnly, scratch())).as("weights written").isFalse();
        assertThat(maxDifference(inputOnly.input(), expected.input()) / expected.input().amaxNumber().doubleValue())
                .isLessThan(tolerance);
        assertThat(inputOnly.weights().minNumber().doubleValue()).isEqualTo(7.0);
        assertThat(inputOnly.weights().maxNumber().doubleValue()).isEqualTo(7.0);
    }

    @Test
    void eachWayAppliesWhereItsGradientsAreTheConvolutions() {
        ConvGeometry threeByThree = geometry(3, 1, 1, ConvolutionMode.Same);
        for (ConvBackprop way : ConvBackprop.values()) {
            assertThat(way.appliesTo(threeByThree, DataType.FLOAT, true)).as("%s frozen", way).isTrue();
            assertThat(way.appliesTo(threeByThree, DataType.DOUBLE, false)).as("%s", way)
                    .isEqualTo(way != ConvBackprop.INPUT_ONLY);
            for (ConvGeometry notTransposable : List.of(geometry(3, 2, 1, ConvolutionMode.Same),
                    geometry(3, 1, 2, ConvolutionMode.Same), geometry(2, 1, 1, ConvolutionMode.Same))) {
                assertThat(way.appliesTo(notTransposable, DataType.FLOAT, true)).as("%s %s", way, notTransposable)
                        .isEqualTo(way == ConvBackprop.COMBINED);
            }
            assertThat(way.appliesTo(threeByThree, DataType.HALF, true)).as("%s HALF", way)
                    .isEqualTo(way == ConvBackprop.COMBINED);
            assertThat(way.usesPatches()).as("%s patches", way)
                    .isEqualTo(way == ConvBackprop.SPLIT || way == ConvBackprop.GEMM);
        }
    }

    /** The SGEMM ways share one patch buffer per backward pass, of one image's patches. */
    @Test
    void theWaysOfOnePassShareOnePatchBuffer() {
        INDArray input = Nd4j.randn(DataType.FLOAT, 2, 3, 6, 5);
        ConvGeometry geometry = ConvGeometry.of(input, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, ConvolutionMode.Same);
        ConvBackprop.Operands operands = new ConvBackprop.Operands(input, Nd4j.randn(DataType.FLOAT, 4, 3, 3, 3),
                null, Nd4j.randn(DataType.FLOAT, geometry.outputShape(2, 4)), geometry);
        ConvBackprop.Scratch scratch = scratch();
        INDArray patches = scratch.patches(operands);
        assertThat(patches.shape()).containsExactly(1, 3, 3, 3, 6, 5);
        assertThat(ConvBackprop.patchShape(3, 3, 3, geometry)).containsExactly(1, 3, 3, 3, 6, 5);
        assertThat(scratch.patches(operands)).isSameAs(patches);
        assertThat(scratch().patches(operands)).isNotSameAs(patches);
    }

    @Test
    void aWeightGradientThatIsNotContiguousGetsTheSameValues() {
        Nd4j.getRandom().setSeed(4);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 2, 2, 5, 5);
        ConvGeometry geometry = ConvGeometry.of(input, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, ConvolutionMode.Same);
        INDArray weights = Nd4j.randn(DataType.DOUBLE, 3, 2, 3, 3);
        INDArray outputGradient = Nd4j.randn(DataType.DOUBLE, 2, 3, 5, 5);
        ConvBackprop.Operands operands = new ConvBackprop.Operands(input, weights, null, outputGradient, geometry);
        INDArray expected = Nd4j.create(DataType.DOUBLE, 3, 2, 3, 3);
        ConvBackprop.COMBINED.run(operands, new ConvBackprop.Gradients(Nd4j.create(DataType.DOUBLE, 2, 2, 5, 5),
                expected, null), scratch());
        INDArray permuted = Nd4j.create(DataType.DOUBLE, 2, 3, 3, 3).permute(1, 0, 2, 3);
        ConvBackprop.SPLIT.run(operands, new ConvBackprop.Gradients(Nd4j.create(DataType.DOUBLE, 2, 2, 5, 5),
                permuted, null), scratch());
        assertThat(maxDifference(permuted, expected)).isLessThan(1e-12);
    }

    private static double maxDifference(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    private static ConvBackprop.Scratch scratch() {
        return new ConvBackprop.Scratch(NO_WORKSPACES);
    }

    /** Gradient arrays, the weights' a view inside a longer flat vector as the layer's gradient views are. */
    static ConvBackprop.Gradients gradients(DataType dataType, long[] inputShape, long[] weightShape,
                                            boolean hasBias) {
        long length = 1;
        for (long side : weightShape) {
            length *= side;
        }
        INDArray flat = Nd4j.create(dataType, 1, length + 5);
        INDArray weights = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(5, length + 5))
                .reshape('c', weightShape);
        weights.assign(1);
        assertThat(flat.sumNumber().doubleValue()).as("the weight gradient is a view of the flat vector")
                .isEqualTo((double) length);
        weights.assign(0);
        return new ConvBackprop.Gradients(Nd4j.create(dataType, inputShape), weights,
                hasBias ? Nd4j.create(dataType, weightShape[0]) : null);
    }
}
