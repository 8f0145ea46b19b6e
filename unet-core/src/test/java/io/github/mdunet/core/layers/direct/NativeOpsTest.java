package io.github.mdunet.core.layers.direct;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The per-channel reductions of the batch norm and the bias gradients ({@link NativeOps#moments},
 * {@link NativeOps#channelSum}) on both of their paths (a matrix-vector product on contiguous FLOAT and DOUBLE
 * arrays, libnd4j's reductions on views and HALF) against the same reductions in DOUBLE.
 */
class NativeOpsTest {

    private static final long[] SHAPE = {3, 4, 5, 6};

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
