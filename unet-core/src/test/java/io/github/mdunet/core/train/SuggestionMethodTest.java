package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SuggestionMethodTest {

    private static final double[] RATES = IntStream.range(0, 10).mapToDouble(i -> Math.pow(10, i - 6)).toArray();

    /**
     * The longest valley of 5, 5, 4, 3, 2, 1, 0.5, 0.4, 2, 6 ends at 0.4 (index 7), seven points long; fastai's
     * start is its end less its length (index 0), and the point a third plus a sixth along is index 0 + 2 + 1.
     */
    @Test
    void valleyTakesThePointHalfwayDownTheLongestDescent() {
        double[] losses = {5, 5, 4, 3, 2, 1, 0.5, 0.4, 2, 6};

        SuggestionMethod.Suggestion valley = SuggestionMethod.VALLEY.suggest(RATES, losses);

        assertThat(valley.rate()).isEqualTo(RATES[3]);
        assertThat(valley.markLoss()).isEqualTo(3);
    }

    /** A bump early on does not end the valley: its points need not be adjacent. */
    @Test
    void valleyStepsOverABump() {
        double[] losses = {9, 8, 8.5, 7, 6, 5, 4, 3, 9, 9};

        SuggestionMethod.Suggestion valley = SuggestionMethod.VALLEY.suggest(RATES, losses);

        // Longest valley 9, 8, 7, 6, 5, 4, 3: ends at index 7, length 7, start 0; sections 7/3: index 0 + 2 + 1.
        assertThat(valley.rate()).isEqualTo(RATES[3]);
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
