package io.github.mdunet.core.layers;

import static io.github.mdunet.core.checks.Checks.atLeast;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Additive attention gate of Attention U-Net (Oktay et al. 2018):
 * {@code [N, skipChannels + gateChannels, H, W] -> [N, skipChannels, H, W]}, any batch and spatial size.
 *
 * <p>The single input is the channel concatenation {@code [skip ; gate]} of two maps of the same size (merge them
 * with a {@code MergeVertex}, skip first). With 1x1 convolutions
 * {@code alpha = sigmoid(psi(relu(Wx * skip + Wg * gate + bg)) + bpsi)} ({@code [N, 1, H, W]}) and
 * {@code out = skip * alpha}, broadcast over the channels.
 *
 * <p>Parameters: {@code Wx [intermediateChannels, skipChannels, 1, 1]} (no bias),
 * {@code Wg [intermediateChannels, gateChannels, 1, 1]}, {@code bg [intermediateChannels]},
 * {@code psi [1, intermediateChannels, 1, 1]}, {@code bpsi [1]}; weights He normal, biases 0.
 */
public class AttentionGate extends NchwSameDiffLayer {

    public static final String SKIP_WEIGHT_KEY = "Wx";
    public static final String GATE_WEIGHT_KEY = "Wg";
    public static final String GATE_BIAS_KEY = "bg";
    public static final String PSI_WEIGHT_KEY = "psi";
    public static final String PSI_BIAS_KEY = "bpsi";

    /** Channels of the skip connection: the first channels of the input, and the output's channels. */
    @JsonProperty
    private int skipChannels = 1;
    /** Channels of the gating signal: the last channels of the input. */
    @JsonProperty
    private int gateChannels = 1;
    /** F_int: channels of the joint space in which skip and gate are added. */
    @JsonProperty
    private int intermediateChannels = 1;

    /** For Jackson. */
    public AttentionGate() {
    }

    /**
     * @param skipChannels         at least 1
     * @param gateChannels         at least 1
     * @param intermediateChannels F_int, at least 1
     */
    public AttentionGate(int skipChannels, int gateChannels, int intermediateChannels) {
        this.skipChannels = skipChannels;
        this.gateChannels = gateChannels;
        this.intermediateChannels = intermediateChannels;
        checkSettings();
    }

    @Override
    protected void checkSettings() {
        atLeast("skipChannels", skipChannels, 1);
        atLeast("gateChannels", gateChannels, 1);
        atLeast("intermediateChannels", intermediateChannels, 1);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable layerInput, Map<String, SDVariable> paramTable,
                                  SDVariable mask) {
        SDVariable skip = channelRange(sd, layerInput, 0, skipChannels);
        SDVariable gate = channelRange(sd, layerInput, skipChannels, skipChannels + gateChannels);
        SDVariable joint = SameDiffOps.conv2d(sd, skip, paramTable.get(SKIP_WEIGHT_KEY), null, 1)
                .add(SameDiffOps.conv2d(sd, gate, paramTable.get(GATE_WEIGHT_KEY), paramTable.get(GATE_BIAS_KEY), 1));
        SDVariable coefficients = sd.nn().sigmoid(SameDiffOps.conv2d(sd, sd.nn().relu(joint, 0.0),
                paramTable.get(PSI_WEIGHT_KEY), paramTable.get(PSI_BIAS_KEY), 1));   // [N, 1, H, W]
        return skip.mul(coefficients);
    }

    /** {@code x[:, from:to, :, :]}. */
    private static SDVariable channelRange(SameDiff sd, SDVariable x, long from, long to) {
        int allButChannels = 0b1101;
        return sd.stridedSlice(x, new long[] {0, from, 0, 0}, new long[] {0, to, 0, 0}, new long[] {1, 1, 1, 1},
                allButChannels, allButChannels, 0, 0, 0);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(SKIP_WEIGHT_KEY, intermediateChannels, skipChannels, 1, 1);
        params.addWeightParam(GATE_WEIGHT_KEY, intermediateChannels, gateChannels, 1, 1);
        params.addWeightParam(PSI_WEIGHT_KEY, 1, intermediateChannels, 1, 1);
        params.addBiasParam(GATE_BIAS_KEY, intermediateChannels);
        params.addBiasParam(PSI_BIAS_KEY, 1);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        initWeights(SKIP_WEIGHT_KEY, params.get(SKIP_WEIGHT_KEY), skipChannels, intermediateChannels);
        initWeights(GATE_WEIGHT_KEY, params.get(GATE_WEIGHT_KEY), gateChannels, intermediateChannels);
        initWeights(PSI_WEIGHT_KEY, params.get(PSI_WEIGHT_KEY), intermediateChannels, 1);
        params.get(GATE_BIAS_KEY).assign(0);
        params.get(PSI_BIAS_KEY).assign(0);
    }

    private void checkChannels(long inputChannels) {
        if (inputChannels != (long) skipChannels + gateChannels) {
            throw new IllegalStateException(describe() + ": expects the concatenation [skip ; gate] of "
                    + skipChannels + " + " + gateChannels + " = " + (skipChannels + gateChannels)
                    + " channels but the input has " + inputChannels);
        }
    }

    @Override
    protected InputType outputType(InputType.InputTypeConvolutional input) {
        checkChannels(input.getChannels());
        return InputType.convolutional(input.getHeight(), input.getWidth(), skipChannels, CNN2DFormat.NCHW);
    }

    /** The split into skip and gate cannot be inferred from the merged input: only checked. */
    @Override
    public void setNIn(InputType inputType, boolean override) {
        checkChannels(convolutionalInput(inputType).getChannels());
    }

    @Override
    protected long intermediateElementsPerExample(InputType.InputTypeConvolutional input) {
        long pixels = input.getHeight() * input.getWidth();
        // skip and gate slices, three F_int maps (two projections, sum/relu), psi and sigmoid, output
        return input.arrayElementsPerExample() + 4L * intermediateChannels * pixels + 2 * pixels
                + (long) skipChannels * pixels;
    }

    @Override
    protected List<LayerSetting> settings() {
        return List.of(new LayerSetting("skipChannels", skipChannels), new LayerSetting("gateChannels", gateChannels),
                new LayerSetting("intermediateChannels", intermediateChannels));
    }
}
