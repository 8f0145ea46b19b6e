package io.github.mdunet.core.layers.direct;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The parameters of {@link ConvNormActivation}, laid out in one flat view in the order of {@link #paramKeys}: weights
 * {@code [nOut, nIn, kH, kW]} (c order), then bias, gamma, beta, running mean and running variance as {@code [nOut]}
 * vectors, each present only when configured.
 */
final class ConvNormActivationParams implements ParamInitializer {

    static final ConvNormActivationParams INSTANCE = new ConvNormActivationParams();

    private ConvNormActivationParams() {
    }

    private static ConvNormActivation conf(Layer layer) {
        return (ConvNormActivation) layer;
    }

    private static long weightCount(ConvNormActivation layer) {
        int[] kernel = layer.getKernelSize();
        return layer.getNOut() * layer.getNIn() * kernel[0] * kernel[1];
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        ConvNormActivation c = conf(layer);
        return weightCount(c) + (paramKeys(layer).size() - 1) * c.getNOut();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        ConvNormActivation c = conf(layer);
        List<String> keys = new ArrayList<>(List.of(ConvNormActivation.WEIGHT_KEY));
        if (c.isHasBias()) {
            keys.add(ConvNormActivation.BIAS_KEY);
        }
        if (c.isBatchNorm()) {
            keys.addAll(List.of(ConvNormActivation.GAMMA_KEY, ConvNormActivation.BETA_KEY,
                    ConvNormActivation.MEAN_KEY, ConvNormActivation.VARIANCE_KEY));
        }
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(ConvNormActivation.WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return conf(layer).isHasBias() ? List.of(ConvNormActivation.BIAS_KEY) : Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return ConvNormActivation.WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return ConvNormActivation.BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        ConvNormActivation layer = conf(conf.getLayer());
        Map<String, INDArray> params = Collections.synchronizedMap(views(layer, paramsView));
        for (String key : params.keySet()) {
            conf.addVariable(key);
        }
        if (initializeParams) {
            initialize(layer, params);
        }
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf(conf.getLayer()), gradientView);
    }

    private Map<String, INDArray> views(ConvNormActivation layer, INDArray flat) {
        INDArray vector = flat.reshape(flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        int[] kernel = layer.getKernelSize();
        long weights = weightCount(layer);
        views.put(ConvNormActivation.WEIGHT_KEY, vector.get(NDArrayIndex.interval(0, weights))
                .reshape('c', layer.getNOut(), layer.getNIn(), kernel[0], kernel[1]));
        long offset = weights;
        for (String key : paramKeys(layer).subList(1, paramKeys(layer).size())) {
            views.put(key, vector.get(NDArrayIndex.interval(offset, offset + layer.getNOut())));
            offset += layer.getNOut();
        }
        return views;
    }

    private static void initialize(ConvNormActivation layer, Map<String, INDArray> params) {
        INDArray weights = params.get(ConvNormActivation.WEIGHT_KEY);
        int[] kernel = layer.getKernelSize();
        int[] stride = layer.getStride();
        int r = layer.getIcnrUpscaleFactor();
        long subPixels = (long) r * r;
        long baseOut = layer.getNOut() / subPixels;
        // DL4J's convolution fan-in and fan-out; ICNR draws one base kernel per output channel of the shuffle
        double fanIn = (double) layer.getNIn() * kernel[0] * kernel[1];
        double fanOut = (double) baseOut * kernel[0] * kernel[1] / ((double) stride[0] * stride[1]);
        IWeightInit init = layer.getWeightInitFn() == null ? new WeightInitRelu() : layer.getWeightInitFn();
        if (r == 1) {
            init.init(fanIn, fanOut, weights.shape(), 'c', weights);
        } else {
            INDArray base = Nd4j.create(weights.dataType(), baseOut, layer.getNIn(), kernel[0], kernel[1]);
            init.init(fanIn, fanOut, base.shape(), 'c', base);
            // W[c*r*r + s] = base[c]: built whole and assigned (slices of an offset view are unreliable in M2.1)
            INDArray icnr = Nd4j.create(weights.dataType(), weights.shape());
            for (long c = 0; c < baseOut; c++) {
                for (long s = 0; s < subPixels; s++) {
                    icnr.slice(c * subPixels + s).assign(base.slice(c));
                }
            }
            weights.assign(icnr);
        }
        for (Map.Entry<String, INDArray> entry : params.entrySet()) {
            switch (entry.getKey()) {
                case ConvNormActivation.BIAS_KEY, ConvNormActivation.BETA_KEY, ConvNormActivation.MEAN_KEY ->
                        entry.getValue().assign(0);
                case ConvNormActivation.GAMMA_KEY -> entry.getValue().assign(layer.getGammaInit());
                case ConvNormActivation.VARIANCE_KEY -> entry.getValue().assign(1);
                default -> {
                    // the weights, drawn above
                }
            }
        }
    }
}
