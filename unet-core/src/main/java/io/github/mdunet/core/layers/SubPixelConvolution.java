package io.github.mdunet.core.layers;

import static io.github.mdunet.core.checks.Checks.atLeast;
import static io.github.mdunet.core.layers.LayerChecks.requireChannelsOrInfer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * fastai's {@code PixelShuffle_ICNR}: {@code [N, inputChannels, H, W] -> [N, outputChannels, H*r, W*r]}.
 * A {@code k x k} stride-1 convolution to {@code outputChannels*r*r} channels with bias, the activation,
 * {@link PixelShuffle#shuffle pixel shuffle}, and optionally fastai's blur (replication-pad one row at the top and
 * one column at the left, then a 2x2 average with stride 1, so the size is unchanged). Any batch and spatial size.
 *
 * <p>Parameters: {@code W [outputChannels*r*r, inputChannels, k, k]}, {@code b [outputChannels*r*r]}. ICNR
 * initialisation: a base kernel {@code [outputChannels, inputChannels, k, k]} is drawn with the weight init
 * (He normal by default, fan-in {@code inputChannels*k*k}) and copied to the r*r sub-pixel filters of each output
 * channel ({@code W[c*r*r + s] = base[c]}), so right after initialisation the layer (without blur) is
 * nearest-neighbour upsampling of the base convolution: no checkerboard artefacts at the start of training.
 */
public class SubPixelConvolution extends NchwSameDiffLayer {

    public static final String WEIGHT_KEY = "W";
    public static final String BIAS_KEY = "b";

    /** Input channels; 0 = infer from the InputType. */
    @JsonProperty
    private int inputChannels;
    /** Channels after the shuffle (the convolution makes {@code outputChannels * r * r}). */
    @JsonProperty
    private int outputChannels = 1;
    /** r, at least 2. */
    @JsonProperty
    private int upscaleFactor = 2;
    /** Odd side of the square convolution kernel (zero "same" padding). */
    @JsonProperty
    private int kernelSize = 1;
    /** fastai's blur after the shuffle. */
    @JsonProperty
    private boolean blur;
    /** Applied after the bias, before the shuffle; one of {@link #supportedActivations()}. */
    @JsonProperty
    private Activation activation = Activation.RELU;

    /** For Jackson. */
    public SubPixelConvolution() {
    }

    /**
     * @param inputChannels  at least 1, or 0 to infer from the InputType
     * @param outputChannels at least 1
     * @param upscaleFactor  r, at least 2
     * @param kernelSize     odd, at least 1
     * @param blur           apply fastai's blur after the shuffle
     * @param activation     after conv and bias, before the shuffle; see {@link #supportedActivations()}
     */
    public SubPixelConvolution(int inputChannels, int outputChannels, int upscaleFactor, int kernelSize,
                               boolean blur, Activation activation) {
        this.inputChannels = inputChannels;
        this.outputChannels = outputChannels;
        this.upscaleFactor = upscaleFactor;
        this.kernelSize = kernelSize;
        this.blur = blur;
        this.activation = activation;
        checkSettings();
    }

    @Override
    protected void checkSettings() {
        requireChannelsOrInfer("inputChannels", inputChannels);
        atLeast("outputChannels", outputChannels, 1);
        atLeast("upscaleFactor", upscaleFactor, 2);
        requireOddKernel(kernelSize);
        SameDiffOps.requireSupportedActivation(activation);
    }

    /** The activations this layer accepts (mapped onto SameDiff exactly as DL4J computes them). */
    public static Set<Activation> supportedActivations() {
        return SameDiffOps.SUPPORTED_ACTIVATIONS;
    }

    private static void requireOddKernel(int kernelSize) {
        if (kernelSize < 1 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException("kernelSize must be odd and >= 1 (same padding) but was "
                    + kernelSize);
        }
    }

    /**
     * fastai's blur on {@code [N, C, H, W]}: replication-pad one row at the top and one column at the left, then
     * a 2x2 average with stride 1; output {@code [N, C, H, W]}. Exact, any size.
     */
    public static SDVariable blur(SameDiff sd, SDVariable x) {
        SDVariable rows = x.add(shiftDown(sd, x, 2));
        return rows.add(shiftDown(sd, rows, 3)).mul(0.25);
    }

    /** x shifted by one along {@code axis} (2 or 3), its first row/column replicated: y[i] = x[max(i-1, 0)]. */
    private static SDVariable shiftDown(SameDiff sd, SDVariable x, int axis) {
        long[] begin = new long[4];
        long[] end = new long[4];
        long[] strides = {1, 1, 1, 1};
        int otherAxes = 0b1111 & ~(1 << axis);
        end[axis] = 1;
        SDVariable first = sd.stridedSlice(x, begin, end, strides, otherAxes, otherAxes, 0, 0, 0);
        end[axis] = -1;
        SDVariable allButLast = sd.stridedSlice(x, begin, end, strides, otherAxes, otherAxes, 0, 0, 0);
        return sd.concat(axis, first, allButLast);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable layerInput, Map<String, SDVariable> paramTable,
                                  SDVariable mask) {
        SDVariable conv = SameDiffOps.conv2d(sd, layerInput, paramTable.get(WEIGHT_KEY), paramTable.get(BIAS_KEY),
                kernelSize);
        SDVariable activated = SameDiffOps.activate(sd, conv, activation);
        SDVariable shuffled = PixelShuffle.shuffle(sd, activated, outputChannels, upscaleFactor);
        return blur ? blur(sd, shuffled) : shuffled;
    }

    private long convolutionChannels() {
        return (long) outputChannels * upscaleFactor * upscaleFactor;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(WEIGHT_KEY, convolutionChannels(), inputChannels, kernelSize, kernelSize);
        params.addBiasParam(BIAS_KEY, convolutionChannels());
    }

    /** ICNR: {@code W[c*r*r + s] = base[c]}, bias 0. */
    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        INDArray weights = params.get(WEIGHT_KEY);
        INDArray base = Nd4j.create(weights.dataType(), outputChannels, inputChannels, kernelSize, kernelSize);
        long kernelArea = (long) kernelSize * kernelSize;
        initWeights(WEIGHT_KEY, base, inputChannels * kernelArea, outputChannels * kernelArea);
        // Built in a fresh array and assigned whole: in ND4J M2.1, slice()/get() of a view that starts at an
        // offset (as this layer's parameters do when other layers come first) returns an empty array once the
        // sub-array's offset in the buffer passes the view's length.
        INDArray icnr = Nd4j.create(weights.dataType(), weights.shape());
        int subPixels = upscaleFactor * upscaleFactor;
        for (int c = 0; c < outputChannels; c++) {
            for (int s = 0; s < subPixels; s++) {
                icnr.slice((long) c * subPixels + s).assign(base.slice(c));
            }
        }
        weights.assign(icnr);
        params.get(BIAS_KEY).assign(0);
    }

    @Override
    protected InputType outputType(InputType.InputTypeConvolutional input) {
        requireInputChannels("inputChannels", inputChannels, input.getChannels());
        return InputType.convolutional(input.getHeight() * upscaleFactor, input.getWidth() * upscaleFactor,
                outputChannels, CNN2DFormat.NCHW);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        inputChannels = inferChannels("inputChannels", inputChannels, inputType, override);
    }

    @Override
    protected long intermediateElementsPerExample(InputType.InputTypeConvolutional input) {
        // convolution, activation, shuffle copy, and blur's shifted copies and sums, all C*r*r*H*W
        long convolved = convolutionChannels() * input.getHeight() * input.getWidth();
        return (blur ? 7 : 3) * convolved;
    }

    public int getInputChannels() {
        return inputChannels;
    }

    public int getOutputChannels() {
        return outputChannels;
    }

    public int getUpscaleFactor() {
        return upscaleFactor;
    }

    public int getKernelSize() {
        return kernelSize;
    }

    public boolean isBlur() {
        return blur;
    }

    public Activation getActivation() {
        return activation;
    }

    @Override
    protected List<LayerSetting> settings() {
        return List.of(new LayerSetting("inputChannels", inputChannels),
                new LayerSetting("outputChannels", outputChannels), new LayerSetting("upscaleFactor", upscaleFactor),
                new LayerSetting("kernelSize", kernelSize), new LayerSetting("blur", blur),
                new LayerSetting("activation", activation));
    }
}
