package io.github.mdunet.core.train;

import io.github.mdunet.core.model.UNet;
import java.util.Map;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** A validator that counts its calls (one per epoch), then validates as its delegate does. */
final class CountingValidator implements Validator {

    private final Validator delegate;
    private int calls;

    CountingValidator(Validator delegate) {
        this.delegate = delegate;
    }

    /** The validations so far: the epochs validated. */
    int calls() {
        return calls;
    }

    @Override
    public Map<String, Double> validate(UNet unet, DataSetIterator validation) {
        calls++;
        return delegate.validate(unet, validation);
    }
}
