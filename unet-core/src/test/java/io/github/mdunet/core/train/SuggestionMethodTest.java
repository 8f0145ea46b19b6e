package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SuggestionMethodTest {

    private static final double[] RATES = IntStream.range(0, 10).mapToDouble(i -> Math.pow(10, i - 6)).toArray();

    /**
     * Each row: a curve over the rates 1e-6 to 1e3 and the suggestion's rate and mark worked out by hand.
     * <ul>
     * <li>Valley: the longest valley of 5, 5, 4, 3, 2, 1, 0.5, 0.4, 2, 6 ends at 0.4 (index 7), seven points long;
     *     fastai's start is its end less its length (index 0), and the point a third plus a sixth along is index
     *     0 + 2 + 1.</li>
     * <li>Valley over a bump: 9, 8, 7, 6, 5, 4, 3 skips the 8.5 (a valley's points need not be adjacent), so index 3
     *     again.</li>
     * <li>Minimum: the lowest loss is at index 3; the rate is a tenth of its rate, the mark the point itself.</li>
     * <li>Steep: the fall from index 2 to 3 (2.5 to 1.0) is the steepest against the log rate.</li>
     * </ul>
     */
    static Stream<Arguments> handWorkedCurves() {
        return Stream.of(
                Arguments.of("valley", SuggestionMethod.VALLEY, new double[] {5, 5, 4, 3, 2, 1, 0.5, 0.4, 2, 6},
                        RATES[3], RATES[3], 3.0),
                Arguments.of("valley over a bump", SuggestionMethod.VALLEY, new double[] {9, 8, 8.5, 7, 6, 5, 4, 3,
                    9, 9}, RATES[3], RATES[3], 7.0),
                Arguments.of("minimum", SuggestionMethod.MINIMUM, new double[] {3, 2, 1, 0.7, 0.9, 4, 5, 6, 7, 8},
                        RATES[3] / 10, RATES[3], 0.7),
                Arguments.of("steep", SuggestionMethod.STEEP, new double[] {3, 2.9, 2.5, 1.0, 0.9, 0.8, 0.9, 2, 5,
                    9}, RATES[2], RATES[2], 2.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handWorkedCurves")
    void eachMethodReadsItsPointOffTheCurve(String name, SuggestionMethod method, double[] losses, double rate,
                                            double markRate, double markLoss) {
        SuggestionMethod.Suggestion suggestion = method.suggest(RATES, losses);

        assertThat(suggestion).isEqualTo(new SuggestionMethod.Suggestion(method, rate, markRate, markLoss));
    }

    /** fastai's index for a two-point valley at the window's start is -1 (Python's last point); here the first. */
    @Test
    void valleyOfTwoPointsAtTheStartTakesTheFirst() {
        SuggestionMethod.Suggestion valley = SuggestionMethod.VALLEY.suggest(new double[] {1e-3, 1e-2},
                new double[] {2, 1});

        assertThat(valley.rate()).isEqualTo(1e-3);
    }

    @Test
    void minimumIsATenthOfTheRateAtTheLowestLoss() {
        double[] losses = {3, 2, 1, 0.7, 0.9, 4, 5, 6, 7, 8};

        SuggestionMethod.Suggestion minimum = SuggestionMethod.MINIMUM.suggest(RATES, losses);

        assertThat(minimum.rate()).isEqualTo(RATES[3] / 10);
        assertThat(minimum.markRate()).isEqualTo(RATES[3]);
        assertThat(minimum.markLoss()).isEqualTo(0.7);
    }

    @Test
    void steepIsWhereTheLossFallsFastestAgainstTheLogRate() {
        double[] losses = {3, 2.9, 2.5, 1.0, 0.9, 0.8, 0.9, 2, 5, 9};

        SuggestionMethod.Suggestion steep = SuggestionMethod.STEEP.suggest(RATES, losses);

        assertThat(steep.rate()).isEqualTo(RATES[2]);
    }

    @Test
    void theWindowLeavesOutTheFirstTenthAndTheLastFiveSteps() {
        assertThat(sweep(100, 100).window()).extracting(LearningRateSweep.Step::step)
                .containsExactlyElementsOf(IntStream.range(10, 95).boxed().toList());
        assertThat(sweep(100, 20).window()).extracting(LearningRateSweep.Step::step)
                .containsExactly(10, 11, 12, 13, 14);
        assertThat(LearningRateSweep.stepsNeeded(100)).isEqualTo(17);
        assertThat(sweep(100, 16).suggest(SuggestionMethod.VALLEY)).isEmpty();
        assertThat(sweep(100, 17).suggest(SuggestionMethod.VALLEY)).isPresent();
        assertThat(sweep(7, 7).window()).hasSize(2);
    }

    /** After a NaN, as fastai cuts its window at the first NaN: the finite steps before it all count. */
    @Test
    void aNonFiniteLossEndsTheWindowAtTheLastFiniteStep() {
        LearningRateSweep completed = sweep(100, 16);
        LearningRateSweep stoppedAtNaN = new LearningRateSweep(completed.steps(), 100,
                LearningRateSweep.Stop.NON_FINITE_LOSS, "the loss became NaN at step 17");
        assertThat(stoppedAtNaN.window()).extracting(LearningRateSweep.Step::step)
                .containsExactly(10, 11, 12, 13, 14, 15);
        assertThat(stoppedAtNaN.suggest(SuggestionMethod.VALLEY)).isPresent();
    }

    private static LearningRateSweep sweep(int planned, int taken) {
        List<LearningRateSweep.Step> steps = new ArrayList<>();
        for (int i = 0; i < taken; i++) {
            steps.add(new LearningRateSweep.Step(i, Math.pow(10, i / 10.0 - 7), 1.0 / (i + 1), 1.0 / (i + 1)));
        }
        return new LearningRateSweep(steps, planned, LearningRateSweep.Stop.COMPLETED, "test");
    }
}
