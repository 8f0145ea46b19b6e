package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.BrightShapes;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ValidatorTest {

    /** The built-in validators declare their metrics' names before validating, as {@code validate} returns them. */
    @Test
    void theBuiltInValidatorsDeclareTheMetricsTheyReturn() {
        UNet unet = TrainerTest.tinyUNet();
        UNet sigmoid = UNet.build(unet.config().toBuilder().numClasses(1).head(new HeadActivation.Sigmoid())
                .build());
        DataSet shapes = BrightShapes.generate(2, 16, 5);
        DataSet oneChannel = new DataSet(shapes.getFeatures(), shapes.getLabels().get(NDArrayIndex.all(),
                NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.all()).dup());
        for (var validated : List.of(Map.entry(unet, shapes), Map.entry(sigmoid, oneChannel))) {
            for (Validator validator : List.of(Validator.segmentation(), Validator.loss())) {
                Map<String, Double> metrics = validator.validate(validated.getKey(),
                        new ListDataSetIterator<>(List.of(validated.getValue())));
                assertThat(validator.metricNames(validated.getKey().config()))
                        .hasValue(List.copyOf(metrics.keySet()));
            }
        }
        assertThat(Validator.segmentation().metricNames(sigmoid.config())).hasValueSatisfying(names ->
                assertThat(names).endsWith("iou/0", "iou/1"));
        assertThat(Validator.imageQuality(InputNormalization.UNIT_RANGE, 0).metricNames(unet.config()))
                .hasValue(List.of("loss", "psnr", "ssim", "psnrY", "ssimY"));
        Validator undeclared = (model, validation) -> Map.of("loss", 0.0);
        assertThat(undeclared.metricNames(unet.config())).isEmpty();
        assertThat(Validator.declaring(config -> List.of("loss", "f1"), undeclared).metricNames(unet.config()))
                .hasValue(List.of("loss", "f1"));
    }

    /**
     * Labels that are the model's own predictions except on a masked-out block, where they are wrong: the metrics,
     * like the loss, leave the masked pixels out.
     */
    @Test
    void segmentationMetricsLeaveOutMaskedPixels() {
        UNet unet = TrainerTest.tinyUNet();
        INDArray features = BrightShapes.generate(2, 16, 5).getFeatures();
        INDArray predicted = unet.graph().outputSingle(false, features).argMax(1).castTo(DataType.FLOAT)
                .reshape(2, 1, 16, 16);
        INDArray labels = Nd4j.concat(1, predicted.rsub(1.0), predicted);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 2, 1, 16, 16);
        labels.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.interval(0, 6))
                .rsubi(1.0);
        mask.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.interval(0, 6))
                .assign(0);
        DataSet batch = new DataSet(features, labels, null, mask);

        Map<String, Double> metrics =
                Validator.segmentation().validate(unet, new ListDataSetIterator<>(List.of(batch)));

        assertThat(metrics.get("meanIoU")).isEqualTo(1.0);
        assertThat(metrics.get("pixelAccuracy")).isEqualTo(1.0);
        assertThat(metrics.get("loss")).isFinite();
    }
}
