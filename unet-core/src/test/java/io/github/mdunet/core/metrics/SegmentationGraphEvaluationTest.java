package io.github.mdunet.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.loss.DiceLoss;
import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import io.github.mdunet.core.testing.LossGraphs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.InvocationType;
import org.deeplearning4j.optimize.listeners.EvaluativeListener;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The evaluation plugged into DL4J: {@code ComputationGraph.doEvaluation} / {@code evaluate(iterator, map)} on a
 * tiny graph ending in a {@code CnnLossLayer} (which hands over [N, K, H, W] labels, outputs and label masks),
 * {@link SegmentationScoreCalculator} for early stopping, and {@code EvaluativeListener} during {@code fit}.
 */
class SegmentationGraphEvaluationTest extends DoubleOneThreadTestBase {

    private static final int HEIGHT = 3;
    private static final int WIDTH = 4;
    private static final int CLASSES = 3;

    private static ComputationGraph graph(int classes, Activation activation) {
        ComputationGraphConfiguration configuration = LossGraphs.convolutionThenLoss(
                LossGraphs.settings(new Adam(0.05)),
                InputType.convolutional(HEIGHT, WIDTH, 2), "logits", classes, new DiceLoss(null, 1.0, HEIGHT * WIDTH),
                activation);
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init();
        return graph;
    }

    /** Two minibatches of two examples; the class of a pixel is a function of the input so it can be learned. */
    private static List<DataSet> batches(int classes, boolean withLabelMask) {
        Nd4j.getRandom().setSeed(99);
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            INDArray features = Nd4j.randn(DataType.DOUBLE, 2, 2, HEIGHT, WIDTH);
            INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, classes, HEIGHT, WIDTH);
            for (int n = 0; n < 2; n++) {
                for (int h = 0; h < HEIGHT; h++) {
                    for (int w = 0; w < WIDTH; w++) {
                        double a = features.getDouble(n, 0, h, w);
                        int k = classes == 1 ? 0 : a < -0.4 ? 0 : a < 0.4 ? 1 : 2;
                        labels.putScalar(new long[] {n, k, h, w}, classes == 1 ? (a > 0 ? 1 : 0) : 1.0);
                    }
                }
            }
            INDArray mask = null;
            if (withLabelMask) {
                mask = Nd4j.ones(DataType.DOUBLE, 2, 1, HEIGHT, WIDTH);
                mask.putScalar(new long[] {0, 0, 0, 0}, 0.0);
                mask.putScalar(new long[] {1, 0, 2, 3}, 0.0);
            }
            batches.add(new DataSet(features, labels, null, mask));
        }
        return batches;
    }

    private static SegmentationEvaluation byHand(ComputationGraph graph, List<DataSet> batches, int classes) {
        SegmentationEvaluation expected = new SegmentationEvaluation(classes == 1 ? 2 : classes);
        for (DataSet batch : batches) {
            expected.eval(batch.getLabels(), graph.outputSingle(batch.getFeatures()), batch.getLabelsMaskArray());
        }
        return expected;
    }

    @Test
    void doEvaluationOnACnnLossLayerGraphEqualsEvaluatingItsOutputs() {
        ComputationGraph graph = graph(CLASSES, Activation.SOFTMAX);
        List<DataSet> batches = batches(CLASSES, false);

        SegmentationEvaluation evaluation = graph.doEvaluation(new ExistingDataSetIterator(batches),
                new SegmentationEvaluation())[0];

        assertThat(evaluation.countedPixels()).isEqualTo(2 * 2 * HEIGHT * WIDTH);
        assertThat(evaluation.confusionMatrix()).isDeepEqualTo(byHand(graph, batches, CLASSES).confusionMatrix());

        Map<Integer, IEvaluation[]> perOutput = graph.evaluate(new ExistingDataSetIterator(batches),
                Map.of(0, new IEvaluation[] {new SegmentationEvaluation(CLASSES)}));
        assertThat(((SegmentationEvaluation) perOutput.get(0)[0]).confusionMatrix())
                .isDeepEqualTo(evaluation.confusionMatrix());
    }

    @Test
    void labelMasksAndSigmoidOutputsPassThroughDoEvaluation() {
        ComputationGraph graph = graph(1, Activation.SIGMOID);
        List<DataSet> batches = batches(1, true);

        SegmentationEvaluation evaluation = graph.doEvaluation(new ExistingDataSetIterator(batches),
                new SegmentationEvaluation())[0];

        assertThat(evaluation.numClasses()).isEqualTo(2);
        assertThat(evaluation.countedPixels()).as("two masked pixels per batch").isEqualTo(2 * (2 * 12 - 2));
        assertThat(evaluation.confusionMatrix()).isDeepEqualTo(byHand(graph, batches, 1).confusionMatrix());
    }

    @Test
    void scoreCalculatorAndEvaluativeListenerReportTheMetric() {
        ComputationGraph graph = graph(CLASSES, Activation.SOFTMAX);
        List<DataSet> batches = batches(CLASSES, false);
        SegmentationScoreCalculator calculator = new SegmentationScoreCalculator(
                SegmentationEvaluation.Metric.MEAN_IOU, new SegmentationEvaluation(CLASSES),
                new ExistingDataSetIterator(batches));
        double before = calculator.calculateScore(graph);
        assertThat(before).isCloseTo(byHand(graph, batches, CLASSES).meanIoU(), within(1e-12));
        assertThat(calculator.minimizeScore()).isFalse();

        AtomicReference<Double> reported = new AtomicReference<>();
        EvaluativeListener listener = new EvaluativeListener(new ExistingDataSetIterator(batches), 1,
                InvocationType.EPOCH_END, new SegmentationEvaluation(CLASSES));
        listener.setCallback((l, model, count, evaluations) -> reported.set(
                evaluations[0].getValue(SegmentationEvaluation.Metric.PIXEL_ACCURACY)));
        graph.setListeners(listener);
        for (int epoch = 0; epoch < 10; epoch++) {
            graph.fit(new ExistingDataSetIterator(batches));
        }

        double after = calculator.calculateScore(graph);
        assertThat(reported.get()).isCloseTo(byHand(graph, batches, CLASSES).pixelAccuracy(), within(1e-12));
        assertThat(after).as("training on the Dice loss raises mean IoU").isGreaterThan(before);
    }
}
