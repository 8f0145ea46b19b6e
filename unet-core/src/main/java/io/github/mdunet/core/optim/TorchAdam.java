package io.github.mdunet.core.optim;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Adam as {@code torch.optim.Adam} computes it: the step is
 * {@code lr * m_hat / (sqrt(v_hat) + epsilon)} with the bias-corrected moments {@code m_hat = m / (1 - beta1^t)} and
 * {@code v_hat = v / (1 - beta2^t)}. DL4J's {@link Adam} adds epsilon to {@code sqrt(v)} before the correction,
 * which makes its epsilon {@code 1 / sqrt(1 - beta2^t)} times larger in effect (about 30 times at the first step,
 * twice after 300 steps), so parameters with gradients below about {@code 1e-7} move less than in PyTorch. Same
 * state, same native op and the same cost as DL4J's Adam: only the epsilon handed to the op changes per step,
 * {@code epsilon * sqrt(1 - beta2^t)}, which makes the two formulas equal.
 */
public class TorchAdam extends Adam {

    private static final long serialVersionUID = 1L;

    /** Learning rate 1e-3, betas 0.9 and 0.999, epsilon 1e-8 (PyTorch's defaults). */
    public TorchAdam() {
        super();
    }

    /** The given learning rate, PyTorch's betas and epsilon. */
    public TorchAdam(double learningRate) {
        super(learningRate);
    }

    public TorchAdam(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        TorchAdamUpdater updater = new TorchAdamUpdater(this);
        INDArray flat = viewArray.reshape(viewArray.length());
        updater.setStateViewArray(flat, new long[] {flat.length() / 2}, flat.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater instantiate(java.util.Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        TorchAdamUpdater updater = new TorchAdamUpdater(this);
        updater.setState(updaterState, initializeStateArrays);
        return updater;
    }

    @Override
    public TorchAdam clone() {
        TorchAdam copy = new TorchAdam(getLearningRate(), getBeta1(), getBeta2(), getEpsilon());
        copy.setLearningRateSchedule(getLearningRateSchedule() == null ? null : getLearningRateSchedule().clone());
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == TorchAdam.class && super.equals(o);
    }

    @Override
    public int hashCode() {
        return Objects.hash(TorchAdam.class, super.hashCode());
    }

    @Override
    public String toString() {
        return "TorchAdam(learningRate=" + getLearningRate() + ", beta1=" + getBeta1() + ", beta2=" + getBeta2()
                + ", epsilon=" + getEpsilon() + ")";
    }

    /** DL4J's Adam updater with the epsilon of step {@code t = iteration + 1} scaled by {@code sqrt(1 - beta2^t)}. */
    static final class TorchAdamUpdater extends AdamUpdater {

        TorchAdamUpdater(Adam config) {
            super(config);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (getM() == null || getV() == null) {
                throw new IllegalStateException("Updater has not been initialized with view state");
            }
            IUpdater config = getConfig();
            Adam adam = (Adam) config;
            double beta2 = adam.getBeta2();
            double epsilon = adam.getEpsilon() * Math.sqrt(1 - Math.pow(beta2, iteration + 1));
            org.nd4j.linalg.factory.Nd4j.exec(new org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater(
                    gradient.reshape(getV().shape()), getV(), getM(), adam.getLearningRate(iteration, epoch),
                    adam.getBeta1(), beta2, epsilon, iteration));
        }
    }
}
