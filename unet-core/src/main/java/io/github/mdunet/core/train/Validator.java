package io.github.mdunet.core.train;

import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.metrics.ImageQualityEvaluation;
import io.github.mdunet.core.metrics.SegmentationEvaluation;
import io.github.mdunet.core.model.UNet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Computes validation metrics of a model on a validation iterator (which it resets first). */
@FunctionalInterface
public interface Validator {

    /** Metric name to value, e.g. {@code {"loss": 0.21, "meanIoU": 0.87}}. */
    Map<String, Double> validate(UNet unet, DataSetIterator validation);

    /**
     * Segmentation metrics and the loss in one pass: {@code loss}, {@code meanIoU}, {@code meanDice},
     * {@code pixelAccuracy} and {@code iou/<class>} per class. Pixels that a batch's labels mask masks out count in
     * neither the loss nor the metrics (as in {@code ComputationGraph.doEvaluation}).
     */
    public static Validator segmentation() {
        return (unet, validation) -> {
            SegmentationEvaluation evaluation = new SegmentationEvaluation();
            return segmentationMetrics(meanLoss(unet, validation, evaluation), evaluation);
        };
    }

    /**
     * The metrics of {@link #segmentation()} from a finished evaluation and the mean loss, in this order:
     * {@code loss}, {@code meanIoU}, {@code meanDice}, {@code pixelAccuracy}, {@code iou/<k>} for each class k.
     */
    public static Map<String, Double> segmentationMetrics(double loss, SegmentationEvaluation evaluation) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", loss);
        metrics.put("meanIoU", evaluation.meanIoU());
        metrics.put("meanDice", evaluation.meanDice());
        metrics.put("pixelAccuracy", evaluation.pixelAccuracy());
        for (int k = 0; k < evaluation.numClasses(); k++) {
            metrics.put("iou/" + k, evaluation.iou(k));
        }
        return metrics;
    }

    /**
     * Image-to-image metrics and the loss in one pass: {@code loss}, {@code psnr}, {@code ssim}, {@code psnrY},
     * {@code ssimY} (means over the validation images; see {@link ImageQualityEvaluation}). The evaluation compares
     * whole images: a batch with a labels mask is refused.
     *
     * @param normalization the model's pixel normalisation (its encoder's input normalisation)
     * @param shave         pixels cut from each border before measuring (super-resolution: the scale factor)
     */
    public static Validator imageQuality(InputNormalization normalization, int shave) {
        ImageQualityEvaluation prototype = new ImageQualityEvaluation(normalization, shave);
        return (unet, validation) -> {
            ImageQualityEvaluation evaluation = prototype.newInstance();
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", meanLoss(unet, validation, evaluation));
            metrics.put("psnr", evaluation.psnr());
            metrics.put("ssim", evaluation.ssim());
            metrics.put("psnrY", evaluation.psnrY());
            metrics.put("ssimY", evaluation.ssimY());
            return metrics;
        };
    }

    /** The mean loss per example over the validation set, as {@code "loss"}. */
    public static Validator loss() {
        return (unet, validation) -> Map.of("loss", meanLoss(unet, validation, null));
    }

    /**
     * Resets {@code validation} and runs one pass: the mean loss per example (NaN when there are none), each batch's
     * labels, output and labels mask handed to {@code evaluation} (null: the loss alone, without computing outputs).
     */
    private static double meanLoss(UNet unet, DataSetIterator validation, IEvaluation<?> evaluation) {
        validation.reset();
        double lossSum = 0;
        long examples = 0;
        while (validation.hasNext()) {
            var batch = validation.next();
            if (evaluation != null) {
                evaluation.eval(batch.getLabels(), unet.graph().outputSingle(false, batch.getFeatures()),
                        batch.getLabelsMaskArray());
            }
            lossSum += unet.graph().score(batch, false) * batch.numExamples();
            examples += batch.numExamples();
        }
        return examples == 0 ? Double.NaN : lossSum / examples;
    }
}
