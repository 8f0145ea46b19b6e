package io.github.mdunet.reference.torch.train;

/**
 * Pixel counts by (true class, predicted class). Per-class IoU = TP / (TP + FP + FN); a class absent from both
 * labels and predictions has no IoU (NaN) and is left out of the mean, which otherwise runs over all classes,
 * background included.
 */
public final class ConfusionMatrix {

    private final int classes;
    private final long[] counts;

    public ConfusionMatrix(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2 but was " + classes);
        }
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    /** Adds pixels: labels and predictions are class ids of the same length. */
    public void add(long[] labels, long[] predictions) {
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predictions.length + " predictions");
        }
        for (int i = 0; i < labels.length; i++) {
            counts[(int) labels[i] * classes + (int) predictions[i]]++;
        }
    }

    public long count(int trueClass, int predictedClass) {
        return counts[trueClass * classes + predictedClass];
    }

    /** IoU per class; NaN for a class that is in neither labels nor predictions. */
    public double[] perClassIoU() {
        double[] iou = new double[classes];
        for (int c = 0; c < classes; c++) {
            long truePositive = count(c, c);
            long labelled = 0;
            long predicted = 0;
            for (int other = 0; other < classes; other++) {
                labelled += count(c, other);
                predicted += count(other, c);
            }
            long union = labelled + predicted - truePositive;
            iou[c] = union == 0 ? Double.NaN : (double) truePositive / union;
        }
        return iou;
    }

    /** Mean of the per-class IoUs that exist. */
    public double meanIoU() {
        double sum = 0;
        int present = 0;
        for (double value : perClassIoU()) {
            if (!Double.isNaN(value)) {
                sum += value;
                present++;
            }
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    /** Correct pixels over all pixels. */
    public double pixelAccuracy() {
        long correct = 0;
        long total = 0;
        for (int c = 0; c < classes; c++) {
            correct += count(c, c);
        }
        for (long count : counts) {
            total += count;
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }
}
