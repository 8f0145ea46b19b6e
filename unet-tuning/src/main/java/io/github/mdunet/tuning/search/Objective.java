package io.github.mdunet.tuning.search;

import io.github.mdunet.core.metrics.SegmentationEvaluation;
import io.github.mdunet.core.model.UNet;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** How a trained candidate is scored on the validation data. */
public enum Objective {
    /**
     * Mean intersection over union over the classes, as unet-core's {@link SegmentationEvaluation} counts it; higher
     * is better. Labels one-hot {@code [N, K, H, W]} (a pixel's class is the arg max of the prediction), or
     * {@code [N, 1, H, W]} for a one-channel sigmoid head (two classes, the prediction thresholded at 0.5). Pixels the
     * labels mask ({@code [N, 1, H, W]}, 0 = ignored) leaves out, and pixels whose one-hot labels are all zero, are
     * not counted.
     */
    MEAN_IOU,
    /** The network's mean loss per example (image-to-image tasks); lower is better. */
    LOSS;

    /** Whether a lower score is better. */
    public boolean minimize() {
        return switch (this) {
            case MEAN_IOU -> false;
            case LOSS -> true;
        };
    }

    /** The score's name in the search's message and chart: {@code "mean IoU"}, {@code "loss"}. */
    public String label() {
        return switch (this) {
            case MEAN_IOU -> "mean IoU";
            case LOSS -> "loss";
        };
    }

    /** Whether {@code candidate} is better than {@code incumbent}. */
    public boolean better(double candidate, double incumbent) {
        return minimize() ? candidate < incumbent : candidate > incumbent;
    }

    /** The score of {@code unet} on all of {@code validation} (reset first). */
    public double score(UNet unet, DataSetIterator validation) {
        validation.reset();
        if (this == MEAN_IOU) {
            SegmentationEvaluation evaluation = new SegmentationEvaluation();
            while (validation.hasNext()) {
                DataSet batch = validation.next();
                evaluation.eval(batch.getLabels(), unet.predict(batch.getFeatures()), batch.getLabelsMaskArray());
            }
            return evaluation.meanIoU();
        }
        double sum = 0;
        long examples = 0;
        while (validation.hasNext()) {
            DataSet batch = validation.next();
            int n = batch.numExamples();
            sum += unet.graph().score(batch, false) * n;
            examples += n;
        }
        return examples == 0 ? Double.NaN : sum / examples;
    }
}
