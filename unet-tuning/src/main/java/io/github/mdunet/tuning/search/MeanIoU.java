package io.github.mdunet.tuning.search;

import io.github.mdunet.core.checks.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean intersection over union from a confusion matrix accumulated over batches. Tensor contract: labels one-hot and
 * predictions per-class scores, both {@code [N, K, H, W]}; a pixel's class is the arg-max over {@code K}. Classes
 * that appear neither in the labels nor in the predictions are left out of the mean.
 *
 * <p>(unet-core's {@code metrics.SegmentationEvaluation} does this and more; this small copy keeps the search
 * independent of that package while it settles.)
 */
public final class MeanIoU {

    private final long[][] confusion;

    public MeanIoU(int numClasses) {
        Checks.atLeast("numClasses", numClasses, 1);
        confusion = new long[numClasses][numClasses];
    }

    /** Adds a batch: {@code labels} one-hot and {@code predictions}, both {@code [N, K, H, W]}. */
    public void add(INDArray labels, INDArray predictions) {
        int k = confusion.length;
        if (labels.rank() != 4 || labels.size(1) != k
                || !java.util.Arrays.equals(labels.shape(), predictions.shape())) {
            throw new IllegalArgumentException("labels and predictions must both be [N, " + k + ", H, W] but were "
                    + java.util.Arrays.toString(labels.shape()) + " and "
                    + java.util.Arrays.toString(predictions.shape()));
        }
        int[] truth = labels.argMax(1).castTo(DataType.INT32).data().asInt();
        int[] predicted = predictions.argMax(1).castTo(DataType.INT32).data().asInt();
        for (int i = 0; i < truth.length; i++) {
            confusion[truth[i]][predicted[i]]++;
        }
    }

    /** IoU of class {@code c}, NaN when it appears nowhere. */
    public double iou(int c) {
        long truePositive = confusion[c][c];
        long falsePositive = 0;
        long falseNegative = 0;
        for (int other = 0; other < confusion.length; other++) {
            if (other != c) {
                falsePositive += confusion[other][c];
                falseNegative += confusion[c][other];
            }
        }
        long union = truePositive + falsePositive + falseNegative;
        return union == 0 ? Double.NaN : truePositive / (double) union;
    }

    /** The mean of the defined per-class IoUs; NaN before any pixel was added. */
    public double meanIoU() {
        double sum = 0;
        int count = 0;
        for (int c = 0; c < confusion.length; c++) {
            double iou = iou(c);
            if (!Double.isNaN(iou)) {
                sum += iou;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
