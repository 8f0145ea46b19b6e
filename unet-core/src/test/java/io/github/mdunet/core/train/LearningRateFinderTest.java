package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.BrightShapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class LearningRateFinderTest {

    /** What a sweep could change: parameters, updater state, counters and configured rates. */
    private record Snapshot(INDArray parameters, INDArray updaterState, int iterations, int epochs,
                            Map<String, Double> rates) {
        static Snapshot of(ComputationGraph graph) {
            return new Snapshot(graph.params().dup(), graph.getUpdater(true).getStateViewArray().dup(),
                    graph.getConfiguration().getIterationCount(), graph.getConfiguration().getEpochCount(),
                    Trainer.learningRates(graph));
        }
    }

    /** A U-Net that has taken two steps, so that its Adam state and iteration count are not the initial ones. */
    private static UNet trainedTwoSteps() {
        UNet unet = TrainerTest.tinyUNet();
        DataSetIterator data = TrainerTest.data(3);
        unet.graph().fit(data.next());
        unet.graph().fit(data.next());
        return unet;
    }

    @Test
    void sweepsTheRateExponentiallyOverSeveralPassesAndPutsTheModelBack() {
        UNet unet = trainedTwoSteps();
        Snapshot before = Snapshot.of(unet.graph());
        AtomicInteger fitted = new AtomicInteger();
        unet.graph().addListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                fitted.incrementAndGet();
            }
        });
        LearningRateFinder.Settings settings = new LearningRateFinder.Settings(1e-5, 1e-1, 12, false);

        // 8 samples in batches of 4: two batches a pass, so 12 steps take six passes.
        LearningRateSweep sweep = new LearningRateFinder(settings).find(unet, TrainerTest.data(1));

        assertThat(fitted).hasValue(12);
        assertThat(sweep.steps()).hasSize(12);
        assertThat(sweep.stop()).isEqualTo(LearningRateSweep.Stop.COMPLETED);
        assertThat(sweep.stopReason()).isEqualTo("all 12 steps done");
        for (int i = 0; i < 12; i++) {
            assertThat(sweep.steps().get(i).rate()).isCloseTo(1e-5 * Math.pow(1e4, i / 12.0), offset(1e-12));
        }
        // Bias-corrected: the first smoothed loss is the first loss; later ones move towards the new losses.
        LearningRateSweep.Step first = sweep.steps().get(0);
        LearningRateSweep.Step second = sweep.steps().get(1);
        assertThat(first.smoothedLoss()).isCloseTo(first.loss(), offset(1e-9));
        assertThat(second.smoothedLoss()).isCloseTo((0.98 * 0.02 * first.loss() + 0.02 * second.loss())
                / (1 - 0.98 * 0.98), offset(1e-9));
        Snapshot after = Snapshot.of(unet.graph());
        assertThat(after.parameters()).isEqualTo(before.parameters());
        assertThat(after.updaterState()).isEqualTo(before.updaterState());
        assertThat(after.iterations()).isEqualTo(before.iterations());
        assertThat(after.epochs()).isEqualTo(before.epochs());
        assertThat(after.rates()).isEqualTo(before.rates());
    }

    /** The swept rate is the highest configured one's; a layer configured at a tenth of it stays at a tenth. */
    @Test
    void keepsTheRatioOfParametersConfiguredBelowTheHighestRate() {
        UNet unet = TrainerTest.tinyUNet();
        ComputationGraph graph = unet.graph();
        Map<String, Double> configured = Trainer.learningRates(graph);
        String slowLayer = graph.getLayers()[0].conf().getLayer().getLayerName();
        Map<String, Double> slower = new HashMap<>(configured);
        slower.replaceAll((key, rate) -> key.startsWith(slowLayer + "/") ? rate / 10 : rate);
        Trainer.applyLearningRates(graph, slower, 1.0);
        List<double[]> slowAndFast = new ArrayList<>();
        graph.addListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                Map<String, Double> now = Trainer.learningRates(graph);
                slowAndFast.add(new double[] {now.get(slowLayer + "/W"), now.get(VertexNames.HEAD + "/W")});
            }
        });
        LearningRateFinder.Settings settings = new LearningRateFinder.Settings(1e-4, 1e-2, 7, false);

        new LearningRateFinder(settings).find(unet, TrainerTest.data(1));

        assertThat(slowAndFast).hasSize(7);
        for (int i = 0; i < 7; i++) {
            assertThat(slowAndFast.get(i)[1]).isCloseTo(settings.rateAt(i), offset(1e-12));
            assertThat(slowAndFast.get(i)[0]).isCloseTo(settings.rateAt(i) / 10, offset(1e-12));
        }
        assertThat(Trainer.learningRates(graph)).isEqualTo(slower);
    }

    /**
     * A frozen layer keeps its wrapped layer's rate in the configuration but trains nothing: the highest trained rate
     * is swept, and a graph frozen whole is refused.
     */
    @Test
    void frozenLayersAreNeitherSweptNorCountedAsTheHighestRate() {
        UNet unet = TrainerTest.tinyUNet();
        ComputationGraph graph = unet.graph();
        String firstLayer = graph.getLayers()[0].conf().getLayer().getLayerName();
        Map<String, Double> configured = Trainer.learningRates(graph);
        Map<String, Double> faster = new HashMap<>(configured);
        faster.replaceAll((key, rate) -> key.startsWith(firstLayer + "/") ? rate * 100 : rate);
        Trainer.applyLearningRates(graph, faster, 1.0);
        ComputationGraph frozenFirst = new TransferLearning.GraphBuilder(graph).setFeatureExtractor(firstLayer)
                .build();
        List<Double> headRates = new ArrayList<>();
        frozenFirst.addListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                headRates.add(Trainer.learningRates(frozenFirst).get(VertexNames.HEAD + "/W"));
            }
        });
        LearningRateFinder.Settings settings = new LearningRateFinder.Settings(1e-4, 1e-2, 7, false);
        INDArray frozenBefore = frozenFirst.getLayer(firstLayer).params().dup();

        new LearningRateFinder(settings).find(unet.withGraph(frozenFirst), TrainerTest.data(1));

        assertThat(headRates).as("the head, not the frozen layer 100 times faster, sweeps the rate").hasSize(7)
                .first().isEqualTo(settings.rateAt(0));
        assertThat(frozenFirst.getLayer(firstLayer).params()).isEqualTo(frozenBefore);

        ComputationGraph frozenWhole = new TransferLearning.GraphBuilder(TrainerTest.tinyUNet().graph())
                .setFeatureExtractor(VertexNames.HEAD).build();
        assertThatThrownBy(() -> new LearningRateFinder(settings).find(unet.withGraph(frozenWhole),
                TrainerTest.data(1))).hasMessageContaining("no parameter of the U-Net has a learning rate to sweep");
    }

    @Test
    void stopsOnceTheSmoothedLossExceedsFourTimesItsLowest() {
        UNet unet = TrainerTest.tinyUNet();
        Snapshot before = Snapshot.of(unet.graph());

        LearningRateSweep sweep = new LearningRateFinder(new LearningRateFinder.Settings(1e-4, 1e8, 100, true))
                .find(unet, TrainerTest.data(1));

        assertThat(sweep.steps()).hasSizeLessThan(100);
        // Adam at 1e4 and more: the losses climb, and the smoothed loss passes four times its lowest before any NaN.
        assertThat(sweep.stop()).isEqualTo(LearningRateSweep.Stop.DIVERGED);
        assertThat(sweep.stopReason()).contains("the smoothed loss diverged");
        double lowest = Double.POSITIVE_INFINITY;
        for (LearningRateSweep.Step step : sweep.steps()) {
            lowest = Math.min(lowest, step.smoothedLoss());
            boolean last = step.step() == sweep.steps().size() - 1;
            assertThat(step.smoothedLoss() > 4 * lowest).as("step %d past four times the lowest", step.step())
                    .isEqualTo(last);
        }
        assertThat(Snapshot.of(unet.graph()).parameters()).isEqualTo(before.parameters());
    }

    /** A NaN loss ends the sweep, unrecorded, and the NaN step's parameters are not kept. */
    @Test
    void stopsAtANonFiniteLossAndPutsBackTheParametersItSpoilt() {
        UNet unet = TrainerTest.tinyUNet();
        Snapshot before = Snapshot.of(unet.graph());
        AtomicInteger batches = new AtomicInteger();
        DataSet data = BrightShapes.generate(8, 16, 1);

        LearningRateSweep sweep = new LearningRateFinder(new LearningRateFinder.Settings(1e-4, 1e-2, 20, true))
                .find(unet, new PoisonedWhen(data, 4, () -> batches.incrementAndGet() > 3));

        assertThat(sweep.steps()).hasSize(3);
        assertThat(sweep.stop()).isEqualTo(LearningRateSweep.Stop.NON_FINITE_LOSS);
        assertThat(sweep.stopReason()).isEqualTo(String.format(Locale.ROOT,
                "the loss became NaN at step 4 (rate %.3g)", new LearningRateFinder.Settings(1e-4, 1e-2, 20, true)
                        .rateAt(3)));
        assertThat(Snapshot.of(unet.graph()).parameters()).isEqualTo(before.parameters());
        assertThat(sweep.suggest(SuggestionMethod.VALLEY)).isEmpty();
    }

    @Test
    void refusesAnIteratorWithoutBatchesAndLeavesTheModelAsItWas() {
        UNet unet = TrainerTest.tinyUNet();
        Snapshot before = Snapshot.of(unet.graph());
        DataSet empty = BrightShapes.generate(8, 16, 1);
        DataSetIterator none = new ViewIterator(empty, 4) {
            @Override
            public boolean hasNext() {
                return false;
            }
        };

        assertThatThrownBy(() -> new LearningRateFinder(LearningRateFinder.Settings.fastai()).find(unet, none))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the training iterator yields no batch");
        assertThat(Snapshot.of(unet.graph()).parameters()).isEqualTo(before.parameters());
    }

    @Test
    void settingsNameTheFieldAndFastaisValues() {
        assertThatThrownBy(() -> new LearningRateFinder.Settings(0, 10, 100, true))
                .hasMessageContaining("0 < startRate < endRate").hasMessageContaining("startRate was 0.0");
        assertThatThrownBy(() -> new LearningRateFinder.Settings(1e-3, 1e-4, 100, true))
                .hasMessageContaining("endRate 1.0E-4");
        assertThatThrownBy(() -> new LearningRateFinder.Settings(1e-7, 10, 6, true))
                .hasMessageContaining("steps must be >= 7").hasMessageContaining("was 6");
        LearningRateFinder.Settings fastai = LearningRateFinder.Settings.fastai();
        assertThat(fastai.rateAt(0)).isEqualTo(1e-7);
        assertThat(fastai.rateAt(50)).isCloseTo(1e-3, offset(1e-15));
    }
}
