package io.github.mdunet.examples.parity;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.train.LearningRateSchedule;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Four training steps of the project's trainer against libtorch's on identical weights and batches (the committed
 * fixtures {@code parity/tiny} on DL4J's stock layers and {@code parity/tiny-fused} on the fused blocks): loss,
 * learning rate, first gradients, parameters, running statistics, Adam's moments and the inference logits agree
 * within the stated float32 tolerances.
 */
class StepParityTest {

    private static Path fixture() throws URISyntaxException {
        return fixture("tiny");
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(StepParityTest.class.getResource("/parity/" + name + "/expected.npz").toURI()).getParent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "tiny-fused"})
    void fourStepsOfTheTrainerMatchPyTorchsWithinFloat32Tolerances(String name) throws Exception {
        Map<String, INDArray> ours = CompareSteps.trace(fixture(name));
        List<StepComparison.Row> rows = StepComparison.compare(ours,
                ReferenceTensors.readNpz(CaseFile.EXPECTED.in(fixture(name))));
        assertThat(rows).hasSize(StepComparison.Kind.values().length);
        assertThat(rows).as(StepComparison.toTable(rows)).allMatch(StepComparison.Row::withinTolerance);
    }

    @Test
    void theFusedPathsRunningStatisticsAreLibtorchsToFloat32Precision() throws Exception {
        // The fused blocks and the standalone DirectBatchNorms (the skips', the mid block's input) move their running
        // variance by the unbiased batch variance, as libtorch does (DL4J's stock batch norm, by the biased one, ends
        // about 1e-3 from libtorch's here).
        Map<String, INDArray> ours = CompareSteps.trace(fixture("tiny-fused"));
        Map<String, INDArray> expected = ReferenceTensors.readNpz(CaseFile.EXPECTED.in(fixture("tiny-fused")));
        int fusedStatistics = 0;
        int standaloneStatistics = 0;
        for (Map.Entry<String, INDArray> entry : expected.entrySet()) {
            String key = entry.getKey();
            if (StepComparison.Kind.of(key) != StepComparison.Kind.RUNNING_STATISTICS) {
                continue;
            }
            assertThat(ours).containsKey(key);
            INDArray reference = entry.getValue().castTo(DataType.DOUBLE);
            double relative = ours.get(key).castTo(DataType.DOUBLE).reshape(reference.shape()).sub(reference)
                    .amaxNumber().doubleValue() / reference.amaxNumber().doubleValue();
            assertThat(relative).as(key).isLessThan(1e-5);
            if (key.contains("_conv_bn_act.")) {
                fusedStatistics++;
            } else {
                standaloneStatistics++;
            }
        }
        assertThat(fusedStatistics).isEqualTo(2 * 12);
        assertThat(standaloneStatistics).as("mid_in_bn, dec1_skip_bn, dec2_skip_bn").isEqualTo(2 * 3);
    }

    @Test
    void dl4jsOwnAdamMovesParametersWithTinyGradientsLessThanPyTorch(@TempDir Path work) throws Exception {
        // The difference TorchAdam fixes: the same case with DL4J's Adam leaves the parameters further from PyTorch's.
        UNet torchAdam = UNet.load(CaseFile.MODEL.in(fixture()));
        Adam dl4jAdam = new Adam(torchAdam.config().updater().getLearningRate(0, 0));
        UNet withDl4jAdam = UNet.build(torchAdam.config().toBuilder().updater(dl4jAdam).build());
        withDl4jAdam.graph().setParams(torchAdam.graph().params());
        var batches = ReferenceCase.readBatches(fixture(), torchAdam.config().numClasses());
        LearningRateSchedule schedule = CompareSteps.schedule(CaseFile.RECIPE.in(fixture()));
        Map<String, INDArray> expected = ReferenceTensors.readNpz(CaseFile.EXPECTED.in(fixture()));
        double dl4j = parameterDistance(StepTrace.run(withDl4jAdam, batches, schedule, work.resolve("a")), expected);
        double torch = parameterDistance(StepTrace.run(torchAdam, batches, schedule, work.resolve("b")), expected);
        assertThat(dl4j).isGreaterThan(2 * torch);
    }

    /** The summed absolute difference of all trained parameters after the last step. */
    private static double parameterDistance(Map<String, INDArray> trace, Map<String, INDArray> expected) {
        double sum = 0;
        for (Map.Entry<String, INDArray> entry : expected.entrySet()) {
            if (StepComparison.Kind.of(entry.getKey()) == StepComparison.Kind.PARAMETERS) {
                sum += trace.get(entry.getKey()).castTo(entry.getValue().dataType())
                        .reshape(entry.getValue().shape()).sub(entry.getValue()).norm1Number().doubleValue();
            }
        }
        return sum;
    }
}
