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
     * gradient vector (as the layer's are); the input-only path leaves the weight and bias gradients alone.
     */
    @ParameterizedTest(name = "{0} {1} kernel={2}x{3} bias={4}")
    @CsvSource({"FLOAT, Same, 3, 3, true", "FLOAT, Truncate, 5, 3, false", "DOUBLE, Same, 3, 5, false",
            "DOUBLE, Truncate, 3, 3, true"})
    void eachPathGivesConv2dBpsGradients(DataType dataType, ConvolutionMode mode, int kernelHeight, int kernelWidth,
                                         boolean hasBias) {
        Nd4j.getRandom().setSeed(3);
        int batch = 3;
        int in = 5;
        int out = 4;
        INDArray input = Nd4j.randn(dataType, batch, in + 2, 7, 6).get(NDArrayIndex.all(),
                NDArrayIndex.interval(1, in + 1), NDArrayIndex.all(), NDArrayIndex.all());
        ConvGeometry geometry = ConvGeometry.of(input, new int[] {kernelHeight, kernelWidth}, new int[] {1, 1},
                new int[] {kernelHeight / 2, kernelWidth / 2}, new int[] {1, 1}, mode);
        assertThat(geometry.transposeKeepsInputSize()).isTrue();
        INDArray weights = Nd4j.randn(dataType, out, in, kernelHeight, kernelWidth);
        INDArray bias = hasBias ? Nd4j.randn(dataType, out) : null;
        INDArray outputGradient = Nd4j.randn(dataType, geometry.outputShape(batch, out + 3)).get(NDArrayIndex.all(),
                NDArrayIndex.interval(2, out + 2), NDArrayIndex.all(), NDArrayIndex.all());

        Gradients expected = new Gradients(dataType, input.shape(), weights.shape(), hasBias);
        ConvBackprop.COMBINED.run(input, weights, bias, outputGradient, geometry, expected.input, expected.weights,
                expected.bias, NO_WORKSPACES);
        double tolerance = dataType == DataType.FLOAT ? 1e-5 : 1e-12;
        double scale = expected.weights.amaxNumber().doubleValue();

        for (ConvBackprop path : List.of(ConvBackprop.SPLIT, ConvBackprop.GEMM)) {
            Gradients actual = new Gradients(dataType, input.shape(), weights.shape(), hasBias);
            actual.input.assign(7);
            path.run(input, weights, bias, outputGradient, geometry, actual.input, actual.weights, actual.bias,
                    NO_WORKSPACES);
            assertThat(maxDifference(actual.input, expected.input) / expected.input.amaxNumber().doubleValue())
                    .as("%s input gradient", path).isLessThan(tolerance);
            assertThat(maxDifference(actual.weights, expected.weights) / scale).as("%s weight gradient", path)
                    .isLessThan(tolerance);
            if (hasBias) {
                assertThat(maxDifference(actual.bias, expected.bias) / expected.bias.amaxNumber().doubleValue())
                        .as("%s bias gradient", path).isLessThan(tolerance);
            }
        }

        Gradients inputOnly = new Gradients(dataType, input.shape(), weights.shape(), hasBias);
        inputOnly.weights.assign(7);
        ConvBackprop.INPUT_ONLY.run(input, weights, bias, outputGradient, geometry, inputOnly.input,
                inputOnly.weights, inputOnly.bias, NO_WORKSPACES);
        assertThat(maxDifference(inputOnly.input, expected.input) / expected.input.amaxNumber().doubleValue())
                .isLessThan(tolerance);
        assertThat(inputOnly.weights.minNumber().doubleValue()).isEqualTo(7.0);
        assertThat(inputOnly.weights.maxNumber().doubleValue()).isEqualTo(7.0);
    }

    @Test
    void aWeightGradientThatIsNotContiguousGetsTheSameValues() {
        Nd4j.getRandom().setSeed(4);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 2, 2, 5, 5);
        ConvGeometry geometry = ConvGeometry.of(input, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, ConvolutionMode.Same);
        INDArray weights = Nd4j.randn(DataType.DOUBLE, 3, 2, 3, 3);
        INDArray outputGradient = Nd4j.randn(DataType.DOUBLE, 2, 3, 5, 5);
        INDArray expected = Nd4j.create(DataType.DOUBLE, 3, 2, 3, 3);
        ConvBackprop.COMBINED.run(input, weights, null, outputGradient, geometry,
                Nd4j.create(DataType.DOUBLE, 2, 2, 5, 5), expected, null, NO_WORKSPACES);
        INDArray permuted = Nd4j.create(DataType.DOUBLE, 2, 3, 3, 3).permute(1, 0, 2, 3);
        ConvBackprop.SPLIT.run(input, weights, null, outputGradient, geometry,
                Nd4j.create(DataType.DOUBLE, 2, 2, 5, 5), permuted, null, NO_WORKSPACES);
        assertThat(maxDifference(permuted, expected)).isLessThan(1e-12);
    }

    private static double maxDifference(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    /** Gradient arrays, the weights' a view inside a longer flat vector as the layer's gradient views are. */
    private static final class Gradients {
        final INDArray input;
        final INDArray weights;
        final INDArray bias;

        Gradients(DataType dataType, long[] inputShape, long[] weightShape, boolean hasBias) {
            input = Nd4j.create(dataType, inputShape);
            long length = 1;
            for (long side : weightShape) {
                length *= side;
            }
            INDArray flat = Nd4j.create(dataType, 1, length + 5);
            weights = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(5, length + 5)).reshape('c', weightShape);
            weights.assign(1);
            assertThat(flat.sumNumber().doubleValue()).as("the weight gradient is a view of the flat vector")
                    .isEqualTo((double) length);
            weights.assign(0);
            bias = hasBias ? Nd4j.create(dataType, weightShape[0]) : null;
        }
    }
}
