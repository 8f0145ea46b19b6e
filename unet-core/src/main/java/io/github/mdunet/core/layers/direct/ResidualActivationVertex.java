package io.github.mdunet.core.layers.direct;

import java.util.Arrays;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime side of {@link ResidualActivation}: {@code y = act(a + b)}, the activation in place; backward
 * {@code dL/da = dL/db = act'(y) * dL/dy}, one array each.
 */
final class ResidualActivationVertex extends JoinVertex {

    private final boolean reuseFirstInput;

    ResidualActivationVertex(ComputationGraph graph, String name, int index, DataType dataType,
                             OutputActivation activation, boolean reuseFirstInput) {
        super(graph, name, index, dataType, activation, ResidualActivation.class);
        this.reuseFirstInput = reuseFirstInput;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        checkForward();
        INDArray a = inputs[0].castTo(dataType);
        INDArray b = inputs[1].castTo(dataType);
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalStateException(describe() + ": the inputs' shapes differ: " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(b.shape()));
        }
        INDArray y;
        if (training && reuseFirstInput && a == inputs[0] && overwritable(a, workspaceMgr)) {
            y = a.addi(b);
        } else {
            y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, a.shape(), 'c');
            Nd4j.getExecutioner().exec(new AddOp(new INDArray[] {a, b}, new INDArray[] {y}));
        }
        activation.applyInPlace(y);
        output = training ? y : null;
        return y;
    }

    /**
     * Whether {@code input} may become the output: a contiguous array in the workspace where the output would be
     * allocated, so it lives as long as the output must. That holds in {@code fit}'s forward pass, which keeps every
     * activation in one workspace until the backward pass; detached passes ({@code feedForward}, {@code output})
     * get a new array, so the activations they return show the first input's own values.
     */
    private static boolean overwritable(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        return !input.isView() && input.ordering() == 'c' && !workspaceMgr.isScopedOut(ArrayType.ACTIVATIONS)
                && input.isAttached() && input.data().getParentWorkspace() != null
                && workspaceMgr.getWorkspaceName(ArrayType.ACTIVATIONS)
                .equals(input.data().getParentWorkspace().getId());
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray output = takeOutputForBackward();
        INDArray epsilonOut = epsilon.castTo(dataType);
        INDArray first = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, output.shape(), 'c');
        if (activation.isIdentity()) {
            first.assign(epsilonOut);
        } else {
            activation.backprop(output, epsilonOut, first);
        }
        INDArray second = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, first);
        return new Pair<>(null, new INDArray[] {first, second});
    }

    @Override
    public String toString() {
        return "ResidualActivationVertex(id=" + getVertexIndex() + ", name=\"" + getVertexName() + "\", activation="
                + activation.kind() + ", reuseFirstInput=" + reuseFirstInput + ")";
    }
}
