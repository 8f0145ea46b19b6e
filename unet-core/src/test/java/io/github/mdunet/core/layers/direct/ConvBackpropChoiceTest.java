package io.github.mdunet.core.layers.direct;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The timed choice on a clock that makes one candidate the faster: it is kept for the shape and measured once, the
 * gradients are right on the timing call and after it, and another shape is timed afresh.
 */
class ConvBackpropChoiceTest {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();
    /** 3 x 3, 128 to 128 channels: {@link ConvBackprop#MEASURED_MIN_WEIGHTS} weights or more. */
    private static final int CHANNELS = 128;

    /** Readings of a clock, two per timed candidate (start, end), in candidate order; 0 once they run out. */
    private static final class ScriptedClock {
        final Deque<Long> readings = new ArrayDeque<>();

        long read() {
            return readings.isEmpty() ? 0 : readings.removeFirst();
        }
    }

    @ParameterizedTest(name = "frozen={0}, the second candidate {1} ns, the first 100 ns")
    @CsvSource({"false, 10", "false, 500", "true, 10", "true, 500"})
    void keepsTheFasterCandidateForTheShapeAndTimesItOnce(boolean frozen, long secondNanos) {
        Nd4j.getRandom().setSeed(9);
        INDArray input = Nd4j.randn(DataType.FLOAT, 2, CHANNELS, 5, 4);
        ConvGeometry geometry = ConvGeometry.of(input, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, ConvolutionMode.Same);
        INDArray weights = Nd4j.randn(DataType.FLOAT, CHANNELS, CHANNELS, 3, 3);
        INDArray outputGradient = Nd4j.randn(DataType.FLOAT, geometry.outputShape(2, CHANNELS));
        List<ConvBackprop> candidates = ConvBackprop.candidates(geometry, weights.length(), DataType.FLOAT, frozen,
                true);
        assertThat(candidates).hasSizeGreaterThanOrEqualTo(2);
        INDArray expectedInput = Nd4j.create(DataType.FLOAT, input.shape());
        INDArray expectedWeights = Nd4j.create(DataType.FLOAT, weights.shape());
        NativeOps.conv2dBackprop(input, weights, null, outputGradient, geometry, expectedInput, expectedWeights, null);

        ScriptedClock clock = new ScriptedClock();
        // the first candidate takes 100 ns, the second secondNanos, any others 500
        for (int i = 0; i < candidates.size(); i++) {
            long start = 1000L * i;
            clock.readings.addAll(List.of(start, start + (i == 0 ? 100 : i == 1 ? secondNanos : 500)));
        }
        ConvBackpropChoice choice = new ConvBackpropChoice(clock::read);
        assertThat(choice.chosen(input, weights, geometry, frozen)).isEmpty();
        ConvBackprop faster = secondNanos < 100 ? candidates.get(1) : candidates.get(0);
        for (int call = 0; call < 2; call++) {
            INDArray inputGradient = Nd4j.create(DataType.FLOAT, input.shape());
            INDArray weightGradient = Nd4j.create(DataType.FLOAT, weights.shape());
            ConvBackprop wrote = choice.run(input, weights, null, outputGradient, geometry, inputGradient,
                    weightGradient, null, frozen, NO_WORKSPACES);
            assertThat(wrote).as("call %d", call)
                    .isEqualTo(call == 0 ? candidates.get(candidates.size() - 1) : faster);
            assertThat(choice.chosen(input, weights, geometry, frozen)).contains(faster);
            assertThat(clock.readings).as("the clock is read on the first call only").isEmpty();
            double scale = expectedInput.amaxNumber().doubleValue();
            assertThat(inputGradient.sub(expectedInput).amaxNumber().doubleValue() / scale).isLessThan(1e-5);
            if (wrote != ConvBackprop.INPUT_ONLY) {
                assertThat(weightGradient.sub(expectedWeights).amaxNumber().doubleValue()
                        / expectedWeights.amaxNumber().doubleValue()).isLessThan(1e-5);
            }
        }

        INDArray wider = Nd4j.randn(DataType.FLOAT, 2, CHANNELS, 6, 4);
        assertThat(choice.chosen(wider, weights, geometry, frozen)).as("another shape").isEmpty();
        assertThat(choice.chosen(input, weights, geometry, !frozen)).as("the other freezing").isEmpty();
    }
}
