package io.github.mdunet.core.optim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** TorchAdam computes torch.optim.Adam's steps, where DL4J's Adam differs for small gradients. */
class TorchAdamTest {

    private static final double LR = 1e-3;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    /** torch.optim.Adam (no weight decay, no amsgrad) in plain doubles: the updates of three steps. */
    private static double[][] pytorch(double[][] gradients) {
        int n = gradients[0].length;
        double[] m = new double[n];
        double[] v = new double[n];
        double[][] updates = new double[gradients.length][n];
        for (int t = 1; t <= gradients.length; t++) {
            for (int i = 0; i < n; i++) {
                double g = gradients[t - 1][i];
                m[i] = BETA1 * m[i] + (1 - BETA1) * g;
                v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
                double mHat = m[i] / (1 - Math.pow(BETA1, t));
                double vHat = v[i] / (1 - Math.pow(BETA2, t));
                updates[t - 1][i] = LR * mHat / (Math.sqrt(vHat) + EPS);
            }
        }
        return updates;
    }

    /** The updates an IUpdater computes for the same gradients (DL4J subtracts the returned update). */
    private static double[][] run(IUpdater config, double[][] gradients) {
        int n = gradients[0].length;
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, (long) config.stateSize(n));
        GradientUpdater<?> updater = config.instantiate(state, true);
        double[][] updates = new double[gradients.length][];
        for (int t = 0; t < gradients.length; t++) {
            INDArray gradient = Nd4j.createFromArray(gradients[t]).reshape(1, n);
            updater.applyUpdater(gradient, t, 0);
            updates[t] = gradient.toDoubleVector();
        }
        return updates;
    }

    // gradients from large to far below epsilon, changing sign
    private static final double[][] GRADIENTS = {
            {1e-1, -3e-4, 2e-7, 5e-9, -1e-10},
            {2e-1, 1e-4, -1e-7, 4e-9, -2e-10},
            {-5e-2, -2e-4, 3e-7, 6e-9, 1e-10}};

    @Test
    void everyStepEqualsPyTorchsAdamFromLargeToTinyGradients() {
        double[][] expected = pytorch(GRADIENTS);
        double[][] actual = run(new TorchAdam(LR, BETA1, BETA2, EPS), GRADIENTS);
        for (int t = 0; t < expected.length; t++) {
            for (int i = 0; i < expected[t].length; i++) {
                assertThat(actual[t][i]).as("step %d, element %d", t + 1, i)
                        .isCloseTo(expected[t][i], org.assertj.core.data.Percentage.withPercentage(1e-6));
            }
        }
    }

    @Test
    void dl4jsAdamTakesAShorterFirstStepForAGradientNearEpsilon() {
        double[][] torch = pytorch(GRADIENTS);
        double[][] dl4j = run(new Adam(LR, BETA1, BETA2, EPS), GRADIENTS);
        // element 3 (5e-9): PyTorch's first step is about lr * 0.97, DL4J's about lr * 0.5
        assertThat(dl4j[0][3]).isLessThan(0.6 * torch[0][3]);
        // a large gradient is unaffected
        assertThat(dl4j[0][0]).isCloseTo(torch[0][0], org.assertj.core.data.Percentage.withPercentage(1e-2));
    }

    @Test
    void survivesJsonAndCloneAndIsNotEqualToDl4jsAdam() throws Exception {
        TorchAdam original = new TorchAdam(3e-4, 0.8, 0.99, 1e-7);
        ObjectMapper json = new ObjectMapper();
        IUpdater back = json.readValue(json.writeValueAsString(original), IUpdater.class);
        assertThat(back).isInstanceOf(TorchAdam.class).isEqualTo(original);
        assertThat(original.clone()).isInstanceOf(TorchAdam.class).isEqualTo(original).isNotSameAs(original);
        assertThat(original).isNotEqualTo(new Adam(3e-4, 0.8, 0.99, 1e-7));
    }
}
