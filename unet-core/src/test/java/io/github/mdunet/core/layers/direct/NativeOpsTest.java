package io.github.mdunet.core.layers.direct;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The per-channel reductions of the batch norm and the bias gradients ({@link NativeOps#moments},
 * {@link NativeOps#channelSum}) on both of their paths (a matrix-vector product on contiguous FLOAT and DOUBLE
 * arrays, libnd4j's reductions on views and HALF) against the same reductions in DOUBLE, and the batch norm's
 * gradient ({@link NativeOps#batchNormBackprop}) against libnd4j's {@code batchnorm_bp}.
 */
class NativeOpsTest {

    private static final long[] SHAPE = {3, 4, 5, 6};
    private static final double EPS = 1e-5;

    @Test
    void momentsOfAContiguousFloatArrayAreTheDoubleMeanAndBiasedVariance() {
        INDArray input = offsetNormal(DataType.FLOAT, SHAPE);

        assertMoments(input, 1e-5);
    }

    @Test
    void momentsOfAChannelRangeAndOfHalfPrecisionTakeLibnd4jsReductions() {
        INDArray joined = offsetNormal(DataType.FLOAT, 3, 10, 5, 6);
        INDArray channelRange = joined.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 7), NDArrayIndex.all(),
                NDArrayIndex.all());

        assertMoments(channelRange, 1e-5);
        assertMoments(offsetNormal(DataType.HALF, SHAPE), 2e-3);
    }

    @Test
    void momentsInDoubleAreExactToRounding() {
        assertMoments(offsetNormal(DataType.DOUBLE, SHAPE), 1e-12);
    }

    /** A convolution's bias gradient sums {@code [N, C, H * W]}; a frozen batch norm's {@code [N, C, H, W]}. */
    @Test
    void channelSumScalesTheSumOverEveryAxisButTheChannelsOfRankThreeAndFourArraysAndViews() {
        INDArray matrices = offsetNormal(DataType.FLOAT, 3, 4, 30);
        INDArray permuted = offsetNormal(DataType.FLOAT, 6, 5, 4, 3).permute(3, 2, 1, 0);

        for (INDArray input : new INDArray[] {matrices, permuted, offsetNormal(DataType.FLOAT, SHAPE)}) {
            INDArray sum = Nd4j.create(DataType.FLOAT, input.size(1));
            NativeOps.channelSum(input, 0.5, sum);

            int[] axes = input.rank() == 3 ? new int[] {0, 2} : new int[] {0, 2, 3};
            INDArray expected = input.castTo(DataType.DOUBLE).sum(axes).muli(0.5);
            assertThat(maxRelativeError(sum, expected)).as("%s", input.shapeInfoToString()).isLessThan(1e-5);
        }
    }

    /**
     * libnd4j's {@code batchnorm_bp} is the reference; gamma's and beta's gradients go into views of one array; the
     * input is read only when a scratch array is given.
     */
    @Test
    void theBatchNormGradientIsLibnd4jsBatchnormBp() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray input = offsetNormal(type, SHAPE);
            INDArray outputGradient = Nd4j.randn(DataType.DOUBLE, SHAPE).castTo(type);
            INDArray mean = Nd4j.create(type, SHAPE[1]);
            INDArray variance = Nd4j.create(type, SHAPE[1]);
            NativeOps.moments(input, mean, variance);
            INDArray gamma = Nd4j.rand(DataType.DOUBLE, SHAPE[1]).addi(0.5).castTo(type);
            INDArray beta = Nd4j.rand(DataType.DOUBLE, SHAPE[1]).castTo(type);
            INDArray[] expected = batchnormBp(input, mean, variance, gamma, beta, outputGradient);

            INDArray inputGradient = Nd4j.create(type, SHAPE);
            INDArray gradientViews = Nd4j.create(type, 3 * SHAPE[1]);
            INDArray gammaGradient = gradientViews.get(NDArrayIndex.interval(SHAPE[1], 2 * SHAPE[1]));
            INDArray betaGradient = gradientViews.get(NDArrayIndex.interval(2 * SHAPE[1], 3 * SHAPE[1]));
            INDArray inputBefore = input.dup();
            INDArray scratch = Nd4j.create(type, SHAPE);
            NativeOps.batchNormBackprop(input, mean, variance, gamma, outputGradient, EPS, scratch, inputGradient,
                    gammaGradient, betaGradient);

            double tolerance = type == DataType.DOUBLE ? 1e-8 : 1e-4;
            assertThat(maxError(inputGradient, expected[0])).as("%s", type).isLessThan(tolerance);
            assertThat(maxError(gammaGradient, expected[3])).as("%s", type).isLessThan(tolerance);
            assertThat(maxError(betaGradient, expected[4])).as("%s", type).isLessThan(tolerance);
            assertThat(gradientViews.get(NDArrayIndex.interval(0, SHAPE[1])).sumNumber().doubleValue()).isZero();
            assertThat(input).as("the input, with a scratch array given (%s)", type).isEqualTo(inputBefore);
        }
    }

    /** Under running statistics the batch norm is an affine map per channel; its gradients by the definition. */
    @Test
    void theFixedStatisticsGradientIsThatOfTheAffineMap() {
        INDArray input = offsetNormal(DataType.DOUBLE, SHAPE);
        INDArray outputGradient = Nd4j.randn(DataType.DOUBLE, SHAPE);
        INDArray mean = Nd4j.createFromArray(4.0, 5.0, 6.0, 5.5);
        INDArray variance = Nd4j.createFromArray(9.0, 8.0, 10.0, 2.0);
        INDArray gamma = Nd4j.createFromArray(0.5, 1.5, -1.0, 2.0);
        INDArray scale = Nd4j.createFromArray(1 / Math.sqrt(9 + EPS), 1 / Math.sqrt(8 + EPS), 1 / Math.sqrt(10 + EPS),
                1 / Math.sqrt(2 + EPS)).reshape(1, 4, 1, 1);
        INDArray normalized = input.sub(mean.reshape(1, 4, 1, 1)).muli(scale);

        INDArray inputGradient = Nd4j.create(DataType.DOUBLE, SHAPE);
        INDArray gammaGradient = Nd4j.create(DataType.DOUBLE, 4);
        INDArray betaGradient = Nd4j.create(DataType.DOUBLE, 4);
        NativeOps.fixedStatisticsBatchNormBackprop(input.dup(), mean, variance, gamma, outputGradient, EPS,
                Nd4j.create(DataType.DOUBLE, 4), inputGradient, gammaGradient, betaGradient);

        assertThat(maxError(inputGradient, outputGradient.mul(scale.mul(gamma.reshape(1, 4, 1, 1)))))
                .isLessThan(1e-12);
        assertThat(maxError(gammaGradient, outputGradient.mul(normalized).sum(0, 2, 3))).isLessThan(1e-12);
        assertThat(maxError(betaGradient, outputGradient.sum(0, 2, 3))).isLessThan(1e-12);
    }

    private static INDArray[] batchnormBp(INDArray input, INDArray mean, INDArray variance, INDArray gamma,
                                          INDArray beta, INDArray outputGradient) {
        DataType type = input.dataType();
        INDArray[] outputs = {Nd4j.create(type, SHAPE), Nd4j.create(type, SHAPE[1]), Nd4j.create(type, SHAPE[1]),
                Nd4j.create(type, SHAPE[1]), Nd4j.create(type, SHAPE[1])};
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp").addInputs(input, mean, variance, gamma, beta,
                outputGradient).addOutputs(outputs).addIntegerArguments(1, 1, 1).addFloatingPointArguments(EPS)
                .build());
        return outputs;
    }

    /** The largest difference, relative to the largest expected magnitude. */
    private static double maxError(INDArray actual, INDArray expected) {
        INDArray exact = expected.castTo(DataType.DOUBLE);
        return actual.castTo(DataType.DOUBLE).sub(exact).amaxNumber().doubleValue()
                / exact.amaxNumber().doubleValue();
    }

    private static void assertMoments(INDArray input, double tolerance) {
        INDArray mean = Nd4j.create(input.dataType(), input.size(1));
        INDArray variance = Nd4j.create(input.dataType(), input.size(1));

        NativeOps.moments(input, mean, variance);

        INDArray exact = input.castTo(DataType.DOUBLE);
        assertThat(maxRelativeError(mean, exact.mean(0, 2, 3))).isLessThan(tolerance);
        assertThat(maxRelativeError(variance, exact.var(false, 0, 2, 3))).isLessThan(tolerance);
    }

    /** Values around 5 with a standard deviation of 3, as a convolution's output before its batch norm. */
    private static INDArray offsetNormal(DataType type, long... shape) {
        Nd4j.getRandom().setSeed(7);
        return Nd4j.randn(DataType.DOUBLE, shape).muli(3).addi(5).castTo(type);
    }

    private static double maxRelativeError(INDArray actual, INDArray expected) {
        INDArray difference = actual.castTo(DataType.DOUBLE).sub(expected);
        return difference.divi(Nd4j.math().abs(expected)).amaxNumber().doubleValue();
    }
}
