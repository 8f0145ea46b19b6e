package io.github.mdunet.core.metrics;

import io.github.mdunet.core.encoder.ChannelOrder;
import io.github.mdunet.core.encoder.InputNormalization;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.evaluation.BaseEvaluation;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.evaluation.IMetric;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PSNR and SSIM of image-to-image predictions against their targets, per image and as means over images, on the
 * colour planes and on the luma (see {@link ImageQuality} for the definitions). An {@link IEvaluation}, so it works
 * with {@code ComputationGraph.doEvaluation}, {@code EvaluativeListener} and DL4J's early stopping
 * ({@link ImageQualityScoreCalculator}); the project's trainer uses it through {@code Validator.imageQuality}.
 *
 * <p>Input: labels and predictions {@code [N, C, H, W]}, C = 3 (colour) or 1 (grey), in {@code normalization} (the
 * model's pixel normalisation, undone here: values become 0-255 RGB). Both are clamped to [0, 255], as saving the
 * image would, but not rounded. {@code shave} pixels are cut from every border first (super-resolution papers shave
 * the scale factor). PSNR's peak is 255, also on luma. For grey images the luma is the grey plane.
 *
 * <p>Per-image PSNR is capped at {@link #PSNR_CEILING} (100 dB): an exact match, whose PSNR is infinite, counts as
 * 100 dB, so the means over images stay finite. 100 dB is a root-mean-square error of 0.00255 grey levels, far
 * below one 8-bit step; a prediction closer than that counts as 100 dB too.
 */
public class ImageQualityEvaluation extends BaseEvaluation<ImageQualityEvaluation> {

    /**
     * The largest per-image PSNR in dB, what an exact match counts as. Without it an exact match is infinite, and so
     * would be the mean of every image set that holds one (which a trainer would take for divergence).
     */
    public static final double PSNR_CEILING = 100;

    private static final long serialVersionUID = 1L;
    private static final double PEAK = 255;

    /** Metrics for {@link #getValue(IMetric)}: means over images; all are to be maximised. */
    public enum Metric implements IMetric {
        /** PSNR in dB over the colour planes, per image at most {@link #PSNR_CEILING}. */
        PSNR,
        /** SSIM averaged over the colour planes. */
        SSIM,
        /** PSNR in dB of the luma, per image at most {@link #PSNR_CEILING}. */
        PSNR_Y,
        /** SSIM of the luma. */
        SSIM_Y;

        @Override
        public Class<? extends IEvaluation> getEvaluationClass() {
            return ImageQualityEvaluation.class;
        }

        @Override
        public boolean minimize() {
            return false;
        }
    }

    /** How the arrays encode pixels. */
    private InputNormalization normalization = InputNormalization.UNIT_RANGE;
    /** Pixels cut from each border before measuring. */
    private int shave;
    private List<Double> psnr = new ArrayList<>();
    private List<Double> ssim = new ArrayList<>();
    private List<Double> psnrY = new ArrayList<>();
    private List<Double> ssimY = new ArrayList<>();

    /** Pixels in [0, 1] RGB, no shave. */
    public ImageQualityEvaluation() {
    }

    /**
     * @param normalization how labels and predictions encode pixels (the model's input normalisation)
     * @param shave         pixels cut from each border before measuring, >= 0
     */
    public ImageQualityEvaluation(InputNormalization normalization, int shave) {
        if (normalization == null) {
            throw new IllegalArgumentException("normalization must be set (the model's pixel normalisation, e.g."
                    + " InputNormalization.UNIT_RANGE) but was null");
        }
        if (shave < 0) {
            throw new IllegalArgumentException("shave must be >= 0 pixels but was " + shave);
        }
        this.normalization = normalization;
        this.shave = shave;
    }

    @Override
    public void eval(INDArray labels, INDArray predictions, INDArray mask,
            List<? extends Serializable> recordMetaData) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(predictions, "predictions");
        if (labels.rank() != 4 || !labels.equalShapes(predictions)) {
            throw new IllegalArgumentException("labels and predictions must both be images [N, C, H, W] of one shape"
                    + " but had shapes " + Arrays.toString(labels.shape()) + " and "
                    + Arrays.toString(predictions.shape()));
        }
        if (mask != null) {
            throw new IllegalArgumentException("ImageQualityEvaluation compares whole images: masks are not"
                    + " supported");
        }
        int channels = Math.toIntExact(labels.size(1));
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images must have 1 (grey) or 3 (colour) channels but have " + channels);
        }
        checkSize(labels.size(2), labels.size(3));
        int height = Math.toIntExact(labels.size(2)) - 2 * shave;
        int width = Math.toIntExact(labels.size(3)) - 2 * shave;
        double[] truthValues = labels.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] predictedValues = predictions.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int imageLength = channels * (int) labels.size(2) * (int) labels.size(3);
        for (int n = 0; n < labels.size(0); n++) {
            double[] truth = rgbPixels(truthValues, n * imageLength, channels, (int) labels.size(2),
                    (int) labels.size(3));
            double[] predicted = rgbPixels(predictedValues, n * imageLength, channels, (int) labels.size(2),
                    (int) labels.size(3));
            add(truth, predicted, channels, height, width);
        }
    }

    /**
     * Adds one image pair given as raw RGB (or grey) planes in 0-255, {@code [c][y][x]} flattened: for callers that
     * have pixels rather than normalised arrays (e.g. a whole image predicted in tiles). Clamped and shaved as
     * {@link #eval} does.
     */
    public void evalPixels(double[] truth, double[] predicted, int channels, int height, int width) {
        if (truth.length != channels * height * width || predicted.length != truth.length) {
            throw new IllegalArgumentException("evalPixels needs two images of " + channels + "x" + height + "x"
                    + width + " values but got " + truth.length + " and " + predicted.length);
        }
        checkSize(height, width);
        add(shaved(truth, channels, height, width), shaved(predicted, channels, height, width), channels,
                height - 2 * shave, width - 2 * shave);
    }

    private void checkSize(long fullHeight, long fullWidth) {
        long height = fullHeight - 2L * shave;
        long width = fullWidth - 2L * shave;
        if (height < ImageQuality.WINDOW || width < ImageQuality.WINDOW) {
            throw new IllegalArgumentException("images of " + fullHeight + "x" + fullWidth + " shaved by " + shave
                    + " leave " + height + "x" + width + " pixels, less than SSIM's " + ImageQuality.WINDOW + "x"
                    + ImageQuality.WINDOW + " window");
        }
    }

    private double[] shaved(double[] pixels, int channels, int fullHeight, int fullWidth) {
        int height = fullHeight - 2 * shave;
        int width = fullWidth - 2 * shave;
        double[] out = new double[channels * height * width];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[(c * height + y) * width + x] = clamp(pixels[(c * fullHeight + y + shave) * fullWidth + x
                            + shave]);
                }
            }
        }
        return out;
    }

    private void add(double[] truth, double[] predicted, int channels, int height, int width) {
        int plane = height * width;
        psnr.add(cappedPsnr(truth, predicted));
        ssim.add(ImageQuality.ssim(truth, predicted, channels, height, width, PEAK));
        double[] truthLuma = channels == 3 ? ImageQuality.luma(truth, plane) : truth;
        double[] predictedLuma = channels == 3 ? ImageQuality.luma(predicted, plane) : predicted;
        psnrY.add(cappedPsnr(truthLuma, predictedLuma));
        ssimY.add(ImageQuality.ssim(truthLuma, predictedLuma, 1, height, width, PEAK));
    }

    private static double cappedPsnr(double[] truth, double[] predicted) {
        return Math.min(PSNR_CEILING, ImageQuality.psnr(truth, predicted, PEAK));
    }

    /** One image's planes from the array's values: undone normalisation, RGB order, clamped, shaved. */
    private double[] rgbPixels(double[] values, int offset, int channels, int fullHeight, int fullWidth) {
        int height = fullHeight - 2 * shave;
        int width = fullWidth - 2 * shave;
        boolean swap = channels == 3 && normalization.channelOrder() == ChannelOrder.BGR;
        double[] out = new double[channels * height * width];
        for (int c = 0; c < channels; c++) {
            int target = swap ? 2 - c : c;
            double std = normalization.stdOf(c);
            double mean = normalization.meanOf(c);
            double scale = normalization.scale();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double value = values[offset + (c * fullHeight + y + shave) * fullWidth + x + shave];
                    out[(target * height + y) * width + x] = clamp((value * std + mean) / scale);
                }
            }
        }
        return out;
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(PEAK, value));
    }

    @Override
    public void merge(ImageQualityEvaluation other) {
        if (other == null) {
            return;
        }
        psnr.addAll(other.psnr);
        ssim.addAll(other.ssim);
        psnrY.addAll(other.psnrY);
        ssimY.addAll(other.ssimY);
    }

    @Override
    public void reset() {
        psnr = new ArrayList<>();
        ssim = new ArrayList<>();
        psnrY = new ArrayList<>();
        ssimY = new ArrayList<>();
    }

    @Override
    public ImageQualityEvaluation newInstance() {
        return new ImageQualityEvaluation(normalization, shave);
    }

    @Override
    public double getValue(IMetric metric) {
        if (!(metric instanceof Metric)) {
            throw new IllegalArgumentException("ImageQualityEvaluation supports the metrics "
                    + Arrays.toString(Metric.values()) + " but was asked for " + metric);
        }
        return switch ((Metric) metric) {
            case PSNR -> psnr();
            case SSIM -> ssim();
            case PSNR_Y -> psnrY();
            case SSIM_Y -> ssimY();
        };
    }

    /** Images evaluated so far. */
    public int count() {
        return psnr.size();
    }

    /** Mean PSNR over images, colour planes, each at most {@link #PSNR_CEILING}; NaN before any image. */
    public double psnr() {
        return mean(psnr);
    }

    /** Mean SSIM over images, colour planes; NaN before any image. */
    public double ssim() {
        return mean(ssim);
    }

    /** Mean PSNR over images, luma, each at most {@link #PSNR_CEILING}; NaN before any image. */
    public double psnrY() {
        return mean(psnrY);
    }

    /** Mean SSIM over images, luma; NaN before any image. */
    public double ssimY() {
        return mean(ssimY);
    }

    /** Per-image values of {@code metric}, in evaluation order. */
    public List<Double> perImage(Metric metric) {
        return switch (metric) {
            case PSNR -> List.copyOf(psnr);
            case SSIM -> List.copyOf(ssim);
            case PSNR_Y -> List.copyOf(psnrY);
            case SSIM_Y -> List.copyOf(ssimY);
        };
    }

    private static double mean(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.stream().mapToDouble(Double::doubleValue).average().orElse(
                Double.NaN);
    }

    public InputNormalization getNormalization() {
        return normalization;
    }

    public int getShave() {
        return shave;
    }

    @Override
    public String stats() {
        return String.format("%d images (shave %d): PSNR %.3f dB, SSIM %.4f, PSNR(Y) %.3f dB, SSIM(Y) %.4f", count(),
                shave, psnr(), ssim(), psnrY(), ssimY());
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ImageQualityEvaluation other)) {
            return false;
        }
        return shave == other.shave && normalization.equals(other.normalization) && psnr.equals(other.psnr)
                && ssim.equals(other.ssim) && psnrY.equals(other.psnrY) && ssimY.equals(other.ssimY);
    }

    @Override
    public int hashCode() {
        return Objects.hash(normalization, shave, psnr, ssim, psnrY, ssimY);
    }
}
