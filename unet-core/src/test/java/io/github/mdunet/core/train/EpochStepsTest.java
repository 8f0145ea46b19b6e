package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** Steps numbered by their batch's place in the epoch, as data-parallel workers number them. */
class EpochStepsTest {

    private final ComputationGraph graph = TrainerTest.tinyUNet().graph();
    private final Map<String, Double> configured = Trainer.learningRates(graph);
    /** A run of 2 epochs of 4 batches; the epoch below is the second, steps 4 to 7 of the run. */
    private final StepLearningRates rates = new StepLearningRates(configured, LearningRateSchedule.OneCycle.fastai(),
            8);

    @Test
    void aNumberedStepGetsTheRateOfItsPlaceInTheRunWhicheverComesFirst() {
        EpochSteps steps = new EpochSteps(2, 4, rates, null, "");
        steps.beforeStep(graph, 3);
        assertRates(7);
        steps.beforeStep(graph, 1);
        assertRates(5);
        assertThat(steps.lastFactor()).as("the factor of the epoch's last step, not of the last call")
                .isEqualTo(rates.factorAt(7));
    }

    @Test
    void unnumberedStepsTakeTheEpochsStepsInTurn() {
        EpochSteps steps = new EpochSteps(2, 4, rates, null, "");
        steps.beforeStep(graph);
        assertRates(4);
        steps.beforeStep(graph);
        assertRates(5);
    }

    @Test
    void aNegativeStepIsRefusedNamingIt() {
        EpochSteps steps = new EpochSteps(2, 4, rates, null, "");
        assertThatThrownBy(() -> steps.beforeStep(graph, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epochStep must be >= 0").hasMessageContaining("but was -1");
    }

    /** A short last batch counts by its samples: losses 1.0 and 2.0 on 4 samples each, then 4.0 on 2. */
    @Test
    void theEpochsLossIsTheMeanOverItsSamples() {
        EpochSteps steps = new EpochSteps(2, 4, rates, null, "");
        steps.afterStep(1.0, 4);
        steps.afterStep(2.0, 4);
        steps.afterStep(4.0, 2);

        assertThat(steps.meanLoss()).isCloseTo((4 * 1.0 + 4 * 2.0 + 2 * 4.0) / 10, offset(1e-12));
        assertThat(steps.steps()).isEqualTo(3);
        assertThatThrownBy(() -> steps.afterStep(1.0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize must be >= 1").hasMessageContaining("but was 0");
    }

    private void assertRates(long runStep) {
        double factor = rates.factorAt(runStep);
        assertThat(Trainer.learningRates(graph)).as("rates at step %s of the run", runStep).hasSameSizeAs(configured)
                .allSatisfy((param, rate) -> assertThat(rate).as(param)
                        .isCloseTo(configured.get(param) * factor, offset(1e-12)));
    }
}
