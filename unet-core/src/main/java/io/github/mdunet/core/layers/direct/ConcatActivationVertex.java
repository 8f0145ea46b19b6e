package io.github.mdunet.core.layers.direct;

import java.util.Arrays;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime side of {@link ConcatActivation}: each input copied into its channel range of the output, the activation in
 * place; backward, the gradient {@code act'(y) * dL/dy} written over {@code y} (which no consumer needs any more) and
 * each input's channel range of it copied into the input's own array.
 */
final class ConcatActivationVertex extends JoinVertex {

    ConcatActivationVertex(ComputationGraph graph, String name, int index, DataType dataType,
                           OutputActivation activation) {
        super(graph, name, index, dataType, activation, ConcatActivation.class);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        checkForward();
        long[] shape = inputs[0].shape().clone();
        shape[1] = 0;
        for (INDArray input : inputs) {
            if (input.rank() != 4 || input.size(0) != shape[0] || input.size(2) != shape[2]
                    || input.size(3) != shape[3]) {
                throw new IllegalStateException(describe() + ": inputs must be [N, C, H, W] with the same N, H, W but"
                        + " got " + Arrays.toString(input.shape()) + " after "
                        + Arrays.toString(inputs[0].shape()));
            }
            shape[1] += input.size(1);
        }
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, shape, 'c');
        long from = 0;
        for (INDArray input : inputs) {
            y.get(channels(from, input.size(1))).assign(input);
            from += input.size(1);
        }
        activation.applyInPlace(y);
        output = training ? y : null;
        return y;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray y = takeOutputForBackward();
        INDArray epsilonOut = epsilon.castTo(dataType);
        // Every consumer of y has done its backward pass: y takes the whole gradient in place, in passes over
        // contiguous arrays, and each input's range is copied out of it.
        INDArray gradient = activation.isIdentity() ? epsilonOut : activation.backpropOverOutput(y, epsilonOut);
        INDArray[] epsilons = new INDArray[inputs.length];
        long from = 0;
        for (int i = 0; i < inputs.length; i++) {
            epsilons[i] = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, inputs[i].shape(), 'c')
                    .assign(gradient.get(channels(from, inputs[i].size(1))));
            from += inputs[i].size(1);
        }
        return new Pair<>(null, epsilons);
    }

    private static INDArrayIndex[] channels(long from, long count) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(from, from + count), NDArrayIndex.all(),
                NDArrayIndex.all()};
    }
}
