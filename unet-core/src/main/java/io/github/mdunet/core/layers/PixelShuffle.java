package io.github.mdunet.core.layers;

import static io.github.mdunet.core.checks.Checks.atLeast;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * PyTorch's {@code nn.PixelShuffle}: {@code [N, C*r*r, H, W] -> [N, C, H*r, W*r]}, input channel
 * {@code c*r*r + i*r + j} going to {@code out[c, h*r + i, w*r + j]}. No parameters; any batch and spatial size.
 *
 * <p>Not {@code depthToSpace}, whose TensorFlow (DCR) channel order differs.
 */
public class PixelShuffle extends ParameterlessSameDiffLayer {

    /** r: each side grows by this factor and the channel count shrinks by r*r. At least 2. */
    @JsonProperty
    private int upscaleFactor = 2;

    /** For Jackson; upscale factor 2. */
    public PixelShuffle() {
    }

    /** @param upscaleFactor r, at least 2 */
    public PixelShuffle(int upscaleFactor) {
        this.upscaleFactor = upscaleFactor;
        checkSettings();
    }

    /**
     * An IllegalArgumentException naming the field when {@code upscaleFactor} is not a pixel shuffle's r (at least
     * 2): the rule of both pixel shuffle layers.
     */
    public static void requireUpscaleFactor(int upscaleFactor) {
        atLeast("upscaleFactor", upscaleFactor, 2);
    }

    @Override
    protected void checkSettings() {
        requireUpscaleFactor(upscaleFactor);
    }

    /**
     * The SameDiff pixel shuffle {@code [N, outputChannels*r*r, H, W] -> [N, outputChannels, H*r, W*r]}:
     * reshape to {@code [N, C, r, r, H, W]}, permute to {@code [N, C, H, r, W, r]}, reshape. N, H and W are
     * read from {@code x}'s shape at run time.
     */
    public static SDVariable shuffle(SameDiff sd, SDVariable x, long outputChannels, int upscaleFactor) {
        long r = upscaleFactor;
        SDVariable heightWidth = SameDiffOps.dims(sd, x, 2, 4);
        SDVariable split = sd.reshape(x,
                sd.concat(0, SameDiffOps.longs(sd, -1, outputChannels, r, r), heightWidth));
        SDVariable interleaved = sd.permute(split, 0, 1, 4, 2, 5, 3);
        SDVariable upscaled = heightWidth.mul(SameDiffOps.longs(sd, r, r));
        return sd.reshape(interleaved, sd.concat(0, SameDiffOps.longs(sd, -1, outputChannels), upscaled));
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable layerInput, Map<String, SDVariable> paramTable,
                                  SDVariable mask) {
        long inputChannels = layerInput.getShape()[1];
        return shuffle(sd, layerInput, outputChannels(inputChannels), upscaleFactor);
    }

    private long outputChannels(long inputChannels) {
        return outputChannels(describe(), inputChannels, upscaleFactor);
    }

    /**
     * The channels a pixel shuffle by {@code upscaleFactor} (r) makes of {@code inputChannels}: {@code C / (r*r)}, or
     * an IllegalStateException naming {@code layer} when they do not split into r*r groups.
     */
    public static long outputChannels(String layer, long inputChannels, int upscaleFactor) {
        long rr = (long) upscaleFactor * upscaleFactor;
        if (inputChannels % rr != 0) {
            throw new IllegalStateException(layer + ": input channels (" + inputChannels
                    + ") must be divisible by upscaleFactor^2 = " + rr);
        }
        return inputChannels / rr;
    }

    /** The NCHW output type of a pixel shuffle by {@code upscaleFactor} of {@code input}, checked as above. */
    public static InputType outputType(String layer, InputType.InputTypeConvolutional input, int upscaleFactor) {
        return InputType.convolutional(input.getHeight() * upscaleFactor, input.getWidth() * upscaleFactor,
                outputChannels(layer, input.getChannels(), upscaleFactor), CNN2DFormat.NCHW);
    }

    @Override
    protected InputType outputType(InputType.InputTypeConvolutional input) {
        return outputType(describe(), input, upscaleFactor);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        // no configured input channels; only check that they split into r*r groups
        outputChannels(convolutionalInput(inputType).getChannels());
    }

    @Override
    protected long intermediateElementsPerExample(InputType.InputTypeConvolutional input) {
        return 2 * input.arrayElementsPerExample();
    }

    public int getUpscaleFactor() {
        return upscaleFactor;
    }

    @Override
    protected List<LayerSetting> settings() {
        return List.of(new LayerSetting("upscaleFactor", upscaleFactor));
    }
}
