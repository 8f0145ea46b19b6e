package io.github.mdunet.core.layers.direct;

import static io.github.mdunet.core.layers.LayerTestSupport.maxAbsDifference;
import static io.github.mdunet.core.layers.LayerTestSupport.relativeMaxDifference;
import static io.github.mdunet.core.layers.direct.ConvWorkspace.UNLIMITED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
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
 * The convolution's forward and backward ways against libnd4j's {@code conv2d} and {@code conv2d_bp} on the same
 * arrays (themselves checked against DL4J's stock layers and finite differences through {@code ConvNormActivation}),
 * and which ways a convolution times.
 */
class ConvBackpropTest {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    private static ConvGeometry geometry(int kernel, int stride, int dilation, ConvolutionMode mode) {
        return ConvGeometry.of(Nd4j.create(DataType.FLOAT, 1, 2, 12, 12), new int[] {kernel, kernel},
                new int[] {stride, stride}, new int[] {kernel / 2, kernel / 2}, new int[] {dilation, dilation}, mode);
    }

    @Test
    void wideKernelsAndLargeMatrixProductsOnTheCpuAreTimed() {
        ConvGeometry threeByThree = geometry(3, 1, 1, ConvolutionMode.Same);
        long wide = 128L * 128 * 9;
        assertThat(wide).isGreaterThanOrEqualTo(ConvBackprop.MEASURED_MIN_WEIGHTS);
        List<ConvBackprop> timed = List.of(ConvBackprop.COMBINED, ConvBackprop.GEMM);
        List<ConvBackprop> combined = List.of(ConvBackprop.COMBINED);
        assertThat(ConvBackprop.candidates(threeByThree, wide, DataType.FLOAT, true, UNLIMITED, false))
                .isEqualTo(timed);
        ConvGeometry fiveByFive = geometry(5, 1, 1, ConvolutionMode.Truncate);
        assertThat(ConvBackprop.candidates(fiveByFive, wide, DataType.DOUBLE, true, UNLIMITED, false)).isEqualTo(timed);
        assertThat(ConvBackprop.candidates(threeByThree, 96L * 96 * 9, DataType.FLOAT, true, UNLIMITED, false))
                .as("below the threshold").isEqualTo(combined);

        // 1 x 1 on the 12 x 12 map: 144 pixels, so 2^24 multiply-adds from 116,509 weights
        ConvGeometry pointwise = geometry(1, 1, 1, ConvolutionMode.Same);
        assertThat(pointwise.matrixProduct()).isTrue();
        long enough = 512L * 256;
        assertThat(pointwise.multiplyAddsPerImage(enough)).isGreaterThanOrEqualTo(
                ConvForward.MEASURED_MIN_POINTWISE_WORK);
        assertThat(pointwise.multiplyAddsPerImage(256L * 256)).isLessThan(ConvForward.MEASURED_MIN_POINTWISE_WORK);
        assertThat(ConvBackprop.candidates(pointwise, enough, DataType.FLOAT, true, UNLIMITED, false))
                .isEqualTo(List.of(ConvBackprop.COMBINED, ConvBackprop.POINTWISE));
        assertThat(ConvForward.candidates(pointwise, enough, DataType.DOUBLE, true, UNLIMITED, false))
                .isEqualTo(List.of(ConvForward.CONV2D, ConvForward.POINTWISE));
        assertThat(ConvBackprop.candidates(pointwise, 256L * 256, DataType.FLOAT, true, UNLIMITED, false))
                .as("small 1 x 1").isEqualTo(combined);
        assertThat(ConvForward.candidates(pointwise, 256L * 256, DataType.FLOAT, true, UNLIMITED, false))
                .as("small 1 x 1").isEqualTo(List.of(ConvForward.CONV2D));
        assertThat(ConvForward.candidates(threeByThree, wide, DataType.FLOAT, true, UNLIMITED, false))
                .as("3 x 3 forward").isEqualTo(List.of(ConvForward.CONV2D));

        ConvGeometry stridedPointwise = geometry(1, 2, 1, ConvolutionMode.Same);
        assertThat(stridedPointwise.matrixProduct()).isFalse();
        assertThat(ConvBackprop.candidates(stridedPointwise, 2048L * 2048, DataType.FLOAT, true, UNLIMITED, false))
                .isEqualTo(combined);
        assertThat(ConvForward.candidates(stridedPointwise, 2048L * 2048, DataType.FLOAT, true, UNLIMITED, false))
                .isEqualTo(List.of(ConvForward.CONV2D));
        ConvGeometry strided = geometry(3, 2, 1, ConvolutionMode.Same);
        assertThat(ConvBackprop.candidates(strided, wide, DataType.FLOAT, true, UNLIMITED, false))
                .as("stride 2").isEqualTo(combined);
        ConvGeometry dilated = geometry(3, 1, 2, ConvolutionMode.Same);
        assertThat(ConvBackprop.candidates(dilated, wide, DataType.FLOAT, true, UNLIMITED, false))
                .as("dilation 2").isEqualTo(combined);
        ConvGeometry even = geometry(2, 1, 1, ConvolutionMode.Same);
        assertThat(ConvBackprop.candidates(even, wide, DataType.FLOAT, true, UNLIMITED, false))
                .as("even kernel").isEqualTo(combined);
        for (ConvGeometry geometry : List.of(threeByThree, pointwise)) {
            assertThat(ConvBackprop.candidates(geometry, 2048L * 2048, DataType.HALF, true, UNLIMITED, false))
                    .as("HALF").isEqualTo(combined);
            assertThat(ConvBackprop.candidates(geometry, 2048L * 2048, DataType.FLOAT, false, UNLIMITED, false))
                    .as("CUDA").isEqualTo(combined);
            assertThat(ConvForward.candidates(geometry, 2048L * 2048, DataType.FLOAT, false, UNLIMITED, false))
                    .as("CUDA").isEqualTo(List.of(ConvForward.CONV2D));
        }
    }

    /** Under a workspace limit the sizes from which a way is timed no longer count; where it applies does. */
    @Test
    void underAWorkspaceLimitEveryConvolutionAWayAppliesToIsTimed() {
        ConvWorkspace limit = new ConvWorkspace(256L << 20);
        long small = 4L * 4 * 9;
        ConvGeometry threeByThree = geometry(3, 1, 1, ConvolutionMode.Same);
        ConvGeometry pointwise = geometry(1, 1, 1, ConvolutionMode.Same);
        List<ConvBackprop> combined = List.of(ConvBackprop.COMBINED);
        assertThat(ConvBackprop.candidates(threeByThree, small, DataType.FLOAT, true, UNLIMITED, false))
                .isEqualTo(combined);
        assertThat(ConvBackprop.candidates(threeByThree, small, DataType.FLOAT, true, limit, true))
                .containsExactly(ConvBackprop.COMBINED, ConvBackprop.GEMM, ConvBackprop.COMBINED_PER_IMAGE);
        assertThat(ConvBackprop.candidates(pointwise, 16, DataType.FLOAT, true, limit, true))
                .containsExactly(ConvBackprop.COMBINED, ConvBackprop.POINTWISE, ConvBackprop.COMBINED_PER_IMAGE);
        assertThat(ConvForward.candidates(pointwise, 16, DataType.FLOAT, true, limit, true))
                .containsExactly(ConvForward.CONV2D, ConvForward.POINTWISE, ConvForward.CONV2D_PER_IMAGE);
        assertThat(ConvForward.candidates(threeByThree, small, DataType.FLOAT, true, limit, true))
                .containsExactly(ConvForward.CONV2D, ConvForward.CONV2D_PER_IMAGE);
        List<ConvBackprop> libnd4jOnly = List.of(ConvBackprop.COMBINED, ConvBackprop.COMBINED_PER_IMAGE);
        assertThat(ConvBackprop.candidates(geometry(3, 2, 1, ConvolutionMode.Same), small, DataType.FLOAT, true,
                limit, true)).as("stride 2").isEqualTo(libnd4jOnly);
        assertThat(ConvBackprop.candidates(threeByThree, small, DataType.HALF, true, limit, true)).as("HALF")
                .isEqualTo(libnd4jOnly);
        assertThat(ConvForward.candidates(threeByThree, small, DataType.HALF, true, limit, true)).as("HALF forward")
                .containsExactly(ConvForward.CONV2D, ConvForward.CONV2D_PER_IMAGE);
        assertThat(ConvBackprop.candidates(threeByThree, small, DataType.FLOAT, false, limit, true)).as("CUDA")
                .isEqualTo(combined);
        assertThat(ConvForward.candidates(threeByThree, small, DataType.FLOAT, false, limit, true)).as("CUDA forward")
                .containsExactly(ConvForward.CONV2D);
    }

    /**
     * The per-image ways are timed for batches of two images or more: under a workspace limit at any size, without one
     * from {@link ConvForward#MEASURED_MIN_PER_IMAGE_VALUES} values in the input and output together; and only then.
     */
    @Test
    void thePerImageWaysAreTimedOnLargeBatchesOrUnderALimit() {
        long large = ConvForward.MEASURED_MIN_PER_IMAGE_VALUES;
        ConvWorkspace limit = new ConvWorkspace(256L << 20);
        assertThat(ConvForward.timesPerImage(8, large, UNLIMITED)).isTrue();
        assertThat(ConvForward.timesPerImage(8, large - 1, UNLIMITED)).isFalse();
        assertThat(ConvForward.timesPerImage(2, 100, limit)).isTrue();
        assertThat(ConvForward.timesPerImage(1, 4 * large, UNLIMITED)).as("one image").isFalse();
        assertThat(ConvForward.timesPerImage(1, 100, limit)).as("one image under a limit").isFalse();
        // the values of a convolution: 3 images of 2 x 12 x 12 in, 5 x 12 x 12 out
        INDArray input = Nd4j.create(DataType.FLOAT, 3, 2, 12, 12);
        Convolution convolution = new Convolution(input, Nd4j.create(DataType.FLOAT, 5, 2, 3, 3), null,
                geometry(3, 1, 1, ConvolutionMode.Same));
        assertThat(ConvForward.timesPerImage(convolution, limit)).isTrue();
        assertThat(ConvForward.timesPerImage(convolution, UNLIMITED)).isFalse();

        ConvGeometry threeByThree = geometry(3, 1, 1, ConvolutionMode.Same);
        assertThat(ConvForward.candidates(threeByThree, 9, DataType.FLOAT, true, UNLIMITED, true))
                .containsExactly(ConvForward.CONV2D, ConvForward.CONV2D_PER_IMAGE);
        assertThat(ConvBackprop.candidates(threeByThree, 9, DataType.FLOAT, true, UNLIMITED, true))
                .containsExactly(ConvBackprop.COMBINED, ConvBackprop.COMBINED_PER_IMAGE);
        assertThat(ConvBackprop.candidates(threeByThree, 9, DataType.HALF, true, UNLIMITED, true)).as("HALF")
                .containsExactly(ConvBackprop.COMBINED, ConvBackprop.COMBINED_PER_IMAGE);
        assertThat(ConvBackprop.candidates(threeByThree, 9, DataType.FLOAT, false, UNLIMITED, true)).as("CUDA")
                .containsExactly(ConvBackprop.COMBINED);
        assertThat(ConvForward.candidates(threeByThree, 9, DataType.FLOAT, false, UNLIMITED, true)).as("CUDA")
                .containsExactly(ConvForward.CONV2D);
    }

    @Test
    void eachWayAppliesWhereItsResultsAreTheConvolutions() {
        ConvGeometry threeByThree = geometry(3, 1, 1, ConvolutionMode.Same);
        ConvGeometry pointwise = geometry(1, 1, 1, ConvolutionMode.Same);
        List<ConvGeometry> notFoldingBack = List.of(geometry(3, 2, 1, ConvolutionMode.Same),
                geometry(3, 1, 2, ConvolutionMode.Same), geometry(2, 1, 1, ConvolutionMode.Same));
        List<ConvBackprop> libnd4jOps = List.of(ConvBackprop.COMBINED, ConvBackprop.COMBINED_PER_IMAGE);
        for (ConvBackprop way : ConvBackprop.values()) {
            assertThat(way.appliesTo(threeByThree, DataType.DOUBLE)).as("%s 3 x 3", way)
                    .isEqualTo(way != ConvBackprop.POINTWISE);
            assertThat(way.appliesTo(pointwise, DataType.FLOAT)).as("%s 1 x 1", way).isTrue();
            for (ConvGeometry geometry : notFoldingBack) {
                assertThat(way.appliesTo(geometry, DataType.FLOAT)).as("%s %s", way, geometry)
                        .isEqualTo(libnd4jOps.contains(way));
            }
            assertThat(way.appliesTo(threeByThree, DataType.HALF)).as("%s HALF", way)
                    .isEqualTo(libnd4jOps.contains(way));
            assertThat(way.usesPatches()).as("%s patches", way).isEqualTo(way == ConvBackprop.GEMM);
        }
        assertThat(ConvForward.POINTWISE.appliesTo(pointwise, DataType.FLOAT)).isTrue();
        assertThat(ConvForward.POINTWISE.appliesTo(threeByThree, DataType.FLOAT)).isFalse();
        assertThat(ConvForward.POINTWISE.appliesTo(geometry(1, 2, 1, ConvolutionMode.Same), DataType.FLOAT)).isFalse();
        assertThat(ConvForward.POINTWISE.appliesTo(pointwise, DataType.HALF)).isFalse();
        for (ConvForward way : List.of(ConvForward.CONV2D, ConvForward.CONV2D_PER_IMAGE)) {
            assertThat(way.appliesTo(geometry(3, 2, 1, ConvolutionMode.Same), DataType.HALF)).as("%s", way).isTrue();
        }
    }

    /**
     * Each way's gradients equal {@code conv2d_bp}'s, on inputs and output gradients that are strided views (a
     * concatenation's part), a weight gradient that is a view into a flat gradient vector (as the layer's are) and an
     * input gradient pre-filled (or a strided view); frozen, the ways other than {@code conv2d_bp} leave the weight
     * and bias gradients alone. Truncate without padding shrinks the map ({@code col2im} grows it back);
     * a 1 x 1 map under a 3 x 3 kernel is all padding but its centre.
     */
    @ParameterizedTest(name = "{0} {1} kernel={2}x{3} bias={4} padded={5} {6}x{7} strided dL/dx={8}")
    @CsvSource({"FLOAT, Same, 3, 3, true, true, 7, 6, false", "FLOAT, Truncate, 5, 3, false, true, 7, 6, true",
            "DOUBLE, Same, 3, 5, false, true, 7, 6, false", "DOUBLE, Truncate, 3, 3, true, true, 7, 6, true",
            "FLOAT, Truncate, 3, 3, true, false, 7, 6, false", "DOUBLE, Truncate, 3, 5, false, false, 6, 7, false",
            "FLOAT, Same, 3, 3, true, true, 1, 1, false", "DOUBLE, Truncate, 3, 3, false, true, 1, 1, true",
            "FLOAT, Same, 1, 1, true, false, 7, 6, false", "DOUBLE, Truncate, 1, 1, false, false, 6, 7, true"})
    void eachWayGivesConv2dBpsGradients(DataType dataType, ConvolutionMode mode, int kernelHeight, int kernelWidth,
                                        boolean hasBias, boolean padded, int height, int width,
                                        boolean stridedInputGradient) {
        Nd4j.getRandom().setSeed(3);
        int batch = 3;
        int in = 5;
        int out = 4;
        INDArray input = Nd4j.randn(dataType, batch, in + 2, height, width).get(NDArrayIndex.all(),
                NDArrayIndex.interval(1, in + 1), NDArrayIndex.all(), NDArrayIndex.all());
        int[] padding = padded ? new int[] {kernelHeight / 2, kernelWidth / 2} : new int[] {0, 0};
        ConvGeometry geometry = ConvGeometry.of(input, new int[] {kernelHeight, kernelWidth}, new int[] {1, 1},
                padding, new int[] {1, 1}, mode);
        INDArray weights = Nd4j.randn(dataType, out, in, kernelHeight, kernelWidth);
        INDArray bias = hasBias ? Nd4j.randn(dataType, out) : null;
        INDArray outputGradient = Nd4j.randn(dataType, geometry.outputShape(batch, out + 3)).get(NDArrayIndex.all(),
                NDArrayIndex.interval(2, out + 2), NDArrayIndex.all(), NDArrayIndex.all());
        Convolution convolution = new Convolution(input, weights, bias, geometry);
        ConvGradients expected = gradients(dataType, input.shape(), weights.shape(), hasBias, false);
        ConvBackprop.COMBINED.run(convolution, outputGradient, expected, true, scratch());
        double tolerance = dataType == DataType.FLOAT ? 1e-5 : 1e-12;

        List<ConvBackprop> applicable = Arrays.stream(ConvBackprop.values())
                .filter(way -> way != ConvBackprop.COMBINED && way.appliesTo(geometry, dataType)).toList();
        assertThat(applicable).isNotEmpty();
        for (ConvBackprop way : applicable) {
            for (boolean weightsToo : new boolean[] {true, false}) {
                ConvGradients actual = gradients(dataType, input.shape(), weights.shape(), hasBias,
                        stridedInputGradient);
                actual.input().assign(7);
                actual.weights().assign(7);
                if (hasBias) {
                    actual.bias().assign(7);
                }
                way.run(convolution, outputGradient, actual, weightsToo, scratch());
                String what = way + (weightsToo ? "" : " frozen");
                assertThat(relativeMaxDifference(actual.input(), expected.input())).as("%s input gradient", what)
                        .isLessThan(tolerance);
                if (weightsToo) {
                    assertThat(relativeMaxDifference(actual.weights(), expected.weights()))
                            .as("%s weight gradient", what).isLessThan(tolerance);
                    if (hasBias) {
                        assertThat(relativeMaxDifference(actual.bias(), expected.bias())).as("%s bias gradient", what)
                                .isLessThan(tolerance);
                    }
                } else {
                    for (INDArray untouched : hasBias ? List.of(actual.weights(), actual.bias())
                            : List.of(actual.weights())) {
                        assertThat(untouched.minNumber().doubleValue()).as(what).isEqualTo(7.0);
                        assertThat(untouched.maxNumber().doubleValue()).as(what).isEqualTo(7.0);
                    }
                }
            }
        }
        INDArray expectedOutput = Nd4j.create(dataType, geometry.outputShape(batch, out));
        ConvForward.CONV2D.run(convolution, expectedOutput, ConvScratch.forward(NO_WORKSPACES));
        List<ConvForward> forwards = Arrays.stream(ConvForward.values())
                .filter(way -> way != ConvForward.CONV2D && way.appliesTo(geometry, dataType)).toList();
        assertThat(forwards).contains(ConvForward.CONV2D_PER_IMAGE);
        assertThat(forwards.contains(ConvForward.POINTWISE)).isEqualTo(geometry.matrixProduct());
        for (ConvForward way : forwards) {
            INDArray output = Nd4j.create(dataType, geometry.outputShape(batch, out));
            way.run(convolution, output, ConvScratch.forward(NO_WORKSPACES));
            assertThat(relativeMaxDifference(output, expectedOutput)).as("%s forward", way).isLessThan(tolerance);
        }
    }

    /**
     * The per-image ways run libnd4j's own ops, so they apply to every geometry: a stride, a dilation, an even kernel,
     * each with the whole batch's results (the weight and bias gradients summed over its images).
     */
    @ParameterizedTest(name = "kernel {0}, stride {1}, dilation {2}")
    @CsvSource({"3, 2, 1", "3, 1, 2", "2, 1, 1"})
    void thePerImageWaysGiveTheWholeBatchsResultsOnAnyGeometry(int kernel, int stride, int dilation) {
        Nd4j.getRandom().setSeed(5);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 3, 2, 9, 8);
        ConvGeometry geometry = ConvGeometry.of(input, new int[] {kernel, kernel}, new int[] {stride, stride},
                new int[] {kernel / 2, kernel / 2}, new int[] {dilation, dilation}, ConvolutionMode.Same);
        Convolution convolution = new Convolution(input, Nd4j.randn(DataType.DOUBLE, 4, 2, kernel, kernel),
                Nd4j.randn(DataType.DOUBLE, 4), geometry);
        INDArray expectedOutput = Nd4j.create(DataType.DOUBLE, geometry.outputShape(3, 4));
        ConvForward.CONV2D.run(convolution, expectedOutput, ConvScratch.forward(NO_WORKSPACES));
        INDArray output = Nd4j.create(DataType.DOUBLE, expectedOutput.shape());
        ConvForward.CONV2D_PER_IMAGE.run(convolution, output, ConvScratch.forward(NO_WORKSPACES));
        assertThat(relativeMaxDifference(output, expectedOutput)).as("forward").isLessThan(1e-12);

        INDArray outputGradient = Nd4j.randn(DataType.DOUBLE, expectedOutput.shape());
        ConvGradients expected = gradients(DataType.DOUBLE, input.shape(), convolution.weights().shape(), true, false);
        ConvBackprop.COMBINED.run(convolution, outputGradient, expected, true, scratch());
        ConvGradients actual = gradients(DataType.DOUBLE, input.shape(), convolution.weights().shape(), true, false);
        ConvBackprop.COMBINED_PER_IMAGE.run(convolution, outputGradient, actual, true, scratch());
        assertThat(relativeMaxDifference(actual.input(), expected.input())).as("input gradient").isLessThan(1e-12);
        assertThat(relativeMaxDifference(actual.weights(), expected.weights())).as("weight gradient")
                .isLessThan(1e-12);
        assertThat(relativeMaxDifference(actual.bias(), expected.bias())).as("bias gradient").isLessThan(1e-12);
    }

    @Test
    void aWeightGradientThatIsNotContiguousGetsTheSameValues() {
        Nd4j.getRandom().setSeed(4);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 2, 2, 5, 5);
        ConvGeometry geometry = ConvGeometry.of(input, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, ConvolutionMode.Same);
        Convolution convolution = new Convolution(input, Nd4j.randn(DataType.DOUBLE, 3, 2, 3, 3), null, geometry);
        INDArray outputGradient = Nd4j.randn(DataType.DOUBLE, 2, 3, 5, 5);
        INDArray expected = Nd4j.create(DataType.DOUBLE, 3, 2, 3, 3);
        ConvBackprop.COMBINED.run(convolution, outputGradient,
                new ConvGradients(Nd4j.create(DataType.DOUBLE, 2, 2, 5, 5), expected, null), true, scratch());
        INDArray permuted = Nd4j.create(DataType.DOUBLE, 2, 3, 3, 3).permute(1, 0, 2, 3);
        ConvBackprop.GEMM.run(convolution, outputGradient,
                new ConvGradients(Nd4j.create(DataType.DOUBLE, 2, 2, 5, 5), permuted, null), true, scratch());
        assertThat(maxAbsDifference(permuted, expected)).isLessThan(1e-12);
    }

    /** The ways of one pass share one patch buffer, of one image's patches, and one copy of each strided operand. */
    @Test
    void theWaysOfOnePassShareOnePatchBufferAndOneCopyPerOperand() {
        INDArray input = Nd4j.randn(DataType.FLOAT, 2, 3, 6, 5);
        ConvGeometry geometry = ConvGeometry.of(input, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, ConvolutionMode.Same);
        Convolution convolution = new Convolution(input, Nd4j.randn(DataType.FLOAT, 4, 3, 3, 3), null, geometry);
        ConvScratch scratch = scratch();
        INDArray patches = scratch.patches(convolution);
        assertThat(patches.shape()).containsExactly(1, 3, 3, 3, 6, 5);
        assertThat(ConvScratch.patchShape(3, 3, 3, geometry)).containsExactly(1, 3, 3, 3, 6, 5);
        assertThat(scratch.patches(convolution)).isSameAs(patches);
        assertThat(scratch().patches(convolution)).isNotSameAs(patches);

        INDArray strided = Nd4j.randn(DataType.FLOAT, 2, 5, 6, 5).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4),
                NDArrayIndex.all(), NDArrayIndex.all());
        assertThat(ConvScratch.isContiguous(strided)).isFalse();
        INDArray copy = scratch.contiguous(strided);
        assertThat(copy).isNotSameAs(strided).isEqualTo(strided);
        assertThat(scratch.contiguous(strided)).isSameAs(copy);
        assertThat(scratch.contiguous(input)).isSameAs(input);
    }

    private static ConvScratch scratch() {
        return ConvScratch.backward(NO_WORKSPACES);
    }

    /**
     * Gradient arrays, the weights' a view inside a longer flat vector as the layer's gradient views are, the input's a
     * channel slice of a wider array when {@code stridedInput}.
     */
    static ConvGradients gradients(DataType dataType, long[] inputShape, long[] weightShape, boolean hasBias,
                                   boolean stridedInput) {
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
        INDArray input = stridedInput
                ? Nd4j.create(dataType, inputShape[0], inputShape[1] + 2, inputShape[2], inputShape[3])
                        .get(NDArrayIndex.all(), NDArrayIndex.interval(1, inputShape[1] + 1), NDArrayIndex.all(),
                                NDArrayIndex.all())
                : Nd4j.create(dataType, inputShape);
        return new ConvGradients(input, weights, hasBias ? Nd4j.create(dataType, weightShape[0]) : null);
    }
}
