package io.github.mdunet.core.optim;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaBelief;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.RmsProp;

/**
 * Which updaters can train a HALF network. DL4J keeps an updater's state in the network's data type and runs its op
 * there, and HALF's smallest value is about 6e-8. The Adam family and RMSProp divide each step by a running average
 * of the gradients' size plus epsilon: epsilon (1e-8 by default, {@link TorchAdam}'s {@code 1e-8 * sqrt(1 - beta2^t)}
 * even less) is 0 in HALF, so a zero gradient gets a NaN step, and the average of squared gradients,
 * {@code (1 - beta2) * g^2}, is 0 below about 8e-3, so a small gradient gets an infinite one. A larger epsilon would
 * only bound the step at {@code lr * g / epsilon}, which is not Adam's step either. {@code Sgd} and {@code Nesterovs}
 * keep no such average and train in HALF; AdaGrad and AdaDelta (epsilon 1e-6, which HALF holds) are allowed. With
 * any of them, a batch norm that normalises very few values per channel (batch size times its map's height and width,
 * fewest at the bottleneck: 1 or 2, sometimes 3 or 4) can still give infinite gradients in HALF, which no updater
 * check can see: the count depends on the batch.
 */
public final class HalfPrecisionUpdaters {

    /** The updaters refused with HALF (subclasses included, e.g. TorchAdam). */
    private static final List<Class<? extends IUpdater>> REFUSED = List.of(Adam.class, AMSGrad.class, Nadam.class,
            AdaMax.class, AdaBelief.class, RmsProp.class);

    private HalfPrecisionUpdaters() {
    }

    /** Whether {@code updater} divides by an average that, with its epsilon, is 0 in HALF. */
    static boolean underflowsInHalf(IUpdater updater) {
        return REFUSED.stream().anyMatch(type -> type.isInstance(updater));
    }

    /**
     * Refuses an {@code updater} that cannot train in {@code dataType}.
     *
     * @throws IllegalArgumentException naming both fields and the fix when {@code dataType} is HALF and
     *                                  {@link #underflowsInHalf} holds
     */
    public static void requireTrainable(IUpdater updater, DataType dataType) {
        if (dataType == DataType.HALF && underflowsInHalf(updater)) {
            throw new IllegalArgumentException("updater " + updater + " cannot train with dataType HALF: it divides"
                    + " each step by a running average of the gradients' size plus epsilon, and in HALF epsilon is 0"
                    + " and so is that average for gradients below about 8e-3, so zero gradients get NaN steps and"
                    + " small ones infinite steps. Use dataType FLOAT (or DOUBLE) with this updater, or keep HALF with"
                    + " an updater without that average: new Sgd(lr) or new Nesterovs(lr, momentum)");
        }
    }
}
