package io.github.mdunet.core.layers.direct;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * fastai's blur after a pixel shuffle, without SameDiff: replication-pad one row at the top and one column at the
 * left, then a 2x2 average with stride 1. {@code [N, C, H, W] -> [N, C, H, W]}; no parameters; any size.
 *
 * <p>Written as {@code y = S_W(S_H(x)) / 4} with {@code S(x)[i] = x[i] + x[max(i - 1, 0)]} along one axis; the
 * backward pass applies the adjoint {@code S^T(g)[j] = g[j] + g[j + 1]} (plus {@code g[0]} again at {@code j = 0}).
 */
public class DirectBlur extends ParameterlessConfiguration {

    /** For Jackson. */
    public DirectBlur() {
    }

    @Override
    ParameterlessLayer<?> createRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new Runtime(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return convolutionalInput(inputType);
    }

    /** {@code [from, to)} along {@code axis} (2 or 3) of a rank 4 array, the other axes whole. */
    private static INDArray range(INDArray x, int axis, long from, long to) {
        INDArrayIndex[] index = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()};
        index[axis] = NDArrayIndex.interval(from, to);
        return x.get(index);
    }

    /** {@code out = S(x)} along {@code axis}: {@code out[i] = x[i] + x[max(i - 1, 0)]}. */
    private static void shiftAdd(INDArray x, int axis, INDArray out) {
        long n = x.size(axis);
        out.assign(x);
        if (n > 1) {
            range(out, axis, 1, n).addi(range(x, axis, 0, n - 1));
        }
        range(out, axis, 0, 1).addi(range(x, axis, 0, 1));
    }

    /** {@code out = S^T(g)} along {@code axis}: {@code out[j] = g[j] + g[j + 1]}, and {@code out[0] += g[0]}. */
    private static void shiftAddAdjoint(INDArray g, int axis, INDArray out) {
        long n = g.size(axis);
        out.assign(g);
        if (n > 1) {
            range(out, axis, 0, n - 1).addi(range(g, axis, 1, n));
        }
        range(out, axis, 0, 1).addi(range(g, axis, 0, 1));
    }

    private static final class Runtime extends ParameterlessLayer<DirectBlur> {

        Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        INDArray forward(INDArray x, LayerWorkspaceMgr workspaceMgr) {
            INDArray rows = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, x.shape(), 'c');
            shiftAdd(x, 2, rows);
            INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
            shiftAdd(rows, 3, output);
            return output.muli(0.25);
        }

        @Override
        INDArray backward(INDArray gradient, long[] inputShape, LayerWorkspaceMgr workspaceMgr) {
            INDArray columns = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, inputShape, 'c');
            shiftAddAdjoint(gradient, 3, columns);
            INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, inputShape,
                    'c');
            shiftAddAdjoint(columns, 2, inputGradient);
            return inputGradient.muli(0.25);
        }
    }
}
