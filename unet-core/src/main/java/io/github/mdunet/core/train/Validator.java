package io.github.mdunet.core.train;

import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.metrics.ImageQualityEvaluation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.metrics.SegmentationEvaluation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Computes validation metrics of a model on a validation iterator (which it resets first). */
@FunctionalInterface
public interface Validator {

    /** Metric name to value, e.g. {@code {"loss": 0.21, "meanIoU": 0.87}}. */
    Map<String, Double> validate(UNet unet, DataSetIterator validation);

    /**
     * Segmentation metrics and the loss in one pass: {@code loss}, {@code meanIoU}, {@code meanDice},
     * {@code pixelAccuracy} and {@code iou/<class>} per class.
     */
    public static Validator segmentation() {
        return (unet, validation) -> {
            validation.reset();
            SegmentationEvaluation evaluation = new SegmentationEvaluation();
            double lossSum = 0;
            long examples = 0;
            while (validation.hasNext()) {
                var batch = validation.next();
                INDArray output = unet.graph().outputSingle(false, batch.getFeatures());
                evaluation.eval(batch.getLabels(), output);
                lossSum += unet.graph().score(batch, false) * batch.numExamples();
                examples += batch.numExamples();
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", examples == 0 ? Double.NaN : lossSum / examples);
            metrics.put("meanIoU", evaluation.meanIoU());
            metrics.put("meanDice", evaluation.meanDice());
            metrics.put("pixelAccuracy", evaluation.pixelAccuracy());
            for (int k = 0; k < evaluation.numClasses(); k++) {
                metrics.put("iou/" + k, evaluation.iou(k));
            }
            return metrics;
        };
    }

    /**
     * Image-to-image metrics and the loss in one pass: {@code loss}, {@code psnr}, {@code ssim}, {@code psnrY},
     * {@code ssimY} (means over the validation images; see {@link ImageQualityEvaluation}).
     *
     * @param normalization the model's pixel normalisation (its encoder's input normalisation)
     * @param shave         pixels cut from each border before measuring (super-resolution: the scale factor)
     */
    public static Validator imageQuality(InputNormalization normalization, int shave) {
        ImageQualityEvaluation prototype = new ImageQualityEvaluation(normalization, shave);
        return (unet, validation) -> {
            validation.reset();
            ImageQualityEvaluation evaluation = prototype.newInstance();
            double lossSum = 0;
            long examples = 0;
            while (validation.hasNext()) {
                var batch = validation.next();
                evaluation.eval(batch.getLabels(), unet.graph().outputSingle(false, batch.getFeatures()));
                lossSum += unet.graph().score(batch, false) * batch.numExamples();
                examples += batch.numExamples();
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", examples == 0 ? Double.NaN : lossSum / examples);
            metrics.put("psnr", evaluation.psnr());
            metrics.put("ssim", evaluation.ssim());
            metrics.put("psnrY", evaluation.psnrY());
            metrics.put("ssimY", evaluation.ssimY());
            return metrics;
        };
    }

    /** The mean loss per example over the validation set, as {@code "loss"}. */
    public static Validator loss() {
        return (unet, validation) -> {
            validation.reset();
            double sum = 0;
            long examples = 0;
            while (validation.hasNext()) {
                var batch = validation.next();
                int n = batch.numExamples();
                sum += unet.graph().score(batch, false) * n;
                examples += n;
            }
            return Map.of("loss", examples == 0 ? Double.NaN : sum / examples);
        };
    }
}
