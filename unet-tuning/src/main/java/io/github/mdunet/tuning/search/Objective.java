package io.github.mdunet.tuning.search;

import io.github.mdunet.core.model.UNet;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** How a trained candidate is scored on the validation data. */
public enum Objective {
    /** Mean intersection over union over the classes (one-hot labels {@code [N, K, H, W]}); higher is better. */
    MEAN_IOU(false),
    /** The network's mean loss per example (image-to-image tasks); lower is better. */
    LOSS(true);

    private final boolean minimize;

    Objective(boolean minimize) {
        this.minimize = minimize;
    }

    public boolean minimize() {
        return minimize;
    }

    /** Whether {@code candidate} is better than {@code incumbent}. */
    public boolean better(double candidate, double incumbent) {
        return minimize ? candidate < incumbent : candidate > incumbent;
    }

    /** The score of {@code unet} on all of {@code validation} (reset first). */
    public double score(UNet unet, DataSetIterator validation) {
        validation.reset();
        if (this == MEAN_IOU) {
            MeanIoU iou = null;
            while (validation.hasNext()) {
                DataSet batch = validation.next();
                if (iou == null) {
                    iou = new MeanIoU((int) batch.getLabels().size(1));
                }
                iou.add(batch.getLabels(), unet.predict(batch.getFeatures()));
            }
            return iou == null ? Double.NaN : iou.meanIoU();
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
