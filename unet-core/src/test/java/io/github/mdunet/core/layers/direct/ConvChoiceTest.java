package io.github.mdunet.core.layers.direct;

import static io.github.mdunet.core.layers.LayerTestSupport.relativeMaxDifference;
import static io.github.mdunet.core.layers.direct.ConvWorkspace.UNLIMITED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The layers' choice on real convolutions: the timed one keeps the way its clock makes the fastest per shape, for the
 * backward pass (frozen or not) and for the 1 x 1 forward pass, with the results right on the timing call and after;
 * the one that always takes given ways runs them and refuses a convolution they do not apply to.
 */
class ConvChoiceTest {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    /** Readings of a clock, two per timed run (start, end), in the order the runs are timed; counts its reads. */
    private static final class ScriptedClock {
        final Deque<Long> readings = new ArrayDeque<>();
        int reads;

        long read() {
            reads++;
            return readings.isEmpty() ? 0 : readings.removeFirst();
        }

        /** Each round, candidate {@code i} takes {@code nanos[i]}. */
        void rounds(long... nanos) {
            for (int round = 0; round < WayTimer.ROUNDS; round++) {
                for (long run : nanos) {
                    long start = 1000L * readings.size();
                    readings.addAll(List.of(start, start + run));
                }
            }
        }
    }

    @BeforeEach
    void onTheCpuBackend() {
        assumeThat(Nd4j.getEnvironment().isCPU()).as("the timed ways are the CPU backend's").isTrue();
    }

    private static Convolution convolution(int kernel, int channelsIn, int channelsOut, int height, int stride) {
        INDArray input = Nd4j.randn(DataType.FLOAT, 2, channelsIn, height, 4);
        ConvGeometry geometry = ConvGeometry.of(input, new int[] {kernel, kernel}, new int[] {stride, stride},
                new int[] {kernel / 2, kernel / 2}, new int[] {1, 1}, ConvolutionMode.Same);
        return new Convolution(input, Nd4j.randn(DataType.FLOAT, channelsOut, channelsIn, kernel, kernel), null,
                geometry);
    }

    private static ConvGradients fresh(Convolution convolution) {
        return new ConvGradients(Nd4j.create(DataType.FLOAT, convolution.input().shape()),
                Nd4j.create(DataType.FLOAT, convolution.weights().shape()), null);
    }

    /** Timed per shape: another shape, freezing, a bias or an input with gaps is timed apart. */
    @ParameterizedTest(name = "frozen={0}, the second candidate {1} ns, the first 100")
    @CsvSource({"false, 10", "false, 500", "true, 10", "true, 500"})
    void theTimedBackwardPassKeepsTheFastestWayPerShape(boolean frozen, long secondNanos) {
        Nd4j.getRandom().setSeed(9);
        Convolution convolution = convolution(3, 128, 128, 5, 1);
        INDArray outputGradient = Nd4j.randn(DataType.FLOAT, convolution.geometry().outputShape(2, 128));
        ConvGradients expected = fresh(convolution);
        ConvBackprop.COMBINED.run(convolution, outputGradient, expected, true, ConvScratch.backward(NO_WORKSPACES));
        List<ConvBackprop> candidates = ConvBackprop.candidates(convolution.geometry(), convolution.weightCount(),
                DataType.FLOAT, true, UNLIMITED, false);
        assertThat(candidates).containsExactly(ConvBackprop.COMBINED, ConvBackprop.GEMM);
        ScriptedClock clock = new ScriptedClock();
        clock.rounds(100, secondNanos);
        ConvChoice.Timed choice = new ConvChoice.Timed(WayMeter.clock(clock::read), UNLIMITED);
        ConvBackprop faster = secondNanos < 100 ? ConvBackprop.GEMM : ConvBackprop.COMBINED;
        for (int call = 0; call < 2; call++) {
            ConvGradients gradients = fresh(convolution);
            ConvBackprop wrote = choice.backward(convolution, outputGradient, gradients, frozen,
                    ConvScratch.backward(NO_WORKSPACES));
            assertThat(wrote).as("call %d", call).isEqualTo(faster);
            assertThat(choice.chosenBackward(convolution, frozen)).contains(faster);
            assertThat(clock.reads).as("the clock is read on the first call only")
                    .isEqualTo(2 * WayTimer.ROUNDS * candidates.size());
            assertThat(relativeMaxDifference(gradients.input(), expected.input())).isLessThan(1e-5);
            if (!frozen) {
                // frozen, the weight gradient is left as the ways run leave it (conv2d_bp's when it ran)
                assertThat(relativeMaxDifference(gradients.weights(), expected.weights())).isLessThan(1e-5);
            }
        }
        assertThat(choice.chosenBackward(convolution(3, 128, 128, 6, 1), frozen)).as("another shape").isEmpty();
        assertThat(choice.chosenBackward(convolution, !frozen)).as("the other freezing").isEmpty();
        Convolution withBias = new Convolution(convolution.input(), convolution.weights(),
                Nd4j.zeros(DataType.FLOAT, 128), convolution.geometry());
        assertThat(choice.chosenBackward(withBias, frozen)).as("with a bias").isEmpty();
        INDArray wider = Nd4j.zeros(DataType.FLOAT, 2, 256, 5, 4);
        Convolution stridedInput = new Convolution(wider.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 128)),
                convolution.weights(), null, convolution.geometry());
        assertThat(stridedInput.input().shape()).isEqualTo(convolution.input().shape());
        assertThat(choice.chosenBackward(stridedInput, frozen)).as("an input with gaps").isEmpty();
        assertThat(choice.chosenForward(convolution)).as("a 3 x 3 forward pass is not timed").isEmpty();
    }

    /**
     * A small 3 x 3 convolution, below the size from which its ways are timed without a limit: under one, libnd4j's
     * faster {@code conv2d_bp} is measured over it and the fastest way within it (SGEMM, before {@code conv2d_bp} one
     * image at a time) is kept, giving the same gradients.
     */
    @Test
    void underAWorkspaceLimitEveryConvolutionIsTimedAndKeepsAWayWithinIt() {
        Nd4j.getRandom().setSeed(11);
        Convolution convolution = convolution(3, 4, 4, 5, 1);
        ConvWorkspace limit = new ConvWorkspace(1000);
        assertThat(ConvBackprop.candidates(convolution.geometry(), convolution.weightCount(), DataType.FLOAT, true,
                UNLIMITED, false)).containsExactly(ConvBackprop.COMBINED);
        assertThat(ConvBackprop.candidates(convolution.geometry(), convolution.weightCount(), DataType.FLOAT, true,
                limit, ConvForward.timesPerImage(convolution, limit)))
                .containsExactly(ConvBackprop.COMBINED, ConvBackprop.GEMM, ConvBackprop.COMBINED_PER_IMAGE);
        INDArray outputGradient = Nd4j.randn(DataType.FLOAT, convolution.geometry().outputShape(2, 4));
        ConvGradients expected = fresh(convolution);
        ConvBackprop.COMBINED.run(convolution, outputGradient, expected, true, ConvScratch.backward(NO_WORKSPACES));
        // in the order the runs are timed, round by round: COMBINED (over the limit, so not run again), GEMM and
        // COMBINED_PER_IMAGE (within the limit, slower), then GEMM and COMBINED_PER_IMAGE again
        WayMeter.Cost gemm = new WayMeter.Cost(50, 100);
        WayMeter.Cost perImage = new WayMeter.Cost(70, 200);
        Deque<WayMeter.Cost> costs = new ArrayDeque<>(List.of(new WayMeter.Cost(10, 5000), gemm, perImage, gemm,
                perImage));
        ConvChoice.Timed choice = new ConvChoice.Timed(run -> {
            run.run();
            return costs.removeFirst();
        }, limit);

        ConvGradients gradients = fresh(convolution);
        assertThat(choice.backward(convolution, outputGradient, gradients, false, ConvScratch.backward(NO_WORKSPACES)))
                .isEqualTo(ConvBackprop.GEMM);
        assertThat(costs).as("every timed run measured").isEmpty();
        assertThat(choice.chosenBackward(convolution, false)).contains(ConvBackprop.GEMM);
        assertThat(relativeMaxDifference(gradients.input(), expected.input())).isLessThan(1e-5);
        assertThat(relativeMaxDifference(gradients.weights(), expected.weights())).isLessThan(1e-5);
    }

    @ParameterizedTest(name = "the 1 x 1 SGEMM way {0} ns, conv2d 100")
    @CsvSource({"10", "500"})
    void theTimedForwardPassOfAMatrixProductKeepsTheFasterWay(long pointwiseNanos) {
        Nd4j.getRandom().setSeed(10);
        // 512 to 256 channels at 12 x 4: 6.3 million multiply-adds per image, below the threshold; at 36 x 4 above
        Convolution small = convolution(1, 512, 256, 12, 1);
        assertThat(ConvForward.candidates(small.geometry(), small.weightCount(), DataType.FLOAT, true, UNLIMITED,
                false))
                .containsExactly(ConvForward.CONV2D);
        Convolution convolution = convolution(1, 512, 256, 36, 1);
        assertThat(ConvForward.candidates(convolution.geometry(), convolution.weightCount(), DataType.FLOAT, true,
                UNLIMITED, ConvForward.timesPerImage(convolution, UNLIMITED)))
                .containsExactly(ConvForward.CONV2D, ConvForward.POINTWISE);
        INDArray expected = Nd4j.create(DataType.FLOAT, convolution.geometry().outputShape(2, 256));
        NativeOps.conv2d(convolution.input(), convolution.weights(), null, convolution.geometry(), expected);
        ScriptedClock clock = new ScriptedClock();
        clock.rounds(100, pointwiseNanos);
        ConvChoice.Timed choice = new ConvChoice.Timed(WayMeter.clock(clock::read), UNLIMITED);
        ConvForward faster = pointwiseNanos < 100 ? ConvForward.POINTWISE : ConvForward.CONV2D;
        for (int call = 0; call < 2; call++) {
            INDArray output = Nd4j.create(DataType.FLOAT, expected.shape());
            assertThat(choice.forward(convolution, output, ConvScratch.forward(NO_WORKSPACES))).as("call %d", call)
                    .isEqualTo(faster);
            assertThat(choice.chosenForward(convolution)).contains(faster);
            assertThat(relativeMaxDifference(output, expected)).isLessThan(1e-5);
        }
        assertThat(clock.reads).as("the clock is read on the first call only").isEqualTo(2 * WayTimer.ROUNDS * 2);
    }

    @Test
    void alwaysTakesItsWaysAndRefusesAConvolutionTheyDoNotApplyTo() {
        Nd4j.getRandom().setSeed(11);
        Convolution convolution = convolution(3, 6, 4, 5, 1);
        INDArray outputGradient = Nd4j.randn(DataType.FLOAT, convolution.geometry().outputShape(2, 4));
        ConvGradients expected = fresh(convolution);
        ConvBackprop.COMBINED.run(convolution, outputGradient, expected, true, ConvScratch.backward(NO_WORKSPACES));
        ConvBackprop way = ConvBackprop.GEMM;
        ConvChoice always = new ConvChoice.Always(ConvForward.CONV2D, way);
        ConvGradients gradients = fresh(convolution);
        assertThat(always.backward(convolution, outputGradient, gradients, false,
                ConvScratch.backward(NO_WORKSPACES))).isEqualTo(way);
        assertThat(relativeMaxDifference(gradients.weights(), expected.weights())).as("%s", way).isLessThan(1e-5);
        ConvGradients frozen = fresh(convolution);
        always.backward(convolution, outputGradient, frozen, true, ConvScratch.backward(NO_WORKSPACES));
        assertThat(relativeMaxDifference(frozen.input(), expected.input())).as("%s frozen", way).isLessThan(1e-5);
        assertThat(frozen.weights().amaxNumber().doubleValue()).as("%s frozen", way).isZero();

        Convolution strided = convolution(3, 6, 4, 6, 2);
        assertThatThrownBy(() -> new ConvChoice.Always(ConvForward.CONV2D, ConvBackprop.GEMM).backward(strided,
                Nd4j.create(DataType.FLOAT, strided.geometry().outputShape(2, 4)), fresh(strided), false,
                ConvScratch.backward(NO_WORKSPACES))).isInstanceOf(IllegalStateException.class)
                .hasMessage("the way GEMM does not apply to a convolution of input [2, 6, 6, 4], weights [4, 6, 3, 3],"
                        + " arguments [3, 3, 2, 2, 0, 0, 1, 1, 1, 0, 1] in FLOAT");
        assertThatThrownBy(() -> new ConvChoice.Always(ConvForward.POINTWISE, ConvBackprop.COMBINED).forward(
                convolution, Nd4j.create(DataType.FLOAT, convolution.geometry().outputShape(2, 4)),
                ConvScratch.forward(NO_WORKSPACES))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the way POINTWISE does not apply to a convolution of input [2, 6, 5, 4]");
    }
}
