package io.github.mdunet.core.layers.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.layers.direct.OutputActivation.Kind;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ReLU's gradient ({@link OutputActivation#reluBackprop}) on each of its paths (contiguous arrays and ranges of
 * images; libnd4j's {@code relu_bp} in place and on other views) against the hand-written rule
 * {@code epsilon where output > 0, else 0} and against {@code relu_bp}, to the bit.
 */
class OutputActivationTest {

    private static final long[] SHAPE = {3, 4, 5, 6};

    @Test
    void contiguousArraysGetTheGradientOfReluAlsoAtZeroAndForANanOutput() {
        INDArray output = outputWithZerosAndNan(SHAPE);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, SHAPE).subi(0.5);
        INDArray target = Nd4j.create(DataType.FLOAT, SHAPE);

        INDArray gradient = OutputActivation.reluBackprop(output, epsilon, target);

        assertThat(gradient).isSameAs(target);
        assertThat(gradient).isEqualTo(reference(output, epsilon)).isEqualTo(reluBp(output, epsilon));
    }

    /** A range of images is contiguous, at an offset into its array. */
    @Test
    void aRangeOfImagesIsDifferentiatedAtItsOffset() {
        assertAViewGetsTheGradientOfRelu(new long[] {5, 4, 5, 6}, array -> images(array, 2, 5));
    }

    /** A decoder join's inputs are channel ranges of its output (views that are not contiguous). */
    @Test
    void channelRangesGetTheGradientOfRelu() {
        assertAViewGetsTheGradientOfRelu(new long[] {3, 10, 5, 6}, array -> channels(array, 3, 7));
    }

    /**
     * ReLU's gradient over {@code view} (of {@link #SHAPE}'s shape) of an output and an epsilon shaped {@code whole},
     * into a contiguous target, is the hand-written rule's on copies of those views.
     */
    private static void assertAViewGetsTheGradientOfRelu(long[] whole, UnaryOperator<INDArray> view) {
        INDArray outputView = view.apply(outputWithZerosAndNan(whole));
        INDArray epsilonView = view.apply(Nd4j.rand(DataType.FLOAT, whole).subi(0.5));
        INDArray target = Nd4j.create(DataType.FLOAT, SHAPE);

        INDArray gradient = OutputActivation.reluBackprop(outputView, epsilonView, target);

        assertThat(gradient).isEqualTo(reference(outputView.dup(), epsilonView.dup()));
    }

    @Test
    void inPlaceAndOtherViewsTakeReluBp() {
        INDArray output = outputWithZerosAndNan(SHAPE);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, SHAPE).subi(0.5);
        INDArray expected = reference(output, epsilon);

        INDArray inPlace = epsilon.dup();
        assertThat(OutputActivation.reluBackprop(output, inPlace, inPlace)).isEqualTo(expected);
        assertThat(inPlace).isEqualTo(expected);

        INDArray outputF = output.dup('f');
        INDArray epsilonF = epsilon.dup('f');
        INDArray permuted = OutputActivation.reluBackprop(outputF.permute(3, 2, 1, 0), epsilonF.permute(3, 2, 1, 0),
                Nd4j.create(DataType.FLOAT, 6, 5, 4, 3));
        assertThat(permuted).isEqualTo(expected.permute(3, 2, 1, 0));
    }

    /** A join's output, or a copy of a sub-pixel's, takes the gradient in place: the same values as into a target. */
    @Test
    void theGradientOverTheOutputEqualsTheGradientIntoAnotherArrayForEveryKind() {
        INDArray output = outputWithZerosAndNan(SHAPE);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, SHAPE).subi(0.5);
        INDArray epsilonBefore = epsilon.dup();

        for (OutputActivation activation : new OutputActivation[] {new OutputActivation(Kind.IDENTITY, 0),
                new OutputActivation(Kind.RELU, 0), new OutputActivation(Kind.LEAKY_RELU, 0.1)}) {
            INDArray expected = activation.backprop(output, epsilon, Nd4j.create(DataType.FLOAT, SHAPE)).dup();
            INDArray overwritten = output.dup();

            assertThat(activation.backpropOverOutput(overwritten, epsilon)).as("%s", activation)
                    .isSameAs(overwritten).isEqualTo(expected);
            assertThat(epsilon).isEqualTo(epsilonBefore);
        }
        assertThat(new OutputActivation(Kind.RELU, 0).backpropOverOutput(output.dup(), epsilon))
                .isEqualTo(reference(output, epsilon));
    }

    private static INDArray outputWithZerosAndNan(long[] shape) {
        INDArray output = Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
        output.putScalar(new long[] {0, 0, 0, 0}, 0f);
        output.putScalar(new long[] {1, 2, 3, 4}, 0f);
        output.putScalar(new long[] {2, 3, 4, 5}, Float.NaN);
        return output;
    }

    private static INDArray reference(INDArray output, INDArray epsilon) {
        INDArray expected = Nd4j.create(DataType.FLOAT, output.shape());
        float[] y = output.dup('c').data().asFloat();
        float[] e = epsilon.dup('c').data().asFloat();
        float[] g = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            g[i] = y[i] > 0 ? e[i] : 0f;
        }
        return expected.assign(Nd4j.createFromArray(g).reshape(output.shape()));
    }

    private static INDArray reluBp(INDArray output, INDArray epsilon) {
        return Nd4j.exec(new RectifiedLinearDerivative(output, epsilon, Nd4j.create(DataType.FLOAT,
                output.shape())))[0];
    }

    private static INDArray images(INDArray array, long from, long to) {
        return array.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }

    private static INDArray channels(INDArray array, long from, long to) {
        return array.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all());
    }
}
