package io.github.mdunet.core.train;

import io.github.mdunet.core.model.UNet;
import java.util.Map;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Computes validation metrics of a model on a validation iterator (which it resets first). */
@FunctionalInterface
public interface Validator {

    /** Metric name to value, e.g. {@code {"loss": 0.21, "meanIoU": 0.87}}. */
    Map<String, Double> validate(UNet unet, DataSetIterator validation);

    /** The mean loss per example over the validation set, as {@code "loss"}. */
    static Validator loss() {
        return (unet, validation) -> {
            validation.reset();
            double sum = 0;
            long examples = 0;
            while (validation.hasNext()) {
                var batch = validation.next();
                int n = batch.numExamples();
                sum += unet.graph().score(batch, false) * n;
                examples += n;
            }
            return Map.of("loss", examples == 0 ? Double.NaN : sum / examples);
        };
    }
}
