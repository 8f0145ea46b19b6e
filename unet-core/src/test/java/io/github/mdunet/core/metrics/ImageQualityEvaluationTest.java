package io.github.mdunet.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ChannelOrder;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.train.Validator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The evaluation: normalisation undone, clamping, shave, luma, means over images, and DL4J's evaluation paths. */
class ImageQualityEvaluationTest {

    private static final InputNormalization RAW = new InputNormalization(ChannelOrder.RGB, 1.0, List.of(0.0),
            List.of(1.0));

    /** Constant colour images [1, 3, h, w]. */
    private static INDArray colour(double r, double g, double b, int height, int width) {
        INDArray image = Nd4j.create(DataType.FLOAT, 1, 3, height, width);
        image.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                .assign(r);
        image.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(1))
                .assign(g);
        image.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(2))
                .assign(b);
        return image;
    }

    @Test
    void colourAndLumaOfConstantImages() {
        ImageQualityEvaluation evaluation = new ImageQualityEvaluation(RAW, 0);
        evaluation.eval(colour(255, 0, 0, 12, 12), colour(0, 0, 255, 12, 12));
        // colour: MSE (255^2 + 0 + 255^2) / 3; luma: 81.481 against 40.966
        assertThat(evaluation.psnr()).isCloseTo(10 * Math.log10(1.5), within(1e-6));
        assertThat(evaluation.psnrY()).isCloseTo(20 * Math.log10(255 / (65.481 - 24.966)), within(1e-5));
        double c1 = Math.pow(2.55, 2);
        double lumaSsim = (2 * 81.481 * 40.966 + c1) / (81.481 * 81.481 + 40.966 * 40.966 + c1);
        assertThat(evaluation.ssimY()).isCloseTo(lumaSsim, within(1e-5));
        // colour SSIM: red plane 255 vs 0, green equal, blue 0 vs 255
        assertThat(evaluation.ssim()).isCloseTo((c1 / (65025 + c1) + 1 + c1 / (65025 + c1)) / 3, within(1e-6));
        assertThat(evaluation.getValue(ImageQualityEvaluation.Metric.PSNR_Y)).isEqualTo(evaluation.psnrY());
    }

    @Test
    void undoesTheModelsNormalisation() {
        INDArray truth = colour(200, 100, 50, 12, 12);
        INDArray predicted = colour(190, 100, 60, 12, 12);
        ImageQualityEvaluation raw = new ImageQualityEvaluation(RAW, 0);
        raw.eval(truth, predicted);
        ImageQualityEvaluation unit = new ImageQualityEvaluation(InputNormalization.UNIT_RANGE, 0);
        unit.eval(truth.div(255), predicted.div(255));
        ImageQualityEvaluation caffe = new ImageQualityEvaluation(InputNormalization.CAFFE_BGR, 0);
        caffe.eval(caffeBgr(truth), caffeBgr(predicted));
        for (ImageQualityEvaluation other : List.of(unit, caffe)) {
            assertThat(other.psnr()).isCloseTo(raw.psnr(), within(1e-4));
            assertThat(other.psnrY()).isCloseTo(raw.psnrY(), within(1e-4));
            assertThat(other.ssim()).isCloseTo(raw.ssim(), within(1e-6));
            assertThat(other.ssimY()).isCloseTo(raw.ssimY(), within(1e-6));
        }
        // MSE (100 + 0 + 100) / 3
        assertThat(raw.psnr()).isCloseTo(10 * Math.log10(65025 * 3 / 200.0), within(1e-5));
    }

    private static INDArray caffeBgr(INDArray rgb) {
        INDArray bgr = rgb.dup();
        double[] mean = {103.939, 116.779, 123.68};
        for (int c = 0; c < 3; c++) {
            bgr.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c))
                    .assign(rgb.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(2 - c)).sub(mean[c]));
        }
        return bgr;
    }

    @Test
    void clampsPredictionsAndShavesBorders() {
        ImageQualityEvaluation evaluation = new ImageQualityEvaluation(RAW, 0);
        evaluation.eval(colour(255, 255, 0, 12, 12), colour(300, 400, -20, 12, 12));
        assertThat(evaluation.psnr()).as("values outside 0-255 are clamped")
                .isEqualTo(ImageQualityEvaluation.PSNR_CEILING);

        INDArray truth = colour(100, 100, 100, 16, 16);
        INDArray predicted = truth.dup();
        predicted.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)).assign(0);
        ImageQualityEvaluation shaved = new ImageQualityEvaluation(RAW, 2);
        shaved.eval(truth, predicted);
        assertThat(shaved.psnr()).isEqualTo(ImageQualityEvaluation.PSNR_CEILING);
        assertThat(shaved.ssim()).isEqualTo(1.0);
        ImageQualityEvaluation whole = new ImageQualityEvaluation(RAW, 0);
        whole.eval(truth, predicted);
        // two of sixteen rows are off by 100
        assertThat(whole.psnr()).isCloseTo(10 * Math.log10(65025 / (10000 * 2 / 16.0)), within(1e-5));
        assertThatThrownBy(() -> new ImageQualityEvaluation(RAW, 3).eval(truth, predicted))
                .hasMessageContaining("images of 16x16 shaved by 3 leave 10x10 pixels, less than SSIM's 11x11");
    }

    /** An exact match counts as the ceiling, so one perfect image leaves the mean finite. */
    @Test
    void anExactMatchCountsAsTheCeiling() {
        ImageQualityEvaluation evaluation = new ImageQualityEvaluation(RAW, 0);
        evaluation.eval(colour(10, 20, 30, 12, 12), colour(10, 20, 30, 12, 12));
        evaluation.eval(colour(100, 100, 100, 12, 12), colour(110, 110, 110, 12, 12));
        double imperfect = 10 * Math.log10(65025 / 100.0);
        assertThat(ImageQualityEvaluation.PSNR_CEILING).isEqualTo(100.0);
        assertThat(evaluation.perImage(ImageQualityEvaluation.Metric.PSNR)).containsExactly(100.0, imperfect);
        assertThat(evaluation.perImage(ImageQualityEvaluation.Metric.PSNR_Y).get(0)).isEqualTo(100.0);
        assertThat(evaluation.psnr()).isCloseTo((100 + imperfect) / 2, within(1e-9));
        assertThat(evaluation.getValue(ImageQualityEvaluation.Metric.PSNR_Y)).isFinite();
        double[] pixels = new double[12 * 12];
        java.util.Arrays.fill(pixels, 7);
        ImageQualityEvaluation fromPixels = new ImageQualityEvaluation(RAW, 0);
        fromPixels.evalPixels(pixels, pixels.clone(), 1, 12, 12);
        assertThat(fromPixels.psnr()).isEqualTo(100.0);
    }

    /** DL4J's evaluations are Serializable (Spark ships them); this one with its normalisation too. */
    @Test
    void survivesJavaSerialisationAfterEvaluatingABatch() throws Exception {
        ImageQualityEvaluation evaluation = new ImageQualityEvaluation(InputNormalization.IMAGENET, 1);
        evaluation.eval(Nd4j.concat(0, colour(0.1, 0.2, 0.3, 14, 13), colour(0.5, 0.5, 0.5, 14, 13)),
                Nd4j.concat(0, colour(0.2, 0.2, 0.3, 14, 13), colour(0.5, 0.4, 0.5, 14, 13)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(evaluation);
        }
        Object read;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            read = in.readObject();
        }
        ImageQualityEvaluation copy = (ImageQualityEvaluation) read;
        assertThat(copy).isEqualTo(evaluation);
        assertThat(copy.count()).isEqualTo(2);
        assertThat(copy.getNormalization()).isEqualTo(InputNormalization.IMAGENET);
        assertThat(copy.getShave()).isEqualTo(1);
        assertThat(copy.psnr()).isEqualTo(evaluation.psnr());
    }

    @Test
    void meansAreOverImagesAndMergeAddsImages() {
        INDArray truth = Nd4j.concat(0, colour(100, 100, 100, 12, 12), colour(100, 100, 100, 12, 12));
        INDArray predicted = Nd4j.concat(0, colour(110, 110, 110, 12, 12), colour(120, 120, 120, 12, 12));
        ImageQualityEvaluation evaluation = new ImageQualityEvaluation(RAW, 0);
        evaluation.eval(truth, predicted);
        double first = 10 * Math.log10(65025 / 100.0);
        double second = 10 * Math.log10(65025 / 400.0);
        assertThat(evaluation.perImage(ImageQualityEvaluation.Metric.PSNR)).containsExactly(first, second);
        assertThat(evaluation.psnr()).isCloseTo((first + second) / 2, within(1e-9));
        ImageQualityEvaluation other = evaluation.newInstance();
        assertThat(other.count()).isZero();
        assertThat(other.psnr()).isNaN();
        other.eval(colour(100, 100, 100, 12, 12), colour(110, 110, 110, 12, 12));
        evaluation.merge(other);
        assertThat(evaluation.count()).isEqualTo(3);
        assertThat(evaluation.psnr()).isCloseTo((2 * first + second) / 3, within(1e-9));
        double[] pixels = new double[3 * 12 * 12];
        java.util.Arrays.fill(pixels, 100);
        double[] brighter = pixels.clone();
        java.util.Arrays.fill(brighter, 110);
        ImageQualityEvaluation fromPixels = new ImageQualityEvaluation(RAW, 0);
        fromPixels.evalPixels(pixels, brighter, 3, 12, 12);
        assertThat(fromPixels.psnr()).isCloseTo(first, within(1e-9));
    }

    @Test
    void worksWithDl4jsEvaluationAndTheTrainersValidator() {
        // A residual U-Net with a zero head returns its input.
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 4, Normalization.NONE))
                .input(new ImageShape(3, 16, 16)).numClasses(3).head(new HeadActivation.Residual()).build());
        unet.graph().getLayer(VertexNames.HEAD).getParam("W").assign(0);
        INDArray truth = colour(100, 150, 200, 16, 16).div(255);
        INDArray input = colour(110, 150, 200, 16, 16).div(255);
        ImageQualityEvaluation evaluation = unet.graph().doEvaluation(
                new ListDataSetIterator<>(List.of(new DataSet(input, truth))),
                new ImageQualityEvaluation(InputNormalization.UNIT_RANGE, 0))[0];
        double expected = 10 * Math.log10(65025 * 3 / 100.0);
        assertThat(evaluation.psnr()).isCloseTo(expected, within(1e-3));
        Map<String, Double> metrics = Validator.imageQuality(InputNormalization.UNIT_RANGE, 1)
                .validate(unet, new ListDataSetIterator<>(List.of(new DataSet(input, truth))));
        assertThat(metrics).containsOnlyKeys("loss", "psnr", "ssim", "psnrY", "ssimY");
        assertThat(metrics.get("psnr")).isCloseTo(expected, within(1e-3));
        ImageQualityScoreCalculator calculator = new ImageQualityScoreCalculator(ImageQualityEvaluation.Metric.PSNR,
                new ImageQualityEvaluation(InputNormalization.UNIT_RANGE, 0),
                new ListDataSetIterator<>(List.of(new DataSet(input, truth))));
        assertThat(calculator.calculateScore(unet.graph())).isCloseTo(expected, within(1e-3));
        assertThat(calculator.minimizeScore()).isFalse();
    }
}
