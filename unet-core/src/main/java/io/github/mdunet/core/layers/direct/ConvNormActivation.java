package io.github.mdunet.core.layers.direct;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.layers.LayerChecks;
import io.github.mdunet.core.layers.LayerSetting;
import io.github.mdunet.core.layers.PixelShuffle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A convolution, optional batch normalisation and an activation in one DL4J layer:
 * {@code [N, nIn, H, W] -> [N, nOut, H', W']}, {@code H'} and {@code W'} as DL4J's {@code ConvolutionLayer} computes
 * them for the same kernel, stride, padding, dilation and {@link ConvolutionMode}. It computes what
 * {@code ConvolutionLayer -> BatchNormalization -> ActivationLayer} compute (batch statistics in training, the
 * running mean and variance in inference; running statistics updated with {@code decay} as DL4J's batch norm updates
 * them, except that the running variance takes the batch's unbiased variance, as PyTorch's does), with libnd4j's
 * {@code conv2d}, {@code batchnorm} and their backward ops called directly:
 * <ul>
 *   <li>backprop does not recompute the forward convolution (DL4J's {@code ConvolutionLayer} does, every step);</li>
 *   <li>training keeps one array besides the output (the convolution's, for the batch-norm backward pass), where
 *       the three stock layers keep three outputs; the activation's gradient is taken from the output;</li>
 *   <li>inference keeps nothing: the convolution's output is working memory, normalised with the running
 *       statistics into the output, activated in place.</li>
 * </ul>
 *
 * <p>Parameters (keys as DL4J's convolution and batch-norm layers name them): {@value #WEIGHT_KEY}
 * {@code [nOut, nIn, kH, kW]}; {@value #BIAS_KEY} {@code [nOut]} when {@code hasBias}; with batch norm
 * {@value #GAMMA_KEY}, {@value #BETA_KEY}, {@value #MEAN_KEY} and {@value #VARIANCE_KEY} (the running variance, not
 * DL4J's {@code log10stdev}), each {@code [nOut]}. The running statistics are parameters updated as DL4J's batch norm
 * updates its own: their "gradient" is the step {@code (1 - decay) * (running - batch)} (the batch's variance times
 * {@code n / (n - 1)} for the {@code n} = batch x height x width values of a channel), applied by a {@code NoOp}
 * updater and not divided by the mini-batch size, so save/load, transfer learning and {@code FrozenLayer} (which runs
 * the layer in inference mode and never updates them) treat them as DL4J's batch norm's. Backprop after an inference
 * forward pass, as under {@code FrozenLayerWithBackprop}, differentiates batch norm with the running statistics held
 * fixed (the affine map they make) and recomputes the convolution's output, which inference does not keep.
 *
 * <p>Weights start with the layer's weight init (the network's, by default) with DL4J's convolution fan-in and
 * fan-out; with {@code icnrUpscaleFactor} r >= 2 they are ICNR-initialised for a following pixel shuffle by r (the
 * r*r sub-pixel filters of each output channel start equal). Bias and beta start at 0, gamma at {@code gammaInit} (1 by
 * default; 0 makes a residual branch start as nothing, fastai's {@code NormType.BatchZero}), the running variance at
 * 1, the running mean at 0.
 *
 * <p>With {@code pixelShuffle} r >= 2 the layer is a sub-pixel convolution: its output is the activated result
 * pixel-shuffled by r as PyTorch's {@code nn.PixelShuffle} orders it, {@code [N, nOut / (r*r), H' * r, W' * r]}. Only
 * the shuffled output is kept (the unshuffled result is working memory), where a separate pixel-shuffle layer would
 * keep both.
 */
public class ConvNormActivation extends FeedForwardLayer implements DirectLayerConfiguration {

    // DL4J's own keys, so that the parameters read as those of the three stock layers
    public static final String WEIGHT_KEY = ConvolutionParamInitializer.WEIGHT_KEY;
    public static final String BIAS_KEY = ConvolutionParamInitializer.BIAS_KEY;
    public static final String GAMMA_KEY = BatchNormalizationParamInitializer.GAMMA;
    public static final String BETA_KEY = BatchNormalizationParamInitializer.BETA;
    public static final String MEAN_KEY = BatchNormalizationParamInitializer.GLOBAL_MEAN;
    public static final String VARIANCE_KEY = BatchNormalizationParamInitializer.GLOBAL_VAR;

    /** DL4J's batch-norm defaults. */
    public static final double DEFAULT_EPS = 1e-5;
    public static final double DEFAULT_DECAY = 0.9;

    @JsonProperty
    private int[] kernelSize = {3, 3};
    @JsonProperty
    private int[] stride = {1, 1};
    @JsonProperty
    private int[] padding = {0, 0};
    @JsonProperty
    private int[] dilation = {1, 1};
    @JsonProperty
    private ConvolutionMode convolutionMode = ConvolutionMode.Same;
    @JsonProperty
    private boolean hasBias;
    @JsonProperty
    private boolean batchNorm = true;
    @JsonProperty
    private double eps = DEFAULT_EPS;
    @JsonProperty
    private double decay = DEFAULT_DECAY;
    /** Gamma's initial value (files without the field were initialised with 1). */
    @JsonProperty
    private double gammaInit = 1.0;
    @JsonProperty
    private int icnrUpscaleFactor = 1;
    @JsonProperty
    private int pixelShuffle = 1;
    /** The convolution's weights and bias take no step while batch norm trains: see {@link #withConvolutionFrozen}. */
    @JsonProperty
    private boolean convolutionFrozen;

    /** For Jackson. */
    public ConvNormActivation() {
    }

    /** A builder; required: {@link Builder#nOut}. Defaults: 3x3, stride 1, Same mode, batch norm, no bias, ReLU. */
    public static Builder builder() {
        return new Builder();
    }

    /** Checks every setting; the message names the layer and the field. */
    private void validate() {
        requirePair("kernelSize", kernelSize, 1);
        requirePair("stride", stride, 1);
        requirePair("padding", padding, 0);
        requirePair("dilation", dilation, 1);
        if (convolutionMode == null || convolutionMode == ConvolutionMode.Causal) {
            throw new IllegalArgumentException(describe() + ": convolutionMode must be Same, Truncate or Strict but"
                    + " was " + convolutionMode);
        }
        Checks.atLeast(describe() + ": nOut", nOut, 1);
        LayerChecks.requireChannelsOrInfer(describe() + ": nIn", nIn);
        if (!(eps > 0)) {
            throw new IllegalArgumentException(describe() + ": eps must be > 0 but was " + eps);
        }
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException(describe() + ": decay must be in [0, 1) but was " + decay);
        }
        if (!Double.isFinite(gammaInit)) {
            throw new IllegalArgumentException(describe() + ": gammaInit must be finite but was " + gammaInit);
        }
        requireSubPixelFactor("icnrUpscaleFactor", icnrUpscaleFactor, "no ICNR");
        requireSubPixelFactor("pixelShuffle", pixelShuffle, "no shuffle");
        if (activationFn != null) {
            OutputActivation.of(activationFn, describe());
        }
    }

    /** A factor r >= 1 (1 meaning {@code none}) whose r*r sub-pixels divide nOut. */
    private void requireSubPixelFactor(String field, int factor, String none) {
        if (factor < 1) {
            throw new IllegalArgumentException(describe() + ": " + field + " must be >= 1 (1 = " + none + ") but was "
                    + factor);
        }
        if (factor > 1 && nOut % ((long) factor * factor) != 0) {
            throw new IllegalArgumentException(describe() + ": nOut (" + nOut + ") must be divisible by " + field
                    + "^2 = " + factor * factor);
        }
    }

    private void requirePair(String field, int[] value, int min) {
        if (value == null || value.length != 2 || value[0] < min || value[1] < min) {
            throw new IllegalArgumentException(describe() + ": " + field + " must be two values >= " + min + " but was "
                    + Arrays.toString(value));
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        validate();
        OutputActivation.of(activationFn, describe());
        return DirectLayers.instantiated(new ConvNormActivationLayer(conf, networkDataType), this, conf,
                trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return ConvNormActivationParams.INSTANCE;
    }

    /**
     * The running statistics are moved by their own step (see the class comment), never by the optimiser; nor is a
     * frozen convolution.
     */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        if (BatchStatistics.isRunningStatistic(paramName) || (convolutionFrozen && isConvolutionParameter(paramName))) {
            return new NoOp();
        }
        if (biasUpdater != null && (BIAS_KEY.equals(paramName) || BETA_KEY.equals(paramName))) {
            return biasUpdater;
        }
        return iUpdater;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        if (convolutionFrozen) {
            return null;
        }
        if (WEIGHT_KEY.equals(paramName)) {
            return regularization;
        }
        return BIAS_KEY.equals(paramName) ? regularizationBias : null;
    }

    /** Whether this layer computes {@code activation} (identity, ReLU, or leaky ReLU with alpha > 0). */
    public static boolean supportsActivation(IActivation activation) {
        return OutputActivation.isSupported(activation);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        DirectLayers.convolutionalInput(this, inputType);
        InputType convolved = InputTypeUtil.getOutputTypeCnnLayers(inputType, kernelSize, stride, padding, dilation,
                convolutionMode, nOut, layerIndex, getLayerName(), CNN2DFormat.NCHW, ConvNormActivation.class);
        return pixelShuffle == 1 ? convolved : PixelShuffle.outputType(describe(),
                (InputType.InputTypeConvolutional) convolved, pixelShuffle);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        long channels = DirectLayers.convolutionalInput(this, inputType).getChannels();
        if (nIn <= 0 || override) {
            nIn = channels;
        } else if (nIn != channels) {
            throw new IllegalStateException(describe() + ": nIn is " + nIn + " but the input has " + channels
                    + " channels");
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    /**
     * Parameters and updater state; activations: the output; training also keeps the convolution's output
     * (reported as cache memory) and needs, transiently, the activation's and the batch norm's input gradients (the
     * unshuffled result of a sub-pixel convolution's forward pass fits in the same working memory), and one image's
     * patches ({@link #backpropPatchElements}) as fixed working memory; inference needs the convolution's output and
     * the unshuffled result as working memory.
     */
    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType output = getOutputType(-1, inputType);
        long parameters = initializer().numParams(this);
        long updaterState = iUpdater == null ? 0 : iUpdater.stateSize(parameters);
        long outputElements = output.arrayElementsPerExample();
        return DirectLayers.memoryReport(this, inputType, output, parameters, updaterState,
                new DirectLayers.WorkingMemory(((batchNorm ? 1 : 0) + (pixelShuffle > 1 ? 1 : 0)) * outputElements,
                        backpropPatchElements(DirectLayers.convolutionalInput(this, inputType)),
                        (batchNorm ? 2 : 1) * outputElements, batchNorm ? outputElements : 0));
    }

    /**
     * The elements of one image's patches ({@code nIn x kH x kW x outH x outW}) that the backward pass keeps in its
     * working memory when a way by {@code im2col} is among its candidates on this JVM's backend (timed on the first
     * step, so counted whichever way wins); 0 otherwise, and under {@code -D}{@value ConvWays#PROPERTY}{@code =stock}.
     * Counted as for FLOAT, the type the memory estimate is calibrated for: an upper bound for HALF, whose backward
     * pass keeps {@code conv2d_bp}.
     */
    long backpropPatchElements(InputType.InputTypeConvolutional input) {
        InputType.InputTypeConvolutional output = (InputType.InputTypeConvolutional) getOutputType(-1, input);
        int[] outSize = {(int) output.getHeight() / pixelShuffle, (int) output.getWidth() / pixelShuffle};
        ConvGeometry geometry = ConvGeometry.of((int) input.getHeight(), (int) input.getWidth(), outSize, kernelSize,
                stride, padding, dilation, convolutionMode);
        long weights = nOut * nIn * kernelSize[0] * kernelSize[1];
        boolean patches = switch (ConvWays.fromSystemProperty()) {
            // the per-image way takes no patches, so whether it is timed does not count here
            case TIMED -> ConvBackprop.candidates(geometry, weights, DataType.FLOAT, Nd4j.getEnvironment().isCPU(),
                    ConvWorkspace.fromSystemProperty(), false).stream().anyMatch(ConvBackprop::usesPatches);
            case STOCK -> false;
        };
        return patches ? Arrays.stream(ConvScratch.patchShape(nIn, kernelSize[0], kernelSize[1], geometry))
                .reduce(1, Math::multiplyExact) : 0;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public ConvNormActivation clone() {
        ConvNormActivation clone = (ConvNormActivation) super.clone();
        clone.kernelSize = kernelSize.clone();
        clone.stride = stride.clone();
        clone.padding = padding.clone();
        clone.dilation = dilation.clone();
        return clone;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Getters (arrays as copies). The fields are saved and restored by their @JsonProperty: DL4J's Jackson mapper
    // sees only public getters and setters by itself and would reset the others to their defaults on restore.

    public int[] getKernelSize() {
        return kernelSize.clone();
    }

    public int[] getStride() {
        return stride.clone();
    }

    public int[] getPadding() {
        return padding.clone();
    }

    public int[] getDilation() {
        return dilation.clone();
    }

    public ConvolutionMode getConvolutionMode() {
        return convolutionMode;
    }

    public boolean isHasBias() {
        return hasBias;
    }

    public boolean isBatchNorm() {
        return batchNorm;
    }

    public double getEps() {
        return eps;
    }

    public double getDecay() {
        return decay;
    }

    public double getGammaInit() {
        return gammaInit;
    }

    public int getIcnrUpscaleFactor() {
        return icnrUpscaleFactor;
    }

    public int getPixelShuffle() {
        return pixelShuffle;
    }

    public boolean isConvolutionFrozen() {
        return convolutionFrozen;
    }

    /**
     * A copy whose convolution is frozen while its batch norm trains, as fastai's {@code train_bn} trains a frozen
     * encoder's batch norms: the weights and bias get zero gradients, no updater and no regularisation; gamma, beta
     * and the running statistics train as before, in training mode; the input gradient flows as before. Without
     * batch norm, the whole layer is frozen (with backprop). The layer zeroes the weight and bias gradients after its
     * backward pass (libnd4j's {@code conv2d_bp} computes them; the ways by SGEMM skip them).
     */
    public ConvNormActivation withConvolutionFrozen() {
        ConvNormActivation copy = clone();
        copy.convolutionFrozen = true;
        return copy;
    }

    static boolean isConvolutionParameter(String paramName) {
        return WEIGHT_KEY.equals(paramName) || BIAS_KEY.equals(paramName);
    }

    /**
     * This layer's own configuration values (arrays as lists), compared by {@link #equals} and hashed by
     * {@link #hashCode} after the feed-forward settings DL4J's classes compare, and listed by {@link #toString}.
     */
    private List<LayerSetting> settings() {
        return List.of(new LayerSetting("kernelSize", ints(kernelSize)), new LayerSetting("stride", ints(stride)),
                new LayerSetting("padding", ints(padding)), new LayerSetting("dilation", ints(dilation)),
                new LayerSetting("convolutionMode", convolutionMode), new LayerSetting("hasBias", hasBias),
                new LayerSetting("batchNorm", batchNorm), new LayerSetting("eps", eps),
                new LayerSetting("decay", decay), new LayerSetting("gammaInit", gammaInit),
                new LayerSetting("icnrUpscaleFactor", icnrUpscaleFactor),
                new LayerSetting("pixelShuffle", pixelShuffle),
                new LayerSetting("convolutionFrozen", convolutionFrozen));
    }

    private static List<Integer> ints(int[] values) {
        return values == null ? null : Arrays.stream(values).boxed().toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvNormActivation that && getClass() == o.getClass() && super.equals(o)
                && settings().equals(that.settings());
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + settings().hashCode();
    }

    /** The layer name, nIn, nOut, the activation and the {@link #settings()}. */
    @Override
    public String toString() {
        List<LayerSetting> all = new ArrayList<>(List.of(new LayerSetting("nIn", nIn), new LayerSetting("nOut", nOut),
                new LayerSetting("activation", activationFn)));
        all.addAll(settings());
        return LayerSetting.describe(getClass().getSimpleName(), layerName, all);
    }

    /**
     * Builds a {@link ConvNormActivation}. Required: {@link #nOut}. Each setter only records its value;
     * {@link #build()} validates and throws {@link IllegalArgumentException} naming the field.
     */
    public static final class Builder {
        /** What {@link #build()} copies: the layer's defaults, changed by each setter. */
        private final ConvNormActivation layer = new ConvNormActivation();

        private Builder() {
            layer.activationFn = Activation.RELU.getActivationFunction();
        }

        public Builder name(String value) {
            layer.layerName = value;
            return this;
        }

        /** Input channels; 0 (the default) infers them from the InputType. */
        public Builder nIn(long value) {
            layer.nIn = value;
            return this;
        }

        /** Required: output channels. */
        public Builder nOut(long value) {
            layer.nOut = value;
            return this;
        }

        public Builder kernelSize(int height, int width) {
            layer.kernelSize = new int[] {height, width};
            return this;
        }

        public Builder stride(int height, int width) {
            layer.stride = new int[] {height, width};
            return this;
        }

        /** Zero padding for Truncate and Strict modes; Same mode computes its own. */
        public Builder padding(int height, int width) {
            layer.padding = new int[] {height, width};
            return this;
        }

        public Builder dilation(int height, int width) {
            layer.dilation = new int[] {height, width};
            return this;
        }

        public Builder convolutionMode(ConvolutionMode value) {
            layer.convolutionMode = value;
            return this;
        }

        /** A convolution bias (pointless before batch norm, whose beta takes its place). */
        public Builder hasBias(boolean value) {
            layer.hasBias = value;
            return this;
        }

        /** Batch normalisation between the convolution and the activation (default true). */
        public Builder batchNorm(boolean value) {
            layer.batchNorm = value;
            return this;
        }

        public Builder eps(double value) {
            layer.eps = value;
            return this;
        }

        /** Running statistics: {@code running = decay * running + (1 - decay) * batch} (the variance unbiased). */
        public Builder decay(double value) {
            layer.decay = value;
            return this;
        }

        /**
         * Gamma's initial value with batch norm (default 1); 0 starts the block's output at beta, as fastai's
         * {@code NormType.BatchZero} starts a residual branch.
         */
        public Builder gammaInit(double value) {
            layer.gammaInit = value;
            return this;
        }

        /** ICNR initialisation for a pixel shuffle by {@code factor} after this layer; 1 for none. */
        public Builder icnrUpscaleFactor(int value) {
            layer.icnrUpscaleFactor = value;
            return this;
        }

        /** Pixel-shuffles the output by {@code factor} (a sub-pixel convolution); 1 (the default) for none. */
        public Builder pixelShuffle(int factor) {
            layer.pixelShuffle = factor;
            return this;
        }

        /** Identity, ReLU or leaky ReLU (default ReLU). */
        public Builder activation(Activation value) {
            layer.activationFn = value == null ? null : value.getActivationFunction();
            return this;
        }

        /** Identity, ReLU or leaky ReLU with alpha > 0. */
        public Builder activation(IActivation value) {
            layer.activationFn = value;
            return this;
        }

        /** The convolution's initial weights; unset, the network's (DL4J's ReLU init when the network sets none). */
        public Builder weightInit(IWeightInit value) {
            layer.weightInitFn = value;
            return this;
        }

        public ConvNormActivation build() {
            ConvNormActivation built = layer.clone();
            if (built.activationFn == null) {
                throw new IllegalArgumentException(built.describe() + ": activation must be "
                        + OutputActivation.SUPPORTED + " but was null");
            }
            built.validate();
            return built;
        }
    }
}
