package io.github.mdunet.core.metrics;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.common.primitives.Triple;
import org.nd4j.evaluation.BaseEvaluation;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.evaluation.IMetric;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Pixel-wise segmentation evaluation: a K x K confusion matrix of long counts (rows: actual class, columns:
 * predicted class), from which per-class IoU and Dice, mean IoU, mean Dice, pixel accuracy, mean class accuracy and
 * frequency-weighted IoU are derived. An {@link IEvaluation}, so it works with {@code ComputationGraph.doEvaluation},
 * {@code EvaluativeListener} and early stopping ({@link SegmentationScoreCalculator}).
 *
 * <p>Input: labels and predictions of equal shape, either {@code [N, K, H, W]} (what {@code doEvaluation} passes
 * for a {@code CnnLossLayer} output, with the label mask {@code [N, 1, H, W]}, {@code [N, K, H, W]} or
 * {@code [N]} if any) or already flattened to {@code [rows, K]} (mask {@code [rows, 1]}). Labels are one-hot and
 * predictions probabilities: the class is the arg max over K. A pixel whose one-hot label row is all zero is
 * "void" and not counted. With K = 1 (sigmoid) there are two classes, 0 (background) and 1: label {@code >= 0.5}
 * and prediction {@code >= binaryThreshold} (default 0.5) mean class 1 (as {@code MaskImages.classIds} draws them).
 * Predictions that contain NaN are refused with a {@link NaNPredictionsException}. One image's class ids can be
 * counted without one-hot labels: {@link #evalClassIds(int[], INDArray)} (ids {@code H * W}, predictions
 * {@code [K, H, W]}) gives the counts of {@code eval}.
 *
 * <p>Averages over classes ({@link Metric#MEAN_IOU}, {@link Metric#MEAN_DICE}) take only the classes present in the
 * labels or the predictions (IoU of a class absent from both is 0/0, reported as NaN and left out), and leave out
 * class 0 when {@code includeBackgroundInMean} is false. A value with nothing to average is NaN.
 */
public class SegmentationEvaluation extends BaseEvaluation<SegmentationEvaluation> {

    private static final long serialVersionUID = 1L;
    private static final int CONFUSION_PRINT_MAX_CLASSES = 20;
    /** Prediction values {@link #evalClassIds} reads at once: whole rows, about this many (4 MiB as floats). */
    private static final int CLASS_ID_CHUNK_VALUES = 1 << 20;

    /** Metrics for {@link #getValue(IMetric)}; all are to be maximised. */
    public enum Metric implements IMetric {
        /** Mean of per-class IoU over the classes present in labels or predictions. */
        MEAN_IOU,
        /** Mean of per-class Dice (F1) over the classes present in labels or predictions. */
        MEAN_DICE,
        /** Correct pixels / counted pixels. */
        PIXEL_ACCURACY,
        /** Mean over the classes present in the labels of the fraction of their pixels predicted right (recall). */
        MEAN_CLASS_ACCURACY,
        /** Per-class IoU weighted by the class's share of label pixels. */
        FREQUENCY_WEIGHTED_IOU;

        @Override
        public Class<? extends IEvaluation> getEvaluationClass() {
            return SegmentationEvaluation.class;
        }

        @Override
        public boolean minimize() {
            return false;
        }
    }

    /** Classes fixed at construction (2 for a K = 1 sigmoid output), or 0 to take them from the first labels. */
    private int configuredNumClasses;
    /** Optional class names for {@link #stats()}; length must equal the number of classes. */
    private List<String> classNames;
    /** Whether class 0 (background) takes part in the means over classes. */
    private boolean includeBackgroundInMean = true;
    /** Probability from which a K = 1 prediction counts as class 1. */
    private double binaryThreshold = 0.5;
    /** Counts [actual][predicted]; {@code null} until the number of classes is known. */
    private long[][] confusion;

    /** The classes an output of {@code channels} tells apart: its channels, or 2 for one sigmoid channel. */
    public static int classesOf(int channels) {
        return channels == 1 ? 2 : channels;
    }

    /** Takes the number of classes from the first labels evaluated; background counts in the means. */
    public SegmentationEvaluation() {
    }

    /** @param numClasses the number of classes, K (2 for a K = 1 sigmoid output) */
    public SegmentationEvaluation(int numClasses) {
        this(numClasses, null, true, 0.5);
    }

    /**
     * @param numClasses              the number of classes (2 for K = 1 sigmoid), or 0 to infer it
     * @param classNames              names for {@link #stats()}, or {@code null}
     * @param includeBackgroundInMean whether class 0 takes part in mean IoU, mean Dice and mean class accuracy
     * @param binaryThreshold         probability from which a K = 1 prediction counts as class 1, in (0, 1)
     */
    public SegmentationEvaluation(int numClasses, List<String> classNames, boolean includeBackgroundInMean,
            double binaryThreshold) {
        if (numClasses < 0 || numClasses == 1) {
            throw new IllegalArgumentException("numClasses must be 0 (infer from the labels) or >= 2 (a K = 1 sigmoid"
                    + " output has 2 classes) but was " + numClasses);
        }
        if (!(binaryThreshold > 0 && binaryThreshold < 1)) {
            throw new IllegalArgumentException("binaryThreshold must be in (0, 1) but was " + binaryThreshold);
        }
        if (classNames != null && numClasses > 0 && classNames.size() != numClasses) {
            throw new IllegalArgumentException("classNames has " + classNames.size() + " names " + classNames
                    + " but numClasses is " + numClasses);
        }
        this.configuredNumClasses = numClasses;
        this.classNames = classNames == null ? null : new ArrayList<>(classNames);
        this.includeBackgroundInMean = includeBackgroundInMean;
        this.binaryThreshold = binaryThreshold;
        reset();
    }

    /** Restores an evaluation saved with {@link #toJson()}. */
    public static SegmentationEvaluation fromJson(String json) {
        return fromJson(json, SegmentationEvaluation.class);
    }

    @Override
    public void eval(INDArray labels, INDArray predictions, INDArray mask,
            List<? extends Serializable> recordMetaData) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(predictions, "predictions");
        if (!labels.equalShapes(predictions) || (labels.rank() != 2 && labels.rank() != 4)) {
            throw new IllegalArgumentException("labels and predictions must have the same shape, [N, K, H, W] or"
                    + " [rows, K], but labels had shape " + Arrays.toString(labels.shape()) + " and predictions "
                    + Arrays.toString(predictions.shape()));
        }
        int channels = Math.toIntExact(labels.size(1));
        int classes = classesOf(channels);
        ensureClasses(classes, "labels of shape " + Arrays.toString(labels.shape()));

        // DL4J's extraction of flattened rows counts the rows of a non-zero mask value but picks them by the value
        // cast to int, so a weight of 0.5 picked row 0 instead: counted as the [N, K, H, W] path counts them.
        INDArray rowMask = mask == null || labels.rank() != 2 ? mask : mask.neq(0.0).castTo(labels.dataType());
        Triple<INDArray, INDArray, INDArray> flat = reshapeAndExtractNotMasked(labels, predictions, rowMask, 1);
        if (flat == null) {
            return; // everything masked
        }
        INDArray labels2d = flat.getFirst();
        INDArray predictions2d = flat.getSecond();
        if (BooleanIndexing.or(predictions2d, Conditions.isNan())) {
            throw new NaNPredictionsException("predictions contain NaN; cannot take the predicted class");
        }
        boolean[] counted = countedRows(flat.getThird(), labels2d, channels);
        long[] actual;
        long[] predicted;
        if (channels == 1) {
            actual = thresholded(labels2d, 0.5);
            predicted = thresholded(predictions2d, binaryThreshold);
        } else {
            actual = Nd4j.argMax(labels2d, 1).toLongVector();
            predicted = Nd4j.argMax(predictions2d, 1).toLongVector();
        }
        for (int i = 0; i < actual.length; i++) {
            if (counted[i]) {
                confusion[(int) actual[i]][(int) predicted[i]]++;
            }
        }
    }

    /**
     * Counts one image from its class ids, without one-hot labels: the counts {@link #eval} makes of the one-hot
     * labels of {@code labelIds} with the negative ids masked out, from a fraction of the memory (no {@code [K, H, W]}
     * labels, mask or flattened copies; the predictions are read a few rows at a time).
     *
     * <p>The predicted class is the first arg max over K, or for K = 1 (sigmoid) class 1 where the prediction is
     * {@code >= binaryThreshold}, as in {@link #eval}. Predictions that contain NaN (at any pixel, ignored or not,
     * as in {@code eval}) are refused with a {@link NaNPredictionsException}, and nothing of the image is counted.
     *
     * @param labelIds    {@code H * W} class ids, row by row: {@code 0..K-1} (0 or 1 for K = 1), or negative for a
     *                    pixel not to count (unet-data's {@code LabelMask.IGNORED}, -1)
     * @param predictions {@code [K, H, W]} probabilities of one image
     */
    public void evalClassIds(int[] labelIds, INDArray predictions) {
        evalClassIds(labelIds, predictions, CLASS_ID_CHUNK_VALUES);
    }

    /** {@link #evalClassIds(int[], INDArray)} reading whole rows of about {@code chunkValues} predictions at once. */
    void evalClassIds(int[] labelIds, INDArray predictions, int chunkValues) {
        Objects.requireNonNull(labelIds, "labelIds");
        Objects.requireNonNull(predictions, "predictions");
        if (predictions.rank() != 3) {
            throw new IllegalArgumentException("evalClassIds takes the predictions of one image, [K, H, W], but got"
                    + " shape " + Arrays.toString(predictions.shape()));
        }
        int channels = Math.toIntExact(predictions.size(0));
        int height = Math.toIntExact(predictions.size(1));
        int width = Math.toIntExact(predictions.size(2));
        if (labelIds.length != (long) height * width) {
            throw new IllegalArgumentException("labelIds has " + labelIds.length + " ids but the predictions of shape "
                    + Arrays.toString(predictions.shape()) + " have " + (long) height * width + " pixels");
        }
        int classes = classesOf(channels);
        ensureClasses(classes, "predictions of shape " + Arrays.toString(predictions.shape()));
        long[][] counts = new long[classes][classes];
        int rowsPerChunk = Math.min(height, Math.max(1, chunkValues / (channels * width)));
        // One native chunk [K, rows, W] (FLOAT unless the predictions need DOUBLE) and one Java copy of it, reused:
        // no garbage per chunk.
        DataType chunkType = predictions.dataType() == DataType.FLOAT || predictions.dataType() == DataType.HALF
                || predictions.dataType() == DataType.BFLOAT16 ? DataType.FLOAT : DataType.DOUBLE;
        INDArray nativeChunk = null;
        double[] chunk = new double[channels * rowsPerChunk * width];
        for (int top = 0; top < height; top += rowsPerChunk) {
            int bottom = Math.min(height, top + rowsPerChunk);
            if (nativeChunk == null || nativeChunk.size(1) != bottom - top) {
                nativeChunk = Nd4j.createUninitialized(chunkType, channels, bottom - top, width);
            }
            nativeChunk.assign(predictions.get(NDArrayIndex.all(), NDArrayIndex.interval(top, bottom),
                    NDArrayIndex.all()));
            int chunkPixels = (bottom - top) * width;
            readInto(chunk, nativeChunk, channels * chunkPixels);
            for (int p = 0; p < chunkPixels; p++) {
                int pixel = top * width + p;
                // Every pixel's, as eval looks for NaN in all predictions, masked ones too.
                int predicted = predictedClass(chunk, p, chunkPixels, channels);
                int actual = labelIds[pixel];
                if (actual < 0) {
                    continue;
                }
                if (actual >= classes) {
                    throw new IllegalArgumentException("labelIds[" + pixel + "] (row " + pixel / width + ", column "
                            + pixel % width + ") is " + actual + " but the classes are 0 to " + (classes - 1)
                            + (channels == 1 ? " for a one-channel (sigmoid) output" : ""));
                }
                counts[actual][predicted]++;
            }
        }
        for (int a = 0; a < classes; a++) {
            for (int p = 0; p < classes; p++) {
                confusion[a][p] += counts[a][p];
            }
        }
    }

    /** The first {@code count} values of a fresh FLOAT or DOUBLE array, into {@code values}. */
    private static void readInto(double[] values, INDArray source, int count) {
        ByteBuffer bytes = source.data().asNio().order(ByteOrder.nativeOrder());
        if (source.dataType() == DataType.DOUBLE) {
            bytes.asDoubleBuffer().get(values, 0, count);
        } else {
            FloatBuffer floats = bytes.asFloatBuffer();
            for (int i = 0; i < count; i++) {
                values[i] = floats.get(i);
            }
        }
    }

    /** The class {@link #eval} takes at pixel {@code p} of a {@code [K, pixels]} chunk: first arg max, or threshold. */
    private int predictedClass(double[] chunk, int p, int pixels, int channels) {
        double best = chunk[p];
        if (Double.isNaN(best)) {
            throw new NaNPredictionsException("predictions contain NaN; cannot take the predicted class");
        }
        if (channels == 1) {
            return best >= binaryThreshold ? 1 : 0;
        }
        int predicted = 0;
        for (int k = 1; k < channels; k++) {
            double value = chunk[k * pixels + p];
            if (Double.isNaN(value)) {
                throw new NaNPredictionsException("predictions contain NaN; cannot take the predicted class");
            }
            if (value > best) {
                best = value;
                predicted = k;
            }
        }
        return predicted;
    }

    /** Rows to count: not masked out, and (for one-hot labels) not void. */
    private static boolean[] countedRows(INDArray perOutputMask, INDArray labels2d, int channels) {
        int rows = Math.toIntExact(labels2d.size(0));
        boolean[] counted = new boolean[rows];
        Arrays.fill(counted, true);
        if (channels > 1) {
            double[] labelMax = labels2d.max(1).toDoubleVector();
            for (int i = 0; i < rows; i++) {
                counted[i] = labelMax[i] > 0;
            }
        }
        if (perOutputMask != null) {
            INDArray nonZero = perOutputMask.neq(0.0).castTo(DataType.INT);
            int[] any = nonZero.max(1).toIntVector();
            int[] all = nonZero.min(1).toIntVector();
            for (int i = 0; i < rows; i++) {
                if (any[i] != all[i]) {
                    throw new IllegalArgumentException("the mask masks some classes of pixel row " + i + " but not"
                            + " others; a segmentation mask must mask whole pixels ([N, 1, H, W] or equal per class)");
                }
                counted[i] &= any[i] != 0;
            }
        }
        return counted;
    }

    private static long[] thresholded(INDArray column, double threshold) {
        double[] values = column.toDoubleVector();
        long[] classes = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            classes[i] = values[i] >= threshold ? 1 : 0;
        }
        return classes;
    }

    private void ensureClasses(int classes, String source) {
        if (confusion == null) {
            confusion = new long[classes][classes];
            if (classNames != null && classNames.size() != classes) {
                throw new IllegalArgumentException("classNames has " + classNames.size() + " names " + classNames
                        + " but " + source + " give " + classes + " classes");
            }
        } else if (confusion.length != classes) {
            throw new IllegalArgumentException("this evaluation counts " + confusion.length + " classes but " + source
                    + " give " + classes + " classes (a K = 1 sigmoid output counts as 2)");
        }
    }

    @Override
    public void merge(SegmentationEvaluation other) {
        if (other == null || other.confusion == null) {
            return;
        }
        ensureClasses(other.confusion.length, "the merged evaluation's confusion matrix");
        for (int a = 0; a < confusion.length; a++) {
            for (int p = 0; p < confusion.length; p++) {
                confusion[a][p] += other.confusion[a][p];
            }
        }
    }

    @Override
    public void reset() {
        confusion = configuredNumClasses > 0 ? new long[configuredNumClasses][configuredNumClasses] : null;
    }

    @Override
    public SegmentationEvaluation newInstance() {
        return new SegmentationEvaluation(configuredNumClasses, classNames, includeBackgroundInMean, binaryThreshold);
    }

    @Override
    public double getValue(IMetric metric) {
        if (!(metric instanceof Metric)) {
            throw new IllegalArgumentException("SegmentationEvaluation supports the metrics "
                    + Arrays.toString(Metric.values()) + " but was asked for " + metric);
        }
        return switch ((Metric) metric) {
            case MEAN_IOU -> meanIoU();
            case MEAN_DICE -> meanDice();
            case PIXEL_ACCURACY -> pixelAccuracy();
            case MEAN_CLASS_ACCURACY -> meanClassAccuracy();
            case FREQUENCY_WEIGHTED_IOU -> frequencyWeightedIoU();
        };
    }

    /** The number of classes, or 0 if not yet known. */
    public int numClasses() {
        return confusion == null ? 0 : confusion.length;
    }

    /** A copy of the confusion matrix, {@code [actual][predicted]}; empty if no class count is known yet. */
    public long[][] confusionMatrix() {
        if (confusion == null) {
            return new long[0][0];
        }
        long[][] copy = new long[confusion.length][];
        for (int a = 0; a < confusion.length; a++) {
            copy[a] = confusion[a].clone();
        }
        return copy;
    }

    /** Pixels counted so far. */
    public long countedPixels() {
        long total = 0;
        for (int a = 0; a < numClasses(); a++) {
            total += rowSum(a);
        }
        return total;
    }

    /** IoU of class k, {@code TP / (TP + FP + FN)}; NaN if the class is in neither labels nor predictions. */
    public double iou(int k) {
        checkClass(k);
        long tp = confusion[k][k];
        long union = rowSum(k) + columnSum(k) - tp;
        return union == 0 ? Double.NaN : (double) tp / union;
    }

    /** Dice (F1) of class k, {@code 2 TP / (2 TP + FP + FN)}; NaN if the class is in neither labels nor predictions. */
    public double dice(int k) {
        checkClass(k);
        long tp = confusion[k][k];
        long denominator = rowSum(k) + columnSum(k);
        return denominator == 0 ? Double.NaN : 2.0 * tp / denominator;
    }

    /**
     * Precision of class k, {@code TP / (TP + FP)}: the share of the pixels predicted k that are k; NaN if no pixel
     * is predicted k.
     */
    public double precision(int k) {
        checkClass(k);
        long predicted = columnSum(k);
        return predicted == 0 ? Double.NaN : (double) confusion[k][k] / predicted;
    }

    /**
     * Recall (sensitivity) of class k, {@code TP / (TP + FN)}: the share of the pixels labelled k predicted k; NaN if
     * no pixel is labelled k.
     */
    public double recall(int k) {
        checkClass(k);
        long labelled = rowSum(k);
        return labelled == 0 ? Double.NaN : (double) confusion[k][k] / labelled;
    }

    /** Mean IoU over the classes present in labels or predictions (class 0 left out unless included). */
    public double meanIoU() {
        return meanOverClasses(true);
    }

    /** Mean Dice over the classes present in labels or predictions (class 0 left out unless included). */
    public double meanDice() {
        return meanOverClasses(false);
    }

    /** Correct pixels / counted pixels; NaN before any pixel is counted. */
    public double pixelAccuracy() {
        long correct = 0;
        for (int k = 0; k < numClasses(); k++) {
            correct += confusion[k][k];
        }
        return perCountedPixel(correct);
    }

    /** Mean over the classes present in the labels of TP / label pixels (class 0 left out unless included). */
    public double meanClassAccuracy() {
        double sum = 0;
        int count = 0;
        for (int k = firstClassInMeans(); k < numClasses(); k++) {
            if (rowSum(k) > 0) {
                sum += (double) confusion[k][k] / rowSum(k);
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Sum over classes of (label pixels of the class / all label pixels) * IoU; all classes. */
    public double frequencyWeightedIoU() {
        double weighted = 0;
        for (int k = 0; k < numClasses(); k++) {
            if (rowSum(k) > 0) {
                weighted += rowSum(k) * iou(k);
            }
        }
        return perCountedPixel(weighted);
    }

    /** {@code amount} divided by the counted pixels; NaN before any pixel is counted. */
    private double perCountedPixel(double amount) {
        long total = countedPixels();
        return total == 0 ? Double.NaN : amount / total;
    }

    private double meanOverClasses(boolean iou) {
        double sum = 0;
        int count = 0;
        for (int k = firstClassInMeans(); k < numClasses(); k++) {
            double value = iou ? iou(k) : dice(k);
            if (!Double.isNaN(value)) {
                sum += value;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private int firstClassInMeans() {
        return includeBackgroundInMean ? 0 : 1;
    }

    private long rowSum(int k) {
        long sum = 0;
        for (long count : confusion[k]) {
            sum += count;
        }
        return sum;
    }

    private long columnSum(int k) {
        long sum = 0;
        for (long[] row : confusion) {
            sum += row[k];
        }
        return sum;
    }

    private void checkClass(int k) {
        if (k < 0 || k >= numClasses()) {
            throw new IllegalArgumentException("class index " + k + " is out of range (0 to " + (numClasses() - 1)
                    + ")" + (confusion == null ? ": nothing evaluated yet and numClasses not given" : ""));
        }
    }

    private String className(int k) {
        return classNames == null ? String.valueOf(k) : classNames.get(k);
    }

    @Override
    public String stats() {
        if (confusion == null) {
            return "SegmentationEvaluation: nothing evaluated yet";
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-16s %14s %14s %8s %8s %9s %8s%n", "class", "label pixels",
                "predicted", "IoU", "Dice", "Precision", "Recall"));
        for (int k = 0; k < numClasses(); k++) {
            out.append(String.format(Locale.ROOT, "%-16s %14d %14d %8.4f %8.4f %9.4f %8.4f%n", className(k), rowSum(k),
                    columnSum(k), iou(k), dice(k), precision(k), recall(k)));
        }
        String scope = includeBackgroundInMean ? "" : " (without class 0)";
        out.append(String.format(Locale.ROOT, "%nPixels counted:         %d%n", countedPixels()));
        out.append(String.format(Locale.ROOT, "Pixel accuracy:         %.4f%n", pixelAccuracy()));
        out.append(String.format(Locale.ROOT, "Mean IoU%-15s %.4f%n", scope + ":", meanIoU()));
        out.append(String.format(Locale.ROOT, "Mean Dice%-14s %.4f%n", scope + ":", meanDice()));
        out.append(String.format(Locale.ROOT, "Mean class accuracy:    %.4f%n", meanClassAccuracy()));
        out.append(String.format(Locale.ROOT, "Frequency-weighted IoU: %.4f%n", frequencyWeightedIoU()));
        out.append("(means over the classes present in labels or predictions; NaN: class absent from both)\n");
        if (numClasses() <= CONFUSION_PRINT_MAX_CLASSES) {
            out.append("\nConfusion matrix (rows: actual, columns: predicted)\n");
            out.append(String.format(Locale.ROOT, "%-16s", ""));
            for (int p = 0; p < numClasses(); p++) {
                out.append(String.format(Locale.ROOT, " %12s", className(p)));
            }
            out.append('\n');
            for (int a = 0; a < numClasses(); a++) {
                out.append(String.format(Locale.ROOT, "%-16s", className(a)));
                for (int p = 0; p < numClasses(); p++) {
                    out.append(String.format(Locale.ROOT, " %12d", confusion[a][p]));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    public List<String> getClassNames() {
        return classNames == null ? null : List.copyOf(classNames);
    }

    public boolean isIncludeBackgroundInMean() {
        return includeBackgroundInMean;
    }

    public double getBinaryThreshold() {
        return binaryThreshold;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SegmentationEvaluation)) {
            return false;
        }
        SegmentationEvaluation other = (SegmentationEvaluation) o;
        return configuredNumClasses == other.configuredNumClasses
                && includeBackgroundInMean == other.includeBackgroundInMean
                && Double.compare(binaryThreshold, other.binaryThreshold) == 0
                && Objects.equals(classNames, other.classNames) && Arrays.deepEquals(confusion, other.confusion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(configuredNumClasses, includeBackgroundInMean, binaryThreshold, classNames,
                Arrays.deepHashCode(confusion));
    }
}
