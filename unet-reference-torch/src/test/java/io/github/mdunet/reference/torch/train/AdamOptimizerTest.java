package io.github.mdunet.reference.torch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.github.mdunet.reference.torch.net.Tensors;
import io.github.mdunet.reference.torch.net.TorchRuntime;
import io.github.mdunet.reference.torch.spec.AdamSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdamOptimizerTest {

    @BeforeAll
    static void threads() {
        TorchRuntime.useAllCores();
    }

    private static Tensor parameter(float... values) {
        return Tensors.keep(Tensors.floats(new long[] {values.length}, values).set_requires_grad(true));
    }

    /** A loss whose gradient changes with the parameters: sum(p^3) / 3 + sum(p * 0.7). */
    private static void backward(Tensor... parameters) {
        try (PointerScope scope = new PointerScope()) {
            Tensor loss = null;
            for (Tensor p : parameters) {
                Tensor term = p.mul(p).mul(p).sum().div(new Scalar(3.0)).add(p.mul(new Scalar(0.7)).sum());
                loss = loss == null ? term : loss.add(term);
            }
            loss.backward();
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.05})
    void matchesLibtorchAdamStepForStep(double weightDecay) {
        float[] start = {0.5f, -1.25f, 2.0f, 0.0f, 3.5f};
        Tensor ours = parameter(start);
        Tensor theirs = parameter(start);
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        parameters.put("p", ours);
        AdamOptimizer adam = new AdamOptimizer(parameters, new AdamSettings(0.9, 0.999, 1e-8), weightDecay);
        AdamOptions options = new AdamOptions(0.01);
        options.weight_decay().put(weightDecay);
        Adam reference = new Adam(new TensorVector(theirs), options);
        double[] learningRates = {0.01, 0.03, 0.02, 0.05, 0.001, 0.04};

        for (double learningRate : learningRates) {
            adam.zeroGrad();
            backward(ours);
            adam.step(learningRate);

            reference.zero_grad();
            backward(theirs);
            reference.param_groups().get(0).options().set_lr(learningRate);
            reference.step();
        }

        float[] expected = Tensors.toFloats(theirs);
        float[] actual = Tensors.toFloats(ours);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("parameter %d", i).isCloseTo(expected[i], offset(2e-6f));
            assertThat(actual[i]).as("parameter %d moved", i).isNotEqualTo(start[i]);
        }
        assertThat(adam.steps()).isEqualTo(learningRates.length);
        assertThat(adam.exportState()).containsOnlyKeys("adam.p.m", "adam.p.v");
    }
}
