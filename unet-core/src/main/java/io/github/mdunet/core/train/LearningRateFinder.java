package io.github.mdunet.core.train;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeOutOfMemoryError;
import io.github.mdunet.core.optim.HalfPrecisionUpdaters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The learning-rate range test (Leslie Smith; fastai's {@code lr_find}): trains a U-Net on its training batches with
 * the learning rate growing exponentially, step {@code i} at {@code startRate * (endRate / startRate)^(i / steps)},
 * records each step's loss, and stops after {@code steps} steps or once the smoothed loss exceeds four times its
 * lowest. Read the rate off the {@link LearningRateSweep} with a {@link SuggestionMethod}.
 *
 * <p>The rate swept is that of the parameters at the model's highest configured rate (the decoder's; what an app's
 * {@code --learning-rate} sets); parameters configured lower, such as an encoder unfrozen at a tenth of the rate,
 * keep their ratio to it. The training iterator is reset first and again whenever it runs out, so a short epoch is
 * passed over more than once.
 *
 * <p>The U-Net is left as it was, also when the sweep throws: its parameters (batch-norm statistics included), its
 * updater's state, its iteration and epoch counts and its configured learning rates are put back, as fastai reloads
 * the model it saved before the test.
 */
public final class LearningRateFinder {

    /** The smoothed loss's factor in the moving average of the losses (fastai's {@code AvgSmoothLoss}). */
    static final double SMOOTHING = 0.98;
    /** The sweep stops once the smoothed loss exceeds this many times its lowest. */
    static final double DIVERGENCE_FACTOR = 4;

    private final Settings settings;

    public LearningRateFinder(Settings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must be set, e.g. LearningRateFinder.Settings.fastai()");
        }
        this.settings = settings;
    }

    /**
     * The sweep's range and length.
     *
     * @param startRate        the first step's rate, > 0 (fastai: 1e-7)
     * @param endRate          the rate the sweep grows towards, > startRate; the last step runs just below it
     *                         (fastai: 10)
     * @param steps            the steps to take unless the loss diverges first, >= 7 (fastai: 100, at least 6)
     * @param stopOnDivergence stop once the smoothed loss exceeds four times its lowest (fastai: true)
     */
    public record Settings(double startRate, double endRate, int steps, boolean stopOnDivergence) {

        public Settings {
            if (!(startRate > 0) || !(endRate > startRate) || Double.isInfinite(endRate)) {
                throw new IllegalArgumentException("LearningRateFinder.Settings needs 0 < startRate < endRate (finite)"
                        + " but startRate was " + startRate + " and endRate " + endRate + "; fastai sweeps 1e-7 to 10");
            }
            if (steps < LearningRateSweep.stepsNeeded(steps)) {
                throw new IllegalArgumentException("LearningRateFinder.Settings.steps must be >= "
                        + LearningRateSweep.stepsNeeded(0) + " (the suggestions leave out the first tenth and the last"
                        + " five steps and read at least two) but was " + steps + "; fastai takes 100");
            }
        }

        /** fastai's defaults: 1e-7 to 10 over 100 steps, stopping when the loss diverges. */
        public static Settings fastai() {
            return new Settings(1e-7, 10, 100, true);
        }

        /** The rate of step {@code step} (0 is the first). */
        public double rateAt(int step) {
            return startRate * Math.pow(endRate / startRate, (double) step / steps);
        }
    }

    /**
     * Sweeps the learning rate on {@code unet} with {@code train}'s batches and puts {@code unet} back as it was.
     *
     * @throws IllegalArgumentException when {@code train} yields no batch, no parameter has a learning rate (e.g. an
     *                                  encoder frozen whole and no decoder), the updater cannot train the
     *                                  configuration's HALF data type, or an updater has a learning-rate schedule
     *                                  of its own ({@code ISchedule}; as {@link Trainer#fit} refuses it), before
     *                                  anything is done; when a batch is not of the configured input's height and
     *                                  width ({@link TrainingBatches})
     * @throws NativeOutOfMemoryError   when a step runs out of native memory
     */
    public LearningRateSweep find(UNet unet, DataSetIterator train) {
        HalfPrecisionUpdaters.requireTrainable(unet.config().updater(), unet.config().dataType());
        UpdaterSchedules.requireFixedRates(unet, "the learning-rate finder sets each step's rate itself, sweeping it"
                + " from its startRate to its endRate");
        ComputationGraph graph = unet.graph();
        Map<String, Double> baseRates = Trainer.learningRates(graph);
        Map<String, Double> sweptRates = trainedRates(graph, baseRates);
        if (sweptRates.isEmpty()) {
            throw new IllegalArgumentException("no parameter of the U-Net has a learning rate to sweep (every layer"
                    + " frozen or with a NoOp updater); unfreeze the decoder first");
        }
        double highestRate = Collections.max(sweptRates.values());
        ModelState before = ModelState.of(graph);
        try {
            return sweep(unet, train, sweptRates, highestRate);
        } finally {
            before.restore(graph);
            Trainer.applyLearningRates(graph, baseRates, 1.0);
        }
    }

    private LearningRateSweep sweep(UNet unet, DataSetIterator train, Map<String, Double> baseRates,
                                    double highestRate) {
        ComputationGraph graph = unet.graph();
        List<LearningRateSweep.Step> steps = new ArrayList<>();
        double average = 0;
        double lowest = Double.POSITIVE_INFINITY;
        int batchesThisPass = 0;
        train.reset();
        while (steps.size() < settings.steps()) {
            if (!train.hasNext()) {
                if (batchesThisPass == 0) {
                    throw new IllegalArgumentException("the training iterator yields no batch: the learning-rate"
                            + " finder trains on its batches");
                }
                train.reset();
                batchesThisPass = 0;
                continue;
            }
            DataSet batch = train.next();
            batchesThisPass++;
            TrainingBatches.requireInputSize(unet.config(), batch, "learning-rate finder batch " + batchesThisPass);
            int step = steps.size();
            double rate = settings.rateAt(step);
            Trainer.applyLearningRates(graph, baseRates, rate / highestRate);
            double loss = SequentialFitter.fitStep(unet, batch);
            if (!Double.isFinite(loss)) {
                return new LearningRateSweep(steps, settings.steps(), LearningRateSweep.Stop.NON_FINITE_LOSS,
                        String.format(Locale.ROOT, "the loss became %s at step %d (rate %.3g)", loss, step + 1, rate));
            }
            average = SMOOTHING * average + (1 - SMOOTHING) * loss;
            double smoothed = average / (1 - Math.pow(SMOOTHING, step + 1));
            steps.add(new LearningRateSweep.Step(step, rate, loss, smoothed));
            lowest = Math.min(lowest, smoothed);
            if (settings.stopOnDivergence() && smoothed > DIVERGENCE_FACTOR * lowest) {
                return new LearningRateSweep(steps, settings.steps(), LearningRateSweep.Stop.DIVERGED,
                        String.format(Locale.ROOT, "the smoothed loss diverged (%.4g, over %.0f times its lowest"
                                + " %.4g) at step %d (rate %.3g)", smoothed, DIVERGENCE_FACTOR, lowest, step + 1,
                                rate));
            }
        }
        return new LearningRateSweep(steps, settings.steps(), LearningRateSweep.Stop.COMPLETED,
                "all " + settings.steps() + " steps done");
    }

    /**
     * The rates of {@code rates} whose layers train: a frozen layer (DL4J's {@code FrozenLayer}, also behind
     * {@code FrozenLayerWithBackprop}) keeps the rate of the layer it wraps, but its updater is a NoOp.
     */
    private static Map<String, Double> trainedRates(ComputationGraph graph, Map<String, Double> rates) {
        Set<String> frozen = new HashSet<>();
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop) {
                frozen.add(layer.conf().getLayer().getLayerName() + "/");
            }
        }
        Map<String, Double> trained = new HashMap<>(rates);
        trained.keySet().removeIf(key -> frozen.stream().anyMatch(key::startsWith));
        return trained;
    }

    /** What training changes in a graph besides its learning rates, copied so that it can be put back. */
    private record ModelState(INDArray parameters, INDArray updaterState, int iterationCount, int epochCount) {

        static ModelState of(ComputationGraph graph) {
            ComputationGraphUpdater updater = graph.getUpdater(true);
            INDArray state = updater.getStateViewArray();
            return new ModelState(graph.params().dup(), state == null ? null : state.dup(),
                    graph.getConfiguration().getIterationCount(), graph.getConfiguration().getEpochCount());
        }

        void restore(ComputationGraph graph) {
            graph.params().assign(parameters);
            if (updaterState != null) {
                graph.getUpdater(true).getStateViewArray().assign(updaterState);
            }
            graph.getConfiguration().setIterationCount(iterationCount);
            graph.getConfiguration().setEpochCount(epochCount);
        }
    }
}
