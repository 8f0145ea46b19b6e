package io.github.mdunet.core.layers.direct;

import java.util.Collection;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation over the channels of an NCHW array, {@code [N, C, H, W] -> [N, C, H, W]}, on libnd4j's ops
 * called directly: DL4J's {@code BatchNormalization} configuration (its parameters {@code gamma}, {@code beta},
 * {@code mean} and {@code var}, each {@code [C]}, their updaters, no regularisation), with the running variance
 * stored as a variance ({@code useLogStd} false) and another runtime:
 * <ul>
 *   <li>the batch's statistics by {@link NativeOps#moments}, where DL4J's oneDNN helper takes ND4J's reductions over
 *       axes 0, 2 and 3 (5x to 10x slower);</li>
 *   <li>the backward pass by {@link NativeOps#batchNormBackprop}, where the helper calls libnd4j's
 *       {@code batchnorm_bp} (1.2x to 5x slower); the output, which no one reads after this layer's backward pass,
 *       is its working array, so the input (in a U-Net an encoder's skip, which other layers still read) is left as it
 *       was;</li>
 *   <li>the running variance moves by the batch's unbiased variance, as PyTorch's and the fused blocks'
 *       ({@link ConvNormActivation}) do, where DL4J's moves by the biased one.</li>
 * </ul>
 * Like the stock layer, training keeps nothing but the output (the input is the layer before's output). Backprop
 * after an inference forward pass (as under {@code FrozenLayerWithBackprop}) differentiates the affine map of the
 * fixed running statistics, which then take zero steps.
 *
 * <p>Refused when {@code instantiate} builds it (a configuration Jackson restored included): {@code lockGammaBeta},
 * {@code useLogStd}, an NHWC {@code cnn2DFormat}, {@code eps <= 0}, {@code decay} outside {@code [0, 1)}; and an
 * input that is not convolutional NCHW.
 */
public class DirectBatchNorm extends BatchNormalization implements DirectLayerConfiguration {

    /** DL4J's defaults: {@code eps} 1e-5 and {@code decay} 0.9; the variance stored as it is. */
    public DirectBatchNorm() {
        useLogStd = false;
    }

    /** With the given {@code eps} (> 0) and {@code decay} (in [0, 1): running = decay * running + ...). */
    public DirectBatchNorm(double eps, double decay) {
        this();
        this.eps = eps;
        this.decay = decay;
        checkSettings();
    }

    /** Checks every setting; the message names the field, its value and what it may be. */
    private void checkSettings() {
        if (!(eps > 0)) {
            throw new IllegalArgumentException(describe() + ": eps must be > 0 but was " + eps);
        }
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException(describe() + ": decay must be in [0, 1) but was " + decay);
        }
        if (lockGammaBeta) {
            throw new IllegalArgumentException(describe() + ": lockGammaBeta is not supported (gamma and beta are"
                    + " always learnt); use DL4J's BatchNormalization for fixed gamma and beta");
        }
        if (useLogStd) {
            throw new IllegalArgumentException(describe() + ": useLogStd must be false (the running variance is"
                    + " stored as a variance)");
        }
        if (cnn2DFormat != CNN2DFormat.NCHW) {
            throw new IllegalArgumentException(describe() + ": cnn2DFormat must be NCHW but was " + cnn2DFormat);
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        checkSettings();
        return DirectLayers.instantiated(new DirectBatchNormLayer(conf, networkDataType), this, conf,
                trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return DirectLayers.convolutionalInput(this, inputType);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        super.setNIn(DirectLayers.convolutionalInput(this, inputType), override);
    }

    /**
     * Parameters and updater state as DL4J's layer; activations: the output; nothing kept besides it; training: the
     * batch's statistics and, transiently, the input's gradient (the batch norm's backward pass works in the output,
     * also after an inference forward pass, where the output takes a copy of the input); inference none.
     */
    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType output = getOutputType(-1, inputType);
        long parameters = initializer().numParams(this);
        long updaterState = 0;
        for (String key : initializer().paramKeys(this)) {
            updaterState += getUpdaterByParam(key).stateSize(nOut);
        }
        return DirectLayers.memoryReport(this, inputType, output, parameters, updaterState,
                new DirectLayers.WorkingMemory(0, 2 * nOut, output.arrayElementsPerExample(), 0));
    }

    @Override
    public DirectBatchNorm clone() {
        return (DirectBatchNorm) super.clone();
    }

    /** Equal to another {@code DirectBatchNorm} of equal settings, never to DL4J's own layer. */
    @Override
    public boolean equals(Object o) {
        return o instanceof DirectBatchNorm && super.equals(o);
    }

    /** DL4J's layer's hash of the same settings: equal layers hash equally. */
    @Override
    public int hashCode() {
        return super.hashCode();
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof DirectBatchNorm;
    }

    @Override
    public String toString() {
        return "DirectBatchNorm(layerName=" + layerName + ", nIn=" + nIn + ", nOut=" + nOut + ", eps=" + eps
                + ", decay=" + decay + ")";
    }
}
