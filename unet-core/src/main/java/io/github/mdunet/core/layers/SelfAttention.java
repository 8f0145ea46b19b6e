package io.github.mdunet.core.layers;

import static io.github.mdunet.core.layers.LayerChecks.requireChannelsOrInfer;

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
 * SAGAN self-attention as fastai's {@code SelfAttention}: {@code [N, C, H, W] -> [N, C, H, W]}, any batch and
 * spatial size (memory grows with {@code (H*W)^2}).
 *
 * <p>With 1x1 convolutions without bias {@code query, key: C -> max(1, C/8)} and {@code value: C -> C}, each
 * flattened to {@code [N, c', H*W]}: {@code beta = softmax(query^T . key)} over the first {@code H*W} axis of the
 * {@code [N, H*W, H*W]} scores, and {@code out = gamma * (value . beta) + x}. The scalar {@code gamma} starts at 0,
 * so the layer starts as the identity. (fastai also applies spectral normalisation to the convolutions; this
 * layer does not.)
 *
 * <p>Parameters: {@code query, key [max(1, C/8), C, 1, 1]}, {@code value [C, C, 1, 1]} (He normal) and
 * {@code gamma [1]}. {@code gamma} is registered as a bias so that L1/L2/weight decay, which would pull the
 * layer back towards the identity, leave it alone.
 */
public class SelfAttention extends NchwSameDiffLayer {

    public static final String QUERY_KEY = "query";
    public static final String KEY_KEY = "key";
    public static final String VALUE_KEY = "value";
    public static final String GAMMA_KEY = "gamma";

    /** C, in and out; 0 = infer from the InputType. */
    @JsonProperty
    private int channels;

    /** For Jackson. */
    public SelfAttention() {
    }

    /** @param channels C, at least 1, or 0 to infer from the InputType */
    public SelfAttention(int channels) {
        this.channels = channels;
        checkSettings();
    }

    @Override
    protected void checkSettings() {
        requireChannelsOrInfer("channels", channels);
    }

    /** Channels of the query and key projections: {@code max(1, channels / 8)}. */
    public static int queryKeyChannels(int channels) {
        return Math.max(1, channels / 8);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable layerInput, Map<String, SDVariable> paramTable,
                                  SDVariable mask) {
        int reduced = queryKeyChannels(channels);
        SDVariable pixels = SameDiffOps.dims(sd, layerInput, 2, 3).mul(SameDiffOps.dims(sd, layerInput, 3, 4));
        SDVariable query = flatten(sd, project(sd, layerInput, paramTable.get(QUERY_KEY)), reduced, pixels);
        SDVariable key = flatten(sd, project(sd, layerInput, paramTable.get(KEY_KEY)), reduced, pixels);
        SDVariable value = flatten(sd, project(sd, layerInput, paramTable.get(VALUE_KEY)), channels, pixels);

        SDVariable scores = sd.mmul(sd.permute(query, 0, 2, 1), key);       // [N, HW, HW]
        SDVariable beta = sd.nn().softmax(scores, 1);
        SDVariable attended = sd.mmul(value, beta);                           // [N, C, HW]
        SDVariable scaled = attended.mul(paramTable.get(GAMMA_KEY));
        return sd.reshape(scaled, layerInput.shape()).add(layerInput);
    }

    private static SDVariable project(SameDiff sd, SDVariable x, SDVariable weights) {
        return SameDiffOps.conv2d(sd, x, weights, null, 1);
    }

    /** {@code [N, c, H, W] -> [N, c, H*W]}. */
    private static SDVariable flatten(SameDiff sd, SDVariable x, long channels, SDVariable pixels) {
        return sd.reshape(x, sd.concat(0, SameDiffOps.longs(sd, -1, channels), pixels));
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        int reduced = queryKeyChannels(channels);
        params.addWeightParam(QUERY_KEY, reduced, channels, 1, 1);
        params.addWeightParam(KEY_KEY, reduced, channels, 1, 1);
        params.addWeightParam(VALUE_KEY, channels, channels, 1, 1);
        params.addBiasParam(GAMMA_KEY, 1);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        int reduced = queryKeyChannels(channels);
        initWeights(QUERY_KEY, params.get(QUERY_KEY), channels, reduced);
        initWeights(KEY_KEY, params.get(KEY_KEY), channels, reduced);
        initWeights(VALUE_KEY, params.get(VALUE_KEY), channels, channels);
        params.get(GAMMA_KEY).assign(0);
    }

    @Override
    protected InputType outputType(InputType.InputTypeConvolutional input) {
        requireInputChannels("channels", channels, input.getChannels());
        return InputType.convolutional(input.getHeight(), input.getWidth(), input.getChannels(), CNN2DFormat.NCHW);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        channels = inferChannels("channels", channels, inputType, override);
    }

    @Override
    protected long intermediateElementsPerExample(InputType.InputTypeConvolutional input) {
        long pixels = input.getHeight() * input.getWidth();
        long reduced = queryKeyChannels(channels);
        // projections (and their transposed/flattened copies), scores and softmax, attended, scaled, sum
        return 2 * (2 * reduced + channels) * pixels + 2 * pixels * pixels + 3 * channels * pixels;
    }

    public int getChannels() {
        return channels;
    }

    @Override
    protected List<LayerSetting> settings() {
        return List.of(new LayerSetting("channels", channels));
    }
}
