package io.github.mdunet.core.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SameDiffOpsTest extends DoubleOneThreadTestBase {

    static EnumSet<Activation> supportedActivations() {
        return EnumSet.copyOf(SameDiffOps.SUPPORTED_ACTIVATIONS);
    }

    @ParameterizedTest
    @MethodSource("supportedActivations")
    void activationsMatchDl4jImplementations(Activation activation) {
        Nd4j.getRandom().setSeed(21);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 2, 3, 4, 5).muli(3);
        SameDiff sd = SameDiff.create();
        INDArray output = SameDiffOps.activate(sd, sd.constant(input), activation).eval();
        assertThat(LayerTestSupport.maxAbsDifference(output, Reference.activation(input, activation)))
                .isLessThan(1e-12);
    }

    /** Why {@link SameDiffOps#activate} exists; if this fails, M2.1's mapping was fixed upstream. */
    @Test
    void leakyReluOfActivationAsSameDiffIsAPlainRelu() {
        INDArray input = Nd4j.createFromArray(-2.0, 3.0);
        SameDiff sd = SameDiff.create();
        assertThat(Activation.LEAKYRELU.asSameDiff(sd, sd.constant(input)).eval())
                .isEqualTo(Nd4j.createFromArray(0.0, 3.0));
        assertThat(Reference.activation(input, Activation.LEAKYRELU)).isEqualTo(Nd4j.createFromArray(-0.02, 3.0));
    }

    @Test
    void convolutionWithOiyxWeightsMatchesReference() {
        Nd4j.getRandom().setSeed(22);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 2, 3, 5, 4);
        INDArray weights = Nd4j.randn(DataType.DOUBLE, 4, 3, 3, 3);
        INDArray bias = Nd4j.randn(DataType.DOUBLE, 4);
        SameDiff sd = SameDiff.create();
        INDArray output = SameDiffOps.conv2d(sd, sd.constant(input), sd.constant(weights), sd.constant(bias), 3)
                .eval();
        assertThat(LayerTestSupport.maxAbsDifference(output, Reference.conv2dSame(input, weights, bias)))
                .isLessThan(1e-12);
    }
}
