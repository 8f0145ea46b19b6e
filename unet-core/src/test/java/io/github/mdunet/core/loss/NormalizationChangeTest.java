package io.github.mdunet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Re-expressing pixels between normalisations: hand-computed values and the adjoint gradient. */
class NormalizationChangeTest extends DoubleOneThreadTestBase {

    @Test
    void unitRangeRgbBecomesCaffeBgr() {
        // One pixel, RGB (0.2, 0.4, 0.6) in [0, 1]: caffe's BGR is (153 - 103.939, 102 - 116.779, 51 - 123.68).
        INDArray rgb = Nd4j.createFromArray(0.2, 0.4, 0.6).reshape(1, 3, 1, 1);
        INDArray bgr = new NormalizationChange(InputNormalization.UNIT_RANGE, InputNormalization.CAFFE_BGR, 3)
                .apply(rgb).reshape(3);
        assertThat(bgr.toDoubleVector()).containsExactly(new double[] {153 - 103.939, 102 - 116.779, 51 - 123.68},
                within(1e-9));
        INDArray back = new NormalizationChange(InputNormalization.CAFFE_BGR, InputNormalization.UNIT_RANGE, 3)
                .apply(bgr.reshape(1, 3, 1, 1)).reshape(3);
        assertThat(back.toDoubleVector()).containsExactly(new double[] {0.2, 0.4, 0.6}, within(1e-12));
        INDArray imagenet = new NormalizationChange(InputNormalization.UNIT_RANGE, InputNormalization.IMAGENET, 3)
                .apply(rgb).reshape(3);
        assertThat(imagenet.toDoubleVector()).containsExactly(new double[] {(0.2 - 0.485) / 0.229,
                (0.4 - 0.456) / 0.224, (0.6 - 0.406) / 0.225}, within(1e-12));
    }

    @Test
    void backpropIsTheAdjointOfTheLinearPart() {
        NormalizationChange change = new NormalizationChange(InputNormalization.IMAGENET, TinyFeatures.NORMALIZATION,
                3);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 5);
        INDArray g = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 5);
        INDArray linear = change.apply(x).sub(change.apply(Nd4j.zeros(DataType.DOUBLE, 2, 3, 4, 5)));
        double left = linear.mul(g).sumNumber().doubleValue();
        double right = x.mul(change.backprop(g)).sumNumber().doubleValue();
        assertThat(left).isCloseTo(right, within(1e-9 * Math.abs(left)));
    }
}
