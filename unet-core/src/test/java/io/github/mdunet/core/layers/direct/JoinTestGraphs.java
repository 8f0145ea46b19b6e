package io.github.mdunet.core.layers.direct;

import io.github.mdunet.core.layers.LayerTestSupport;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the tests of the two joins ({@link ConcatActivation}, {@link ResidualActivation}) share: the join vertex's
 * name, the input {@code [2, 3, 6, 5]} and the labels {@code [2, 4, 6, 5]} of their DOUBLE graphs (input
 * {@link LayerTestSupport#INPUT}, MSE output {@link LayerTestSupport#OUTPUT}), and the restore check of the join.
 */
final class JoinTestGraphs {

    static final String JOIN = "join";
    static final InputType INPUT_TYPE = InputType.convolutional(6, 5, 3);

    private JoinTestGraphs() {
    }

    static IActivation activation(String name) {
        return LayerTestSupport.activationNamed(name);
    }

    static INDArray input() {
        Nd4j.getRandom().setSeed(11);
        return Nd4j.randn(DataType.DOUBLE, 2, 3, 6, 5);
    }

    static INDArray labels() {
        Nd4j.getRandom().setSeed(12);
        return Nd4j.randn(DataType.DOUBLE, 2, 4, 6, 5);
    }

    /**
     * One fit step, a {@code ModelSerializer} round trip and {@link LayerTestSupport#assertRestoredGraphEqual};
     * returns the restored {@link #JOIN} vertex for the caller's checks of its settings.
     */
    static GraphVertex assertJoinSurvivesRoundTrip(ComputationGraph graph, Path directory) throws IOException {
        LayerTestSupport.fitOnce(graph, input());
        ComputationGraph restored = LayerTestSupport.saveAndRestore(graph, directory);
        LayerTestSupport.assertRestoredGraphEqual(graph, restored, input());
        return restored.getConfiguration().getVertices().get(JOIN);
    }
}
