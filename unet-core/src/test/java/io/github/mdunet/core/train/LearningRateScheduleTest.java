package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void oneCycleWarmsUpToThePeakThenAnneals() {
        LearningRateSchedule.OneCycle schedule = LearningRateSchedule.OneCycle.fastai();
        assertThat(schedule.factorAt(0)).isCloseTo(1 / 25.0, offset(1e-12));
        assertThat(schedule.factorAt(0.25)).isCloseTo(1.0, offset(1e-12));
        assertThat(schedule.factorAt(1)).isCloseTo(1e-5, offset(1e-12));
        assertThat(schedule.factorAt(0.1)).isBetween(1 / 25.0, 1.0);
        assertThat(schedule.factorAt(0.6)).isLessThan(schedule.factorAt(0.4));
    }

    @Test
    void cosineGoesFromOneToTheMinimum() {
        LearningRateSchedule.Cosine schedule = new LearningRateSchedule.Cosine(0.1);
        assertThat(schedule.factorAt(0)).isEqualTo(1.0);
        assertThat(schedule.factorAt(0.5)).isCloseTo(0.55, offset(1e-12));
        assertThat(schedule.factorAt(1)).isCloseTo(0.1, offset(1e-12));
        assertThat(new LearningRateSchedule.Constant().factorAt(0.7)).isEqualTo(1.0);
    }

    @Test
    void flatCosineHoldsTheRateThenAnneals() {
        LearningRateSchedule.FlatCosine schedule = LearningRateSchedule.FlatCosine.fastai();
        assertThat(schedule.factorAt(0)).isEqualTo(1.0);
        assertThat(schedule.factorAt(0.7499)).isEqualTo(1.0);
        assertThat(schedule.factorAt(0.875)).isCloseTo((1 + 1e-5) / 2, offset(1e-12));
        assertThat(schedule.factorAt(1)).isCloseTo(1e-5, offset(1e-12));
        assertThatThrownBy(() -> new LearningRateSchedule.FlatCosine(1, 1e5))
                .hasMessageContaining("FlatCosine.flatFraction must be in [0, 1) but was 1.0");
        assertThatThrownBy(() -> new LearningRateSchedule.FlatCosine(0.5, 0.5))
                .hasMessageContaining("FlatCosine.endDivisor must be >= 1 but was 0.5");
    }

    /** Each schedule is saved in a run's state under its name and read back equal. */
    @Test
    void everyScheduleRoundTripsThroughJson() throws Exception {
        var mapper = new org.nd4j.shade.jackson.databind.ObjectMapper();
        for (LearningRateSchedule schedule : new LearningRateSchedule[] {new LearningRateSchedule.Constant(),
            new LearningRateSchedule.OneCycle(0.3, 10, 1e4), new LearningRateSchedule.Cosine(0.2),
            new LearningRateSchedule.FlatCosine(0.6, 1e3)}) {
            String json = mapper.writeValueAsString(schedule);
            assertThat(mapper.readValue(json, LearningRateSchedule.class)).as(json).isEqualTo(schedule);
        }
    }

    /** The run's first step is progress 0 and its last progress 1; a one-step run's only step is its first. */
    @Test
    void aRunsStepsSpanTheScheduleAndAOneStepRunTakesTheFirstFactor() {
        LearningRateSchedule.OneCycle oneCycle = LearningRateSchedule.OneCycle.fastai();
        StepLearningRates oneStep = new StepLearningRates(Map.of("layer/W", 1e-3), oneCycle, 1);
        assertThat(oneStep.factorAt(0)).as("the only step of a one-step run").isCloseTo(1 / 25.0, offset(1e-12));
        assertThat(oneStep.factorAt(1)).as("a step past the run").isCloseTo(1e-5, offset(1e-12));
        StepLearningRates fiveSteps = new StepLearningRates(Map.of("layer/W", 1e-3), oneCycle, 5);
        assertThat(fiveSteps.factorAt(0)).isCloseTo(1 / 25.0, offset(1e-12));
        assertThat(fiveSteps.factorAt(1)).isCloseTo(1.0, offset(1e-12));
        assertThat(fiveSteps.factorAt(4)).isCloseTo(1e-5, offset(1e-12));
        assertThat(fiveSteps.factorAt(9)).isCloseTo(1e-5, offset(1e-12));
    }

    @Test
    void badParametersAreNamed() {
        assertThatThrownBy(() -> new LearningRateSchedule.OneCycle(1.0, 25, 1e5))
                .hasMessageContaining("OneCycle.warmupFraction must be in [0, 1) but was 1.0");
        assertThatThrownBy(() -> new LearningRateSchedule.OneCycle(0.3, 0.5, 1e5))
                .hasMessageContaining("startDivisor and endDivisor must be >= 1 but were 0.5 and 100000.0");
        assertThatThrownBy(() -> new LearningRateSchedule.Cosine(2))
                .hasMessageContaining("Cosine.minFactor must be in [0, 1] but was 2.0");
        assertThatThrownBy(() -> new EarlyStopping(0, 0)).hasMessageContaining("patience must be >= 1 but was 0");
        assertThatThrownBy(() -> TrainingConfig.of(0, java.nio.file.Path.of("x")))
                .hasMessageContaining("epochs must be >= 1 but was 0");
    }
}
