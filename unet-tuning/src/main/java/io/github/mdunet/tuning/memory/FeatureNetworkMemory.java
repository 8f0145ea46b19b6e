package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.loss.FeatureExtractor;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The memory a feature (perceptual) loss's frozen network takes in one training step, from DL4J's reports of its
 * layers. The loss runs the network forward on the prediction, keeping every activation for the backward pass, and
 * forward on the target, keeping its feature maps; then backward for the prediction. So the step holds its parameters
 * (no gradients, no updater state), the prediction's activations, the target's maps, both images re-expressed in the
 * network's pixel normalisation, and the largest layer's working memory and activation gradients.
 *
 * <p>The network runs without workspaces, so what it releases is freed only when Java collects it: a step holds more
 * than the sum above. Everything but the parameters is counted {@value #MEASURED_FACTOR} times, the factor fitted
 * (least squares of the relative error) on the training memory a VGG16 perceptual loss adds to an L1 one, measured for
 * a classic U-Net (depth 4, width 16, residual head) at 96 x 96 batch 4 and 8, 128 x 128 batch 2 and 160 x 160 batch
 * 4: those differences were 442, 807, 411 and 1010 MiB, and this count is within -6% to +8% of each; measured again
 * with {@code FeatureLossMemory} (unet-examples), within -3% to +9%.
 */
final class FeatureNetworkMemory {

    /** What the measured memory of a feature loss's network was over the sum of DL4J's reports, parameters apart. */
    static final double MEASURED_FACTOR = 1.62;

    private FeatureNetworkMemory() {
    }

    /**
     * The bytes of {@code features}' network in a training step on {@code batch} images of {@code height x width}.
     *
     * @param dataType the type the network's values are counted at
     */
    static long bytes(FeatureExtractor features, int height, int width, int batch, DataType dataType) {
        ComputationGraphConfiguration network = features.configuration(dataType);
        List<String> outputs = network.getNetworkOutputs();
        long parameters = 0;
        long predictionActivations = 0;
        long targetMaps = 0;
        long largestLayerStep = 0;
        Map<String, MemoryReport> reports = network.getMemoryReport(
                InputType.convolutional(height, width, features.inputChannels())).getLayerAndVertexReports();
        for (Map.Entry<String, MemoryReport> entry : reports.entrySet()) {
            MemoryReport layer = entry.getValue();
            parameters += training(layer, MemoryType.PARAMETERS, batch, dataType);
            long activations = training(layer, MemoryType.ACTIVATIONS, batch, dataType);
            predictionActivations += activations;
            if (outputs.contains(entry.getKey())) {
                targetMaps += activations;
            }
            largestLayerStep = Math.max(largestLayerStep, training(layer, MemoryType.WORKING_MEMORY_FIXED, batch,
                    dataType) + training(layer, MemoryType.WORKING_MEMORY_VARIABLE, batch, dataType)
                    + 2 * training(layer, MemoryType.ACTIVATION_GRADIENTS, batch, dataType));
        }
        long images = 2L * batch * features.inputChannels() * height * width * dataType.width();
        return parameters + Math.round(MEASURED_FACTOR * (predictionActivations + targetMaps + images
                + largestLayerStep));
    }

    private static long training(MemoryReport report, MemoryType type, int batch, DataType dataType) {
        return report.getMemoryBytes(type, batch, MemoryUseMode.TRAINING, CacheMode.NONE, dataType);
    }
}
