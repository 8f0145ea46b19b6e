package io.github.mdunet.core.graph;

import io.github.mdunet.core.blocks.ConvBlocks;
import io.github.mdunet.core.layers.BatchNormParams;
import io.github.mdunet.core.layers.direct.ConvNormActivation;
import io.github.mdunet.core.layers.direct.DirectBatchNorm;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies the parameters of a U-Net built with {@code STOCK} layers into the same U-Net built with {@code FUSED}
 * layers, by the vertex names {@link ConvBlocks} gives: {@code P_conv} + {@code P_bn} into {@code P_conv_bn_act} or
 * {@code P_conv_bn}, {@code P_conv} into {@code P_conv_act}, the sub-pixel convolution {@code P_up_shuffle} (whose
 * weights have another shape) into its fused namesake, a batch norm alone into its {@link DirectBatchNorm} namesake
 * (the running variance as a variance), and every other layer by its own name.
 */
final class StockToFused {

    private StockToFused() {
    }

    static void copy(ComputationGraph stock, ComputationGraph fused) {
        for (Layer target : fused.getLayers()) {
            String name = target.conf().getLayer().getLayerName();
            if (target.numParams() == 0) {
                continue;
            }
            if (name.endsWith("_conv_bn_act") || name.endsWith("_conv_bn")) {
                String prefix = name.substring(0, name.lastIndexOf("_conv_bn"));
                Map<String, INDArray> bn = stock.getLayer(prefix + "_bn").paramTable();
                target.setParam(ConvNormActivation.WEIGHT_KEY, stock.getLayer(prefix + "_conv").getParam("W"));
                target.setParam(ConvNormActivation.GAMMA_KEY, bn.get(BatchNormalizationParamInitializer.GAMMA));
                target.setParam(ConvNormActivation.BETA_KEY, bn.get(BatchNormalizationParamInitializer.BETA));
                target.setParam(ConvNormActivation.MEAN_KEY, bn.get(BatchNormalizationParamInitializer.GLOBAL_MEAN));
                target.setParam(ConvNormActivation.VARIANCE_KEY, BatchNormParams.runningVariance(bn));
            } else if (name.endsWith("_conv_act") || name.endsWith("_up_shuffle")) {
                String source = name.endsWith("_conv_act") ? name.substring(0, name.length() - "_act".length()) : name;
                for (Map.Entry<String, INDArray> param : stock.getLayer(source).paramTable().entrySet()) {
                    target.setParam(param.getKey(), param.getValue().reshape(target.getParam(param.getKey()).shape()));
                }
            } else if (target.conf().getLayer() instanceof DirectBatchNorm) {
                // DL4J's layer stores log10(std) by default, the direct one the variance
                Map<String, INDArray> bn = stock.getLayer(name).paramTable();
                for (String key : List.of(BatchNormalizationParamInitializer.GAMMA,
                        BatchNormalizationParamInitializer.BETA, BatchNormalizationParamInitializer.GLOBAL_MEAN)) {
                    target.setParam(key, bn.get(key));
                }
                target.setParam(BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormParams.runningVariance(bn));
            } else {
                for (Map.Entry<String, INDArray> param : stock.getLayer(name).paramTable().entrySet()) {
                    target.setParam(param.getKey(), param.getValue());
                }
            }
        }
    }
}
