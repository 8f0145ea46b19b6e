package io.github.mdunet.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Confusion matrices and metrics against hand computations on tiny [N, K, H, W] arrays. */
class SegmentationEvaluationTest extends DoubleOneThreadTestBase {

    /**
     * One 2 x 3 image, K = 3. Actual classes [[0, 1, 2], [2, 1, 0]], predicted [[0, 1, 1], [2, 2, 0]]: confusion
     * [[2, 0, 0], [0, 1, 1], [0, 1, 1]]; IoU 1, 1/3, 1/3; Dice 1, 1/2, 1/2; pixel accuracy 4/6.
     */
    private static final int[][] ACTUAL = {{0, 1, 2}, {2, 1, 0}};
    private static final int[][] PREDICTED = {{0, 1, 1}, {2, 2, 0}};

    /** {@code [1, K, H, W]}: one-hot of the classes, or soft probabilities peaking at them. */
    static INDArray nchw(int[][] classes, int numClasses, boolean soft) {
        INDArray out = Nd4j.zeros(DataType.DOUBLE, 1, numClasses, classes.length, classes[0].length);
        for (int h = 0; h < classes.length; h++) {
            for (int w = 0; w < classes[0].length; w++) {
                for (int k = 0; k < numClasses; k++) {
                    double value = k == classes[h][w] ? 1.0 : 0.0;
                    if (soft) {
                        value = k == classes[h][w] ? 0.5 : 0.5 / (numClasses - 1);
                    }
                    out.putScalar(new long[] {0, k, h, w}, value);
                }
            }
        }
        return out;
    }

    static SegmentationEvaluation handExample() {
        SegmentationEvaluation evaluation = new SegmentationEvaluation();
        evaluation.eval(nchw(ACTUAL, 3, false), nchw(PREDICTED, 3, true));
        return evaluation;
    }

    /** The table reads the same on every machine: a German default locale printed 0,5556. */
    @Test
    void statsPrintTheSameNumbersWhateverTheDefaultLocale() {
        java.util.Locale original = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.GERMANY);
        try {
            assertThat(handExample().stats()).contains("0.5556").doesNotContain("0,5556");
        } finally {
            java.util.Locale.setDefault(original);
        }
    }

    @Test
    void confusionMatrixAndMetricsMatchHandComputation() {
        SegmentationEvaluation evaluation = handExample();

        assertThat(evaluation.numClasses()).isEqualTo(3);
        assertThat(evaluation.confusionMatrix()).isDeepEqualTo(new long[][] {{2, 0, 0}, {0, 1, 1}, {0, 1, 1}});
        assertThat(evaluation.countedPixels()).isEqualTo(6);
        assertThat(evaluation.iou(0)).isEqualTo(1.0);
        assertThat(evaluation.iou(1)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(evaluation.iou(2)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(evaluation.dice(1)).isEqualTo(0.5);
        assertThat(evaluation.meanIoU()).isCloseTo(5.0 / 9, within(1e-12));
        assertThat(evaluation.meanDice()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(evaluation.pixelAccuracy()).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(evaluation.meanClassAccuracy()).isCloseTo((1 + 0.5 + 0.5) / 3, within(1e-12));
        assertThat(evaluation.frequencyWeightedIoU()).isCloseTo((2 * 1 + 2 / 3.0 + 2 / 3.0) / 6, within(1e-12));

        assertThat(evaluation.getValue(SegmentationEvaluation.Metric.MEAN_IOU)).isEqualTo(evaluation.meanIoU());
        assertThat(evaluation.getValue(SegmentationEvaluation.Metric.MEAN_DICE)).isEqualTo(evaluation.meanDice());
        assertThat(evaluation.getValue(SegmentationEvaluation.Metric.PIXEL_ACCURACY))
                .isEqualTo(evaluation.pixelAccuracy());
        assertThat(evaluation.getValue(SegmentationEvaluation.Metric.MEAN_CLASS_ACCURACY))
                .isEqualTo(evaluation.meanClassAccuracy());
        assertThat(evaluation.getValue(SegmentationEvaluation.Metric.FREQUENCY_WEIGHTED_IOU))
                .isEqualTo(evaluation.frequencyWeightedIoU());
    }

    /** Actual 0 0 0 1 1 2, predicted 0 1 1 1 2 2: precision reads the columns, recall the rows. */
    @Test
    void precisionAndRecallPerClassMatchHandComputation() {
        int[] actual = {0, 0, 0, 1, 1, 2};
        int[] predicted = {0, 1, 1, 1, 2, 2};
        SegmentationEvaluation evaluation = new SegmentationEvaluation(4);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, actual.length, 4);
        INDArray predictions = Nd4j.zeros(DataType.FLOAT, actual.length, 4);
        for (int i = 0; i < actual.length; i++) {
            labels.putScalar(i, actual[i], 1);
            predictions.putScalar(i, predicted[i], 1);
        }
        evaluation.eval(labels, predictions);

        assertThat(evaluation.precision(0)).isEqualTo(1.0);
        assertThat(evaluation.recall(0)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(evaluation.precision(1)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(evaluation.recall(1)).isEqualTo(0.5);
        assertThat(evaluation.precision(2)).isEqualTo(0.5);
        assertThat(evaluation.recall(2)).isEqualTo(1.0);
        assertThat(evaluation.precision(3)).as("never predicted").isNaN();
        assertThat(evaluation.recall(3)).as("never labelled").isNaN();
        assertThat(evaluation.stats()).contains("Precision", "Recall");
    }

    @Test
    void backgroundCanBeLeftOutOfTheMeans() {
        SegmentationEvaluation evaluation = new SegmentationEvaluation(3, null, false, 0.5);
        evaluation.eval(nchw(ACTUAL, 3, false), nchw(PREDICTED, 3, false));
        assertThat(evaluation.meanIoU()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(evaluation.meanDice()).isCloseTo(0.5, within(1e-12));
        assertThat(evaluation.pixelAccuracy()).as("accuracy counts every pixel").isCloseTo(4.0 / 6, within(1e-12));
    }

    @Test
    void classesAbsentFromLabelsAndPredictionsAreLeftOutOfTheMeans() {
        SegmentationEvaluation evaluation = new SegmentationEvaluation(4);
        evaluation.eval(nchw(ACTUAL, 4, false), nchw(PREDICTED, 4, false));
        assertThat(evaluation.iou(3)).isNaN();
        assertThat(evaluation.dice(3)).isNaN();
        assertThat(evaluation.meanIoU()).isCloseTo(5.0 / 9, within(1e-12));

        // class 2 predicted but never labelled: IoU 0, and it counts in the mean
        SegmentationEvaluation falsePositiveOnly = new SegmentationEvaluation(3);
        falsePositiveOnly.eval(nchw(new int[][] {{0, 0}}, 3, false), nchw(new int[][] {{0, 2}}, 3, false));
        assertThat(falsePositiveOnly.iou(2)).isEqualTo(0.0);
        assertThat(falsePositiveOnly.iou(1)).isNaN();
        assertThat(falsePositiveOnly.meanIoU()).isCloseTo((0.5 + 0.0) / 2, within(1e-12));
        assertThat(falsePositiveOnly.meanClassAccuracy()).as("only labelled classes").isCloseTo(0.5, within(1e-12));
    }

    @Test
    void sigmoidOutputWithOneChannelIsTwoClassesThresholded() {
        INDArray labels = Nd4j.createFromArray(new double[] {1, 0, 1, 0, 1, 1}).reshape(1, 1, 2, 3);
        INDArray predictions = Nd4j.createFromArray(new double[] {0.9, 0.6, 0.4, 0.1, 0.5, 0.7}).reshape(1, 1, 2, 3);
        SegmentationEvaluation evaluation = new SegmentationEvaluation();
        evaluation.eval(labels, predictions);
        // actual 1 -> predicted 1 at 0.9, 0.5, 0.7; predicted 0 at 0.4. actual 0 -> predicted 1 at 0.6, 0 at 0.1.
        assertThat(evaluation.confusionMatrix()).isDeepEqualTo(new long[][] {{1, 1}, {1, 3}});
        assertThat(evaluation.iou(1)).isCloseTo(3.0 / 5, within(1e-12));

        SegmentationEvaluation strict = new SegmentationEvaluation(2, List.of("background", "object"), true, 0.8);
        strict.eval(labels, predictions);
        assertThat(strict.confusionMatrix()).isDeepEqualTo(new long[][] {{2, 0}, {3, 1}});
        assertThat(strict.stats()).contains("background", "object");
    }

    @Test
    void voidPixelsAndMaskedPixelsAreNotCounted() {
        INDArray labels = nchw(ACTUAL, 3, false);
        labels.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.point(2)).assign(0);
        SegmentationEvaluation withVoid = new SegmentationEvaluation();
        withVoid.eval(labels, nchw(PREDICTED, 3, false));
        assertThat(withVoid.confusionMatrix()).isDeepEqualTo(new long[][] {{2, 0, 0}, {0, 1, 1}, {0, 0, 1}});

        INDArray mask = Nd4j.ones(DataType.DOUBLE, 1, 1, 2, 3);
        mask.putScalar(new long[] {0, 0, 0, 2}, 0.0);
        SegmentationEvaluation masked = new SegmentationEvaluation();
        masked.eval(nchw(ACTUAL, 3, false), nchw(PREDICTED, 3, false), mask);
        assertThat(masked.confusionMatrix()).isEqualTo(withVoid.confusionMatrix());

        SegmentationEvaluation allMasked = new SegmentationEvaluation(3);
        allMasked.eval(nchw(ACTUAL, 3, false), nchw(PREDICTED, 3, false), mask.mul(0));
        assertThat(allMasked.countedPixels()).isZero();
        assertThat(allMasked.meanIoU()).isNaN();
        assertThat(allMasked.pixelAccuracy()).isNaN();
    }

    @Test
    void flattenedRowsGiveTheSameResultAsNchw() {
        Nd4j.getRandom().setSeed(17);
        INDArray predictions = Nd4j.rand(DataType.DOUBLE, 2, 4, 3, 5);
        INDArray labels = randomOneHot(2, 4, 3, 5);
        SegmentationEvaluation fromNchw = new SegmentationEvaluation();
        fromNchw.eval(labels, predictions);
        SegmentationEvaluation fromRows = new SegmentationEvaluation();
        fromRows.eval(toRows(labels), toRows(predictions));
        assertThat(fromRows).isEqualTo(fromNchw);
        assertThat(fromRows.countedPixels()).isEqualTo(30);

        // and the pixel accuracy equals DL4J's own Evaluation accuracy on the same arrays
        Evaluation dl4j = new Evaluation();
        dl4j.eval(labels, predictions);
        assertThat(fromNchw.pixelAccuracy()).isCloseTo(dl4j.accuracy(), within(1e-12));

        INDArray rowMask = Nd4j.ones(DataType.DOUBLE, 30, 1);
        rowMask.putScalar(3, 0, 0.0);
        SegmentationEvaluation maskedRows = new SegmentationEvaluation();
        maskedRows.eval(toRows(labels), toRows(predictions), rowMask);
        assertThat(maskedRows.countedPixels()).isEqualTo(29);

        // A fractional weight counts its row on either path (DL4J's row extraction took row 0 in its place).
        INDArray weights = Nd4j.ones(DataType.DOUBLE, 2, 1, 3, 5);
        weights.putScalar(new long[] {0, 0, 0, 1}, 0.5);
        weights.putScalar(new long[] {0, 0, 0, 2}, 0.0);
        SegmentationEvaluation weightedNchw = new SegmentationEvaluation();
        weightedNchw.eval(labels, predictions, weights);
        SegmentationEvaluation weightedRows = new SegmentationEvaluation();
        weightedRows.eval(toRows(labels), toRows(predictions), toRows(weights));
        assertThat(weightedRows.countedPixels()).isEqualTo(29);
        assertThat(weightedRows.confusionMatrix()).isDeepEqualTo(weightedNchw.confusionMatrix());
    }

    /** One-hot {@code [n, k, h, w]} of classes drawn from ND4J's (seeded) random generator. */
    static INDArray randomOneHot(int n, int k, int h, int w) {
        INDArray classes = Nd4j.argMax(Nd4j.rand(DataType.DOUBLE, n, k, h, w), 1);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, n, k, h, w);
        for (int example = 0; example < n; example++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    labels.putScalar(new long[] {example, classes.getInt(example, y, x), y, x}, 1.0);
                }
            }
        }
        return labels;
    }

    /** CnnLossLayer's layout: [N, K, H, W] -> [N*H*W, K]. */
    static INDArray toRows(INDArray nchw) {
        return nchw.permute(0, 2, 3, 1).dup('c').reshape('c', nchw.size(0) * nchw.size(2) * nchw.size(3),
                nchw.size(1));
    }

    @Test
    void mergingTwoHalvesEqualsEvaluatingTheWhole() {
        Nd4j.getRandom().setSeed(23);
        INDArray labels = randomOneHot(4, 3, 2, 3);
        INDArray shuffled = Nd4j.rand(DataType.DOUBLE, 4, 3, 2, 3);

        SegmentationEvaluation whole = new SegmentationEvaluation();
        whole.eval(labels, shuffled);
        SegmentationEvaluation first = new SegmentationEvaluation();
        first.eval(labels.get(NDArrayIndex.interval(0, 2)), shuffled.get(NDArrayIndex.interval(0, 2)));
        SegmentationEvaluation second = new SegmentationEvaluation();
        second.eval(labels.get(NDArrayIndex.interval(2, 4)), shuffled.get(NDArrayIndex.interval(2, 4)));
        first.merge(second);
        first.merge(new SegmentationEvaluation());

        assertThat(first).isEqualTo(whole);
        assertThat(first.countedPixels()).isEqualTo(24);
        SegmentationEvaluation empty = new SegmentationEvaluation();
        empty.merge(whole);
        assertThat(empty).isEqualTo(whole);
    }

    @Test
    void jsonRoundTripKeepsCountsAndSettings() {
        SegmentationEvaluation evaluation = new SegmentationEvaluation(3, List.of("sky", "road", "car"), false, 0.3);
        evaluation.eval(nchw(ACTUAL, 3, false), nchw(PREDICTED, 3, false));

        String json = evaluation.toJson();
        SegmentationEvaluation restored = SegmentationEvaluation.fromJson(json);

        assertThat(restored).isEqualTo(evaluation);
        assertThat(restored.confusionMatrix()).isDeepEqualTo(evaluation.confusionMatrix());
        assertThat(restored.getClassNames()).containsExactly("sky", "road", "car");
        assertThat(restored.isIncludeBackgroundInMean()).isFalse();
        assertThat(restored.getBinaryThreshold()).isEqualTo(0.3);
        assertThat(restored.meanIoU()).isEqualTo(evaluation.meanIoU());
        assertThat(SegmentationEvaluation.fromYaml(evaluation.toYaml(), SegmentationEvaluation.class))
                .isEqualTo(evaluation);
    }

    @Test
    void resetAndNewInstanceKeepTheSettingsAndDropTheCounts() {
        SegmentationEvaluation evaluation = new SegmentationEvaluation(3, List.of("a", "b", "c"), false, 0.4);
        evaluation.eval(nchw(ACTUAL, 3, false), nchw(PREDICTED, 3, false));
        SegmentationEvaluation fresh = evaluation.newInstance();
        assertThat(fresh.countedPixels()).isZero();
        assertThat(fresh.numClasses()).isEqualTo(3);
        assertThat(fresh.getClassNames()).containsExactly("a", "b", "c");
        evaluation.reset();
        assertThat(evaluation).isEqualTo(fresh);

        SegmentationEvaluation inferred = handExample();
        inferred.reset();
        assertThat(inferred.numClasses()).as("inferred class count is forgotten").isZero();
    }

    @Test
    void statsPrintsATable() {
        String stats = handExample().stats();
        assertThat(stats).contains("class", "IoU", "Dice", "Pixel accuracy:         0.6667",
                "Mean IoU:               0.5556", "Confusion matrix (rows: actual, columns: predicted)");
        assertThat(new SegmentationEvaluation().stats()).contains("nothing evaluated yet");
    }

    @Test
    void mismatchedShapesAreNamed() {
        SegmentationEvaluation evaluation = new SegmentationEvaluation();
        assertThatThrownBy(() -> evaluation.eval(Nd4j.zeros(1, 3, 2, 3), Nd4j.zeros(1, 3, 3, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels had shape [1, 3, 2, 3] and predictions [1, 3, 3, 2]");
        assertThatThrownBy(() -> evaluation.eval(Nd4j.zeros(1, 3, 2), Nd4j.zeros(1, 3, 2)))
                .hasMessageContaining("[N, K, H, W] or [rows, K]");
    }

    @Test
    void aDifferentNumberOfClassesIsRejected() {
        SegmentationEvaluation evaluation = new SegmentationEvaluation(4);
        assertThatThrownBy(() -> evaluation.eval(nchw(ACTUAL, 3, false), nchw(PREDICTED, 3, false)))
                .hasMessageContaining("counts 4 classes but labels of shape [1, 3, 2, 3] give 3 classes");

        SegmentationEvaluation threeClasses = handExample();
        SegmentationEvaluation twoClasses = new SegmentationEvaluation(2);
        assertThatThrownBy(() -> threeClasses.merge(twoClasses))
                .hasMessageContaining("counts 3 classes but the merged evaluation's confusion matrix give 2 classes");
        assertThatThrownBy(() -> new SegmentationEvaluation(1))
                .hasMessageContaining("numClasses must be 0 (infer from the labels) or >= 2").hasMessageContaining("1");
        assertThatThrownBy(() -> new SegmentationEvaluation(3, List.of("a", "b"), true, 0.5))
                .hasMessageContaining("classNames has 2 names [a, b] but numClasses is 3");
        assertThatThrownBy(() -> threeClasses.iou(3)).hasMessageContaining("class index 3 is out of range (0 to 2)");
    }

    @Test
    void otherMetricsAndNanPredictionsAreRejected() {
        assertThatThrownBy(() -> handExample().getValue(Evaluation.Metric.F1))
                .hasMessageContaining("SegmentationEvaluation supports the metrics [MEAN_IOU")
                .hasMessageContaining("F1");
        INDArray predictions = nchw(PREDICTED, 3, true);
        predictions.putScalar(0, Double.NaN);
        assertThatThrownBy(() -> new SegmentationEvaluation().eval(nchw(ACTUAL, 3, false), predictions))
                .hasMessageContaining("NaN");
    }
}
