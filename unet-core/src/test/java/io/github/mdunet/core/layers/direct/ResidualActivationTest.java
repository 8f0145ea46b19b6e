package io.github.mdunet.core.layers.direct;

import static io.github.mdunet.core.layers.LayerTestSupport.INPUT;
import static io.github.mdunet.core.layers.LayerTestSupport.OUTPUT;
import static io.github.mdunet.core.layers.direct.JoinTestGraphs.INPUT_TYPE;
import static io.github.mdunet.core.layers.direct.JoinTestGraphs.JOIN;
import static io.github.mdunet.core.layers.direct.JoinTestGraphs.activation;
import static io.github.mdunet.core.layers.direct.JoinTestGraphs.input;
import static io.github.mdunet.core.layers.direct.JoinTestGraphs.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.layers.LayerTestSupport;
import io.github.mdunet.core.layers.Reference;
import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.memory.MemoryType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The residual join in DOUBLE, on a ResNet block's end: {@code in -> branch (fused 3x3, identity)} and
 * {@code in -> shortcut (1x1 conv)}, joined by {@code act(branch + shortcut)}, against DL4J's
 * {@code ElementWiseVertex(Add) -> ActivationLayer}; gradient check, SGD step, the reuse rule, round trip.
 */
class ResidualActivationTest extends DoubleOneThreadTestBase {

    private static final String BRANCH = "branch";
    private static final String SHORTCUT = "shortcut";
    private static final String SUM = "sum";
    private static final Set<String> RUNNING_STATISTICS = Set.of(BRANCH + "_" + ConvNormActivation.MEAN_KEY,
            BRANCH + "_" + ConvNormActivation.VARIANCE_KEY);

    private static ComputationGraphConfiguration.GraphBuilder block(IUpdater updater) {
        return LayerTestSupport.doubleGraph(updater, INPUT, INPUT_TYPE)
                .addLayer(BRANCH, ConvNormActivation.builder().nOut(4).kernelSize(3, 3)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), INPUT)
                .addLayer(SHORTCUT, new ConvolutionLayer.Builder(1, 1).nOut(4).activation(Activation.IDENTITY).build(),
                        INPUT);
    }

    /** The block joined by the vertex under test. */
    private static ComputationGraph joined(IActivation activation, boolean reuse, IUpdater updater) {
        return LayerTestSupport.withMseOutput(block(updater)
                .addVertex(JOIN, new ResidualActivation(activation, reuse), BRANCH, SHORTCUT), JOIN);
    }

    /** The block joined by DL4J's stock vertices. */
    private static ComputationGraph stock(IActivation activation, IUpdater updater) {
        return LayerTestSupport.withMseOutput(block(updater)
                .addVertex(SUM, new ElementWiseVertex(ElementWiseVertex.Op.Add), BRANCH, SHORTCUT)
                .addLayer(JOIN, new ActivationLayer.Builder().activation(activation).build(), SUM), JOIN);
    }

    /** Non-default normalisation parameters in the fused block, the same in every graph. */
    private static void setUp(ComputationGraph... graphs) {
        Nd4j.getRandom().setSeed(3);
        INDArray gamma = Nd4j.randn(DataType.DOUBLE, 4).muli(0.3).addi(1);
        INDArray beta = Nd4j.randn(DataType.DOUBLE, 4).muli(0.5);
        INDArray params = graphs[0].params().dup();
        for (ComputationGraph graph : graphs) {
            graph.setParams(params);
            graph.getLayer(BRANCH).setParam(ConvNormActivation.GAMMA_KEY, gamma);
            graph.getLayer(BRANCH).setParam(ConvNormActivation.BETA_KEY, beta);
        }
    }

    @ParameterizedTest(name = "{0} reuse={1}")
    @CsvSource({"RELU, true", "RELU, false", "LEAKYRELU, true", "IDENTITY, false"})
    void computesTheActivatedSumAndItsGradientsAsTheStockVertices(String name, boolean reuse) {
        ComputationGraph joined = joined(activation(name), reuse, new NoOp());
        ComputationGraph stock = stock(activation(name), new NoOp());
        setUp(joined, stock);
        INDArray x = input();

        for (boolean training : new boolean[] {false, true}) {
            Map<String, INDArray> activations = joined.feedForward(x, training);
            INDArray expected = Reference.activation(activations.get(BRANCH).add(activations.get(SHORTCUT)),
                    name.equals("LEAKYRELU") ? Activation.LEAKYRELU : Activation.valueOf(name));
            if (!name.equals("LEAKYRELU")) {
                assertThat(LayerTestSupport.maxAbsDifference(activations.get(JOIN), expected)).isLessThan(1e-12);
            }
            assertThat(LayerTestSupport.maxAbsDifference(joined.outputSingle(training, x),
                    stock.outputSingle(training, x))).as("training=%s", training).isLessThan(1e-12);
        }

        // through fit's path: one workspace for the whole forward pass, where the join may overwrite the branch
        LayerTestSupport.assertSameScoreAndGradients(joined, stock, new DataSet(x, labels()), 1e-12);
    }

    @ParameterizedTest(name = "{0} reuse={1}")
    @CsvSource({"RELU, true", "LEAKYRELU, false"})
    void gradientsMatchFiniteDifferences(String name, boolean reuse) {
        ComputationGraph graph = joined(activation(name), reuse, new NoOp());
        setUp(graph);
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, input(), labels(), RUNNING_STATISTICS);
    }

    @Test
    void sgdStepFollowsTheNumericalGradientWhenTheBranchIsOverwritten() {
        double learningRate = 0.1;
        ComputationGraph graph = joined(activation("RELU"), true, new Sgd(learningRate));
        setUp(graph);
        Set<String> checked = LayerTestSupport.assertSgdStepFollowsNumericalGradient(graph, learningRate,
                new DataSet(input(), labels()), RUNNING_STATISTICS);
        assertThat(checked).contains(BRANCH + "_" + ConvNormActivation.WEIGHT_KEY, SHORTCUT + "_W");
    }

    @Test
    void overwritesTheFirstInputOnlyInTrainingAndInTheOutputsWorkspace() {
        var vertex = joined(activation("RELU"), true, new NoOp()).getVertex(JOIN);
        var copying = joined(activation("RELU"), false, new NoOp()).getVertex(JOIN);
        WorkspaceConfiguration configuration = WorkspaceConfiguration.builder().initialSize(0)
                .policyLearning(LearningPolicy.NONE).policyAllocation(AllocationPolicy.OVERALLOCATE).build();
        LayerWorkspaceMgr fitLike = LayerWorkspaceMgr.builder()
                .with(ArrayType.ACTIVATIONS, "test-activations", configuration).defaultNoWorkspace().build();
        INDArray a = Nd4j.randn(DataType.DOUBLE, 2, 4, 6, 5);
        INDArray b = Nd4j.randn(DataType.DOUBLE, 2, 4, 6, 5);
        INDArray expected = Reference.activation(a.add(b), Activation.RELU);

        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(configuration,
                "test-activations")) {
            INDArray first = a.dup();
            vertex.setInputs(first, b);
            assertThat(vertex.doForward(true, fitLike)).isSameAs(first).isEqualTo(expected);

            INDArray inference = a.dup();
            vertex.setInputs(inference, b);
            assertThat(vertex.doForward(false, fitLike)).isNotSameAs(inference).isEqualTo(expected);
            assertThat(inference).isEqualTo(a);

            INDArray kept = a.dup();
            copying.setInputs(kept, b);
            assertThat(copying.doForward(true, fitLike)).isNotSameAs(kept).isEqualTo(expected);
            assertThat(kept).isEqualTo(a);

            INDArray view = Nd4j.createUninitialized(DataType.DOUBLE, 2, 8, 6, 5)
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4));
            view.assign(a);
            vertex.setInputs(view, b);
            assertThat(vertex.doForward(true, fitLike)).isNotSameAs(view);
            assertThat(view).isEqualTo(a);
        }
        INDArray elsewhere = a.dup();
        vertex.setInputs(elsewhere, b);
        assertThat(vertex.doForward(true, LayerWorkspaceMgr.noWorkspaces())).isNotSameAs(elsewhere)
                .isEqualTo(expected);
        assertThat(elsewhere).isEqualTo(a);
    }

    @Test
    void reportsNoActivationsInTrainingWhenItOverwritesItsInput() {
        InputType type = InputType.convolutional(6, 5, 4);
        long outputBytes = 2L * 4 * 6 * 5 * 4;
        for (boolean reuse : new boolean[] {false, true}) {
            var report = new ResidualActivation(activation("RELU"), reuse).getMemoryReport(type, type);
            assertThat(report.getMemoryBytes(MemoryType.ACTIVATIONS, 2, MemoryUseMode.TRAINING, CacheMode.NONE,
                    DataType.FLOAT)).isEqualTo(reuse ? 0 : outputBytes);
            assertThat(report.getMemoryBytes(MemoryType.ACTIVATIONS, 2, MemoryUseMode.INFERENCE, CacheMode.NONE,
                    DataType.FLOAT)).isEqualTo(outputBytes);
            assertThat(report.getMemoryBytes(MemoryType.PARAMETERS, 2, MemoryUseMode.TRAINING, CacheMode.NONE,
                    DataType.FLOAT)).isZero();
        }
    }

    @Test
    void settingsMakeEqualityAndTheDescription() {
        ResidualActivation reusing = new ResidualActivation(activation("RELU"), true);
        assertThat(reusing).isEqualTo(new ResidualActivation(activation("RELU"), true))
                .isNotEqualTo(new ResidualActivation(activation("RELU"), false))
                .isNotEqualTo(new ResidualActivation(activation("IDENTITY"), true));
        assertThat(reusing.toString()).startsWith("ResidualActivation(activation=").endsWith(", reuseFirstInput=true)");
    }

    @Test
    void refusesToReuseAnInputThatIsReadAfterIt() {
        ComputationGraphConfiguration plainConvolutionFirst = block(new NoOp())
                .addVertex(JOIN, new ResidualActivation(activation("RELU"), true), SHORTCUT, BRANCH)
                .addLayer(OUTPUT, new CnnLossLayer.Builder().activation(Activation.IDENTITY).build(), JOIN)
                .setOutputs(OUTPUT).build();
        assertThatThrownBy(() -> new ComputationGraph(plainConvolutionFirst).init())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ResidualActivation 'join'").hasMessageContaining("'shortcut'")
                .hasMessageContaining("ConvolutionLayer").hasMessageContaining("reuseFirstInput = false");

        ComputationGraphConfiguration activatedFirst = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .graphBuilder().addInputs(INPUT).setInputTypes(INPUT_TYPE)
                .addLayer(BRANCH, ConvNormActivation.builder().nOut(3).kernelSize(1, 1).activation(Activation.RELU)
                        .build(), INPUT)
                .addVertex(JOIN, new ResidualActivation(activation("RELU"), true), BRANCH, INPUT)
                .addLayer(OUTPUT, new CnnLossLayer.Builder().activation(Activation.IDENTITY).build(), JOIN)
                .setOutputs(OUTPUT).build();
        assertThatThrownBy(() -> new ComputationGraph(activatedFirst).init())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'branch'").hasMessageContaining("identity activation");

        ComputationGraphConfiguration readTwice = block(new NoOp())
                .addVertex(JOIN, new ResidualActivation(activation("RELU"), true), BRANCH, SHORTCUT)
                .addVertex("again", new ElementWiseVertex(ElementWiseVertex.Op.Add), JOIN, BRANCH)
                .addLayer(OUTPUT, new CnnLossLayer.Builder().activation(Activation.IDENTITY).build(), "again")
                .setOutputs(OUTPUT).build();
        assertThatThrownBy(() -> new ComputationGraph(readTwice).init())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no other reader").hasMessageContaining("again");
    }

    @Test
    void refusesInputsOfDifferentShapesAndUnsupportedActivations() {
        assertThatThrownBy(() -> new ResidualActivation().getOutputType(-1, InputType.convolutional(6, 5, 4),
                InputType.convolutional(6, 5, 3)))
                .hasMessageContaining("two convolutional inputs of the same shape");
        assertThatThrownBy(() -> new ResidualActivation(Activation.TANH.getActivationFunction(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ResidualActivation")
                .hasMessageContaining("tanh");
    }

    @Test
    void survivesSaveAndRestoreWithNonDefaultValues(@TempDir Path directory) throws Exception {
        ComputationGraph graph = joined(new ActivationLReLU(0.2), true, new org.nd4j.linalg.learning.config.Adam(0.01));
        setUp(graph);
        GraphVertex vertex = JoinTestGraphs.assertJoinSurvivesRoundTrip(graph, directory);
        assertThat(vertex).isEqualTo(new ResidualActivation(new ActivationLReLU(0.2), true))
                .isNotEqualTo(new ResidualActivation(new ActivationLReLU(0.2), false))
                .isNotEqualTo(new ResidualActivation(new ActivationLReLU(0.1), true));
        assertThat(vertex.hashCode()).isEqualTo(new ResidualActivation(new ActivationLReLU(0.2), true).hashCode());
        assertThat(graph.getConfiguration().clone().getVertices().get(JOIN)).isEqualTo(vertex);
    }
}
