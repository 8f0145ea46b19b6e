package io.github.mdunet.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link SegmentationEvaluation#evalClassIds} against {@link SegmentationEvaluation#eval} of one-hot labels with the
 * ignored pixels masked (what the folder evaluation built before), on random non-square images with ignored pixels.
 */
class SegmentationEvaluationClassIdsTest {

    private static final int HEIGHT = 7;
    private static final int WIDTH = 11;
    private static final int IGNORED = -1;

    @Test
    void softmaxOutputsCountAsOneHotLabelsWithAMask() {
        Random random = new Random(5);
        SegmentationEvaluation fromIds = new SegmentationEvaluation(3);
        SegmentationEvaluation fromOneHot = new SegmentationEvaluation(3);
        // Three rows at a time: chunks of 3, 3 and 1 rows.
        SegmentationEvaluation inChunks = new SegmentationEvaluation(3);
        SegmentationEvaluation inDouble = new SegmentationEvaluation(3);
        for (int image = 0; image < 3; image++) {
            int[] ids = randomIds(random, 3);
            INDArray predictions = Nd4j.rand(DataType.FLOAT, 3, HEIGHT, WIDTH);
            // Ties: the first arg max wins in both.
            predictions.putScalar(new int[] {1, 0, 0}, predictions.getFloat(2, 0, 0));
            predictions.putScalar(new int[] {0, 0, 1}, 2f);
            predictions.putScalar(new int[] {2, 0, 1}, 2f);
            fromIds.evalClassIds(ids, predictions);
            evalOneHot(fromOneHot, ids, predictions);
            inChunks.evalClassIds(ids, predictions, 3 * 3 * WIDTH);
            inDouble.evalClassIds(ids, predictions.castTo(DataType.DOUBLE), 3 * 3 * WIDTH);
        }
        assertSameCounts(fromIds, fromOneHot);
        assertSameCounts(inChunks, fromOneHot);
        assertSameCounts(inDouble, fromOneHot);
    }

    /** K = 1: class 1 from the evaluation's threshold, here 0.3, with predictions at exactly the threshold too. */
    @Test
    void aOneChannelOutputIsThresholdedAsEvalThresholdsIt() {
        Random random = new Random(8);
        SegmentationEvaluation fromIds = new SegmentationEvaluation(2, null, true, 0.3);
        SegmentationEvaluation fromOneHot = new SegmentationEvaluation(2, null, true, 0.3);
        SegmentationEvaluation inChunks = new SegmentationEvaluation(2, null, true, 0.3);
        for (int image = 0; image < 3; image++) {
            int[] ids = randomIds(random, 2);
            INDArray predictions = Nd4j.rand(DataType.FLOAT, 1, HEIGHT, WIDTH);
            predictions.putScalar(new int[] {0, 1, 2}, 0.3f);
            predictions.putScalar(new int[] {0, 2, 3}, Math.nextDown(0.3f));
            fromIds.evalClassIds(ids, predictions);
            evalOneHot(fromOneHot, ids, predictions);
            inChunks.evalClassIds(ids, predictions, 2 * WIDTH);
        }
        assertSameCounts(fromIds, fromOneHot);
        assertSameCounts(inChunks, fromOneHot);
    }

    /** NaN is refused, at an ignored pixel too, as eval refuses it, and nothing of the image counts. */
    @Test
    void nanIsRefusedEvenAtAnIgnoredPixel() {
        int[] ids = new int[HEIGHT * WIDTH];
        ids[0] = IGNORED;
        INDArray predictions = Nd4j.rand(DataType.FLOAT, 3, HEIGHT, WIDTH);
        SegmentationEvaluation fromIds = new SegmentationEvaluation(3);
        SegmentationEvaluation fromOneHot = new SegmentationEvaluation(3);
        fromIds.evalClassIds(ids, predictions);
        evalOneHot(fromOneHot, ids, predictions);

        predictions.putScalar(new int[] {2, HEIGHT - 1, WIDTH - 1}, Float.NaN);
        assertThatThrownBy(() -> fromIds.evalClassIds(ids, predictions)).isInstanceOf(NaNPredictionsException.class);
        assertThatThrownBy(() -> fromIds.evalClassIds(ids, predictions, 3 * 2 * WIDTH))
                .as("NaN in the last of four chunks").isInstanceOf(NaNPredictionsException.class);
        assertThatThrownBy(() -> evalOneHot(fromOneHot, ids, predictions))
                .isInstanceOf(NaNPredictionsException.class);
        predictions.putScalar(new int[] {2, HEIGHT - 1, WIDTH - 1}, 0.5f);
        predictions.putScalar(new int[] {1, 0, 0}, Float.NaN);
        assertThatThrownBy(() -> fromIds.evalClassIds(ids, predictions)).isInstanceOf(NaNPredictionsException.class);
        assertThatThrownBy(() -> evalOneHot(fromOneHot, ids, predictions))
                .isInstanceOf(NaNPredictionsException.class);
        assertSameCounts(fromIds, fromOneHot);
        assertThat(fromIds.countedPixels()).isEqualTo(HEIGHT * WIDTH - 1);
    }

    @Test
    void badIdsAndShapesAreNamed() {
        SegmentationEvaluation evaluation = new SegmentationEvaluation(3);
        INDArray predictions = Nd4j.rand(DataType.FLOAT, 3, 2, 4);
        assertThatThrownBy(() -> evaluation.evalClassIds(new int[7], predictions))
                .hasMessageContaining("labelIds has 7 ids but the predictions of shape [3, 2, 4] have 8 pixels");
        int[] ids = new int[8];
        ids[5] = 3;
        assertThatThrownBy(() -> evaluation.evalClassIds(ids, predictions))
                .hasMessageContaining("labelIds[5] (row 1, column 1) is 3 but the classes are 0 to 2");
        assertThatThrownBy(() -> evaluation.evalClassIds(new int[8], predictions.reshape(1, 3, 2, 4)))
                .hasMessageContaining("[K, H, W], but got shape [1, 3, 2, 4]");
        assertThat(evaluation.countedPixels()).isZero();
    }

    /** Ids in {@code 0..classes-1}, about one in five ignored. */
    private static int[] randomIds(Random random, int classes) {
        int[] ids = new int[HEIGHT * WIDTH];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(5) == 0 ? IGNORED : random.nextInt(classes);
        }
        return ids;
    }

    /** {@code eval} of {@code [1, K, H, W]} one-hot labels (0/1 for K = 1) and a {@code [1, 1, H, W]} mask. */
    private static void evalOneHot(SegmentationEvaluation evaluation, int[] ids, INDArray predictions) {
        int outputs = (int) predictions.size(0);
        int plane = HEIGHT * WIDTH;
        float[] labels = new float[outputs * plane];
        float[] counted = new float[plane];
        for (int i = 0; i < plane; i++) {
            if (ids[i] == IGNORED) {
                continue;
            }
            counted[i] = 1;
            if (outputs == 1) {
                labels[i] = ids[i];
            } else {
                labels[ids[i] * plane + i] = 1;
            }
        }
        evaluation.eval(Nd4j.create(labels, new long[] {1, outputs, HEIGHT, WIDTH}, DataType.FLOAT),
                predictions.reshape(1, outputs, HEIGHT, WIDTH),
                Nd4j.create(counted, new long[] {1, 1, HEIGHT, WIDTH}, DataType.FLOAT));
    }

    private static void assertSameCounts(SegmentationEvaluation fromIds, SegmentationEvaluation fromOneHot) {
        assertThat(fromIds.countedPixels()).isPositive();
        assertThat(fromIds.confusionMatrix()).isDeepEqualTo(fromOneHot.confusionMatrix());
        for (int k = 0; k < fromIds.numClasses(); k++) {
            assertSameValue("IoU of class " + k, fromIds.iou(k), fromOneHot.iou(k));
            assertSameValue("precision of class " + k, fromIds.precision(k), fromOneHot.precision(k));
            assertSameValue("recall of class " + k, fromIds.recall(k), fromOneHot.recall(k));
        }
        assertSameValue("pixel accuracy", fromIds.pixelAccuracy(), fromOneHot.pixelAccuracy());
        assertSameValue("mean IoU", fromIds.meanIoU(), fromOneHot.meanIoU());
        assertThat(fromIds).isEqualTo(fromOneHot);
    }

    /** Equal, NaN (a class never predicted or never labelled) equal to NaN. */
    private static void assertSameValue(String metric, double fromIds, double fromOneHot) {
        assertThat(Double.compare(fromIds, fromOneHot)).as("%s: %s from ids, %s from one-hot labels", metric, fromIds,
                fromOneHot).isZero();
    }
}
