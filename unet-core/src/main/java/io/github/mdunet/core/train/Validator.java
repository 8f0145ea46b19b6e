package io.github.mdunet.core.train;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.metrics.ImageQualityEvaluation;
import io.github.mdunet.core.metrics.SegmentationEvaluation;
import io.github.mdunet.core.model.UNet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Computes validation metrics of a model on a validation iterator (which it resets first). */
@FunctionalInterface
public interface Validator {

    /** The mean validation loss per example, among the metrics of every validator built here. */
    String LOSS = "loss";
    /** The mean IoU over the classes present ({@link SegmentationEvaluation#meanIoU}), of {@link #segmentation()}. */
    String MEAN_IOU = "meanIoU";
    /** The mean Dice coefficient over the classes ({@link SegmentationEvaluation#meanDice}). */
    String MEAN_DICE = "meanDice";
    /** The fraction of pixels classified correctly ({@link SegmentationEvaluation#pixelAccuracy}). */
    String PIXEL_ACCURACY = "pixelAccuracy";
    /** The mean PSNR over the validation images ({@link ImageQualityEvaluation#psnr}), of {@link #imageQuality}. */
    String PSNR = "psnr";
    /** The mean SSIM over the validation images ({@link ImageQualityEvaluation#ssim}). */
    String SSIM = "ssim";
    /** The mean PSNR of the luma channel ({@link ImageQualityEvaluation#psnrY}). */
    String PSNR_Y = "psnrY";
    /** The mean SSIM of the luma channel ({@link ImageQualityEvaluation#ssimY}). */
    String SSIM_Y = "ssimY";

    /** Metric name to value, e.g. {@code {"loss": 0.21, "meanIoU": 0.87}}. */
    Map<String, Double> validate(UNet unet, DataSetIterator validation);

    /**
     * The names of the metrics that {@link #validate} returns for a U-Net of {@code config}, in its order, when they
     * are known before validating: {@link Trainer} then checks its monitor before the first epoch, not after it.
     * Empty (the default, e.g. for a lambda) when only the metrics tell; {@link #declaring} adds the names.
     */
    default Optional<List<String>> metricNames(UNetConfig config) {
        return Optional.empty();
    }

    /**
     * {@code validator} with the names of its metrics for a U-Net of a configuration ({@link #metricNames}), e.g.
     * {@code Validator.declaring(config -> List.of("loss", "boundaryF1"), myValidator)}.
     */
    static Validator declaring(Function<UNetConfig, List<String>> names, Validator validator) {
        Checks.requireSet("names", names, "e.g. config -> List.of(\"loss\")");
        Checks.requireSet("validator", validator, "the validator whose metrics these are");
        return new Validator() {
            @Override
            public Map<String, Double> validate(UNet unet, DataSetIterator validation) {
                return validator.validate(unet, validation);
            }

            @Override
            public Optional<List<String>> metricNames(UNetConfig config) {
                return Optional.of(List.copyOf(names.apply(config)));
            }
        };
    }

    /**
     * Segmentation metrics and the loss in one pass: {@code loss}, {@code meanIoU}, {@code meanDice},
     * {@code pixelAccuracy} and {@code iou/<class>} per class. Pixels that a batch's labels mask masks out count in
     * neither the loss nor the metrics (as in {@code ComputationGraph.doEvaluation}).
     */
    public static Validator segmentation() {
        return declaring(config -> segmentationMetricNames(config.numClasses() == 1 ? 2 : config.numClasses()),
                (unet, validation) -> {
                    SegmentationEvaluation evaluation = new SegmentationEvaluation();
                    return segmentationMetrics(meanLoss(unet, validation, evaluation), evaluation);
                });
    }

    /**
     * The names of {@link #segmentationMetrics} for {@code numClasses} classes K (2 for a K = 1 sigmoid output), in
     * its order.
     */
    public static List<String> segmentationMetricNames(int numClasses) {
        List<String> names = new ArrayList<>(List.of(LOSS, MEAN_IOU, MEAN_DICE, PIXEL_ACCURACY));
        for (int k = 0; k < numClasses; k++) {
            names.add(classIoU(k));
        }
        return List.copyOf(names);
    }

    /** The name of class {@code k}'s IoU among {@link #segmentationMetrics}: {@code iou/<k>}. */
    static String classIoU(int k) {
        return "iou/" + k;
    }

    /**
     * The metrics of {@link #segmentation()} from a finished evaluation and the mean loss, in this order:
     * {@code loss}, {@code meanIoU}, {@code meanDice}, {@code pixelAccuracy}, {@code iou/<k>} for each class k.
     */
    public static Map<String, Double> segmentationMetrics(double loss, SegmentationEvaluation evaluation) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(LOSS, loss);
        metrics.put(MEAN_IOU, evaluation.meanIoU());
        metrics.put(MEAN_DICE, evaluation.meanDice());
        metrics.put(PIXEL_ACCURACY, evaluation.pixelAccuracy());
        for (int k = 0; k < evaluation.numClasses(); k++) {
            metrics.put(classIoU(k), evaluation.iou(k));
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
        return declaring(config -> List.of(LOSS, PSNR, SSIM, PSNR_Y, SSIM_Y), (unet, validation) -> {
            ImageQualityEvaluation evaluation = prototype.newInstance();
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put(LOSS, meanLoss(unet, validation, evaluation));
            metrics.put(PSNR, evaluation.psnr());
            metrics.put(SSIM, evaluation.ssim());
            metrics.put(PSNR_Y, evaluation.psnrY());
            metrics.put(SSIM_Y, evaluation.ssimY());
            return metrics;
        });
    }

    /** The mean loss per example over the validation set, as {@code "loss"}. */
    public static Validator loss() {
        return declaring(config -> List.of(LOSS), (unet, validation) -> Map.of(LOSS, meanLoss(unet, validation, null)));
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
