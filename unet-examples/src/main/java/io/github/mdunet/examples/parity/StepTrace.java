package io.github.mdunet.examples.parity;

import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.loss.PixelMeanLoss;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.train.LearningRateSchedule;
import io.github.mdunet.core.train.Monitor;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.core.train.TrainingConfig;
import io.github.mdunet.core.train.Validator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;

/**
 * What this project's trainer does in a few steps on fixed batches, in the reference's units and keys
 * ({@link ReferenceCase#EXPECTED}): {@code step<k>.loss} as the cross-entropy averaged over pixels,
 * {@code step<k>.lr}, {@code grad1.<vertex>.<param>} as the gradient of that mean loss, the parameters after the last
 * step, Adam's {@code adam.<vertex>.<param>.m} and {@code .v} rescaled to that mean loss, and
 * {@code eval.logits}, the head's output in inference mode on the first batch after the last step.
 *
 * <p>The scale: DL4J's updater divides by the batch size; a U-Net whose loss averages over pixels
 * ({@link PixelMeanLoss}) then has the reference's loss and gradients, while one saved with DL4J's plain per-pixel
 * loss (earlier versions) sums over each example's {@code P} pixels: its loss, gradients and Adam's first moment
 * carry the factor {@code P}, the second moment {@code P^2}, and are divided by them here.
 */
public final class StepTrace {

    /** The end of each step's loss key, {@code step<k>.loss}. */
    static final String LOSS_SUFFIX = ".loss";
    /** The end of each step's learning-rate key, {@code step<k>.lr}. */
    static final String LEARNING_RATE_SUFFIX = ".lr";
    /** The start of the first step's gradient keys, {@code grad1.<vertex>.<param>}. */
    static final String GRADIENT_PREFIX = "grad1.";
    /** The start of Adam's moment keys, {@code adam.<vertex>.<param>.m} and {@code .v}. */
    static final String ADAM_PREFIX = "adam.";
    /** The end of Adam's first-moment keys. */
    static final String FIRST_MOMENT_SUFFIX = ".m";
    /** The end of Adam's second-moment keys. */
    static final String SECOND_MOMENT_SUFFIX = ".v";
    /** The start of the keys measured in inference mode after the last step. */
    static final String EVAL_PREFIX = "eval.";
    /** The head's output in inference mode on the first batch after the last step. */
    static final String LOGITS = EVAL_PREFIX + "logits";

    private StepTrace() {
    }

    /** The key of step {@code step} (from 1) that ends in {@code suffix}, e.g. {@code step1.loss}. */
    static String stepKey(int step, String suffix) {
        return "step" + step + suffix;
    }

    /**
     * Trains {@code unet} (changed in place) on {@code batches}, one step each, as one epoch of the project's
     * {@link Trainer} under {@code schedule}, and returns the trace.
     */
    public static Map<String, INDArray> run(UNet unet, List<DataSet> batches, LearningRateSchedule schedule,
                                            Path workDirectory) throws IOException {
        ComputationGraph graph = unet.graph();
        long pixels = summedPixels(unet);
        Map<String, INDArray> trace = new LinkedHashMap<>(firstGradients(graph, batches.get(0), pixels));
        Recorder recorder = new Recorder(graph);
        var previousListeners = new ArrayList<>(graph.getListeners());
        graph.addListeners(recorder);
        TrainingConfig training = new TrainingConfig(1, schedule, Monitor.minimize(Validator.LOSS), Optional.empty(),
                workDirectory, 0, false);
        try {
            int batchSize = (int) batches.get(0).getFeatures().size(0);
            new Trainer(training, Validator.loss()).fit(unet, new ViewIterator(DataSet.merge(batches), batchSize),
                    new ViewIterator(batches.get(0), batchSize));
        } finally {
            graph.setListeners(previousListeners);
        }
        for (int k = 0; k < recorder.losses.size(); k++) {
            trace.put(stepKey(k + 1, LOSS_SUFFIX), scalar(recorder.losses.get(k) / pixels));
            trace.put(stepKey(k + 1, LEARNING_RATE_SUFFIX), scalar(recorder.rates.get(k)));
        }
        trace.putAll(ReferenceTensors.parameters(graph));
        trace.putAll(adamState(graph, pixels));
        trace.put(LOGITS, graph.feedForward(batches.get(0).getFeatures(), false).get(VertexNames.HEAD)
                .castTo(DataType.FLOAT));
        return trace;
    }

    /**
     * How many pixels per example the score sums: 1 when the output layer averages over pixels
     * ({@link PixelMeanLoss}), else the output's height times width (DL4J's plain per-pixel losses sum).
     */
    static long summedPixels(UNet unet) {
        var output = (CnnLossLayer) ((LayerVertex) unet.graph().getConfiguration().getVertices()
                .get(VertexNames.OUTPUT)).getLayerConf().getLayer();
        return output.getLossFn() instanceof PixelMeanLoss ? 1
                : (long) unet.config().input().height() * unet.config().input().width();
    }

    /** The gradients of the first batch, rescaled to the per-pixel mean loss, under the reference's keys. */
    private static Map<String, INDArray> firstGradients(ComputationGraph graph, DataSet batch, long pixels) {
        ComputationGraph copy = graph.clone();
        copy.setInputs(batch.getFeatures());
        copy.setLabels(batch.getLabels());
        copy.computeGradientAndScore();
        double scale = 1.0 / (batch.getFeatures().size(0) * pixels);
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        for (Layer layer : copy.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            for (String param : layer.paramTable().keySet()) {
                INDArray gradient = copy.gradient().getGradientFor(name + "_" + param);
                if (gradient != null && layer.conf().getLayer().getUpdaterByParam(param).hasLearningRate()) {
                    gradients.put(GRADIENT_PREFIX + ReferenceTensors.parameterKey(name, param),
                            gradient.castTo(DataType.FLOAT).mul(scale).reshape(layer.getParam(param).shape()));
                }
            }
        }
        return gradients;
    }

    /** Adam's moments of every trained parameter, rescaled to the per-pixel mean loss. */
    private static Map<String, INDArray> adamState(ComputationGraph graph, long pixels) {
        Map<String, INDArray> state = new LinkedHashMap<>();
        for (UpdaterBlock block : graph.getUpdater().getUpdaterBlocks()) {
            if (!(block.getGradientUpdater() instanceof AdamUpdater adam)) {
                continue;
            }
            for (UpdaterBlock.ParamState param : block.getLayersAndVariablesInBlock()) {
                long from = param.getParamOffsetStart() - block.getParamOffsetStart();
                long to = param.getParamOffsetEnd() - block.getParamOffsetStart();
                Trainable layer = param.getLayer();
                String name = layer.getConfig().getLayerName();
                String key = ADAM_PREFIX + ReferenceTensors.parameterKey(name, param.getParamName());
                long[] shape = graph.getLayer(name).getParam(param.getParamName()).shape();
                state.put(key + FIRST_MOMENT_SUFFIX, slice(adam.getM(), from, to).div(pixels).reshape(shape));
                state.put(key + SECOND_MOMENT_SUFFIX, slice(adam.getV(), from, to).div((double) pixels * pixels)
                        .reshape(shape));
            }
        }
        return state;
    }

    private static INDArray slice(INDArray row, long from, long to) {
        return row.reshape(row.length()).get(NDArrayIndex.interval(from, to)).castTo(DataType.FLOAT).dup();
    }

    private static INDArray scalar(double value) {
        return org.nd4j.linalg.factory.Nd4j.createFromArray((float) value);
    }

    /** Records each step's score and the learning rate its updater used. */
    private static final class Recorder extends BaseTrainingListener {
        private final List<Double> losses = new ArrayList<>();
        private final List<Double> rates = new ArrayList<>();
        private final ComputationGraph graph;

        Recorder(ComputationGraph graph) {
            this.graph = graph;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            losses.add(model.score());
            var block = graph.getUpdater().getUpdaterBlocks().get(0);
            rates.add(block.getGradientUpdater().getConfig().getLearningRate(iteration, epoch));
        }
    }
}
