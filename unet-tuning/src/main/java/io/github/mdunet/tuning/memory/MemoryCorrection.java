package io.github.mdunet.tuning.memory;

/**
 * The correction from DL4J's memory reports to measured peak memory, one factor per term and an offset:
 * {@code measured ~ parameterFactor * (parameters + gradients + updater state) + activationFactor * activations
 * + workspaceFactor * workspace + offsetBytes}. Fitted by {@link MemoryCalibration} (see the module README for the
 * measurements behind {@link #CPU_CALIBRATED}).
 *
 * @param parameterFactor  factor on parameters, gradients and updater state, > 0
 * @param activationFactor factor on the activations kept for backpropagation, > 0
 * @param workspaceFactor  factor on the transient working memory, >= 0
 * @param offsetBytes      fixed bytes added to every estimate, >= 0
 */
public record MemoryCorrection(double parameterFactor, double activationFactor, double workspaceFactor,
                               long offsetBytes) {

    /** DL4J's reports as they are. */
    public static final MemoryCorrection NONE = new MemoryCorrection(1, 1, 1, 0);

    /**
     * Fitted against resident memory during {@code fit} on ND4J's CPU backend (oneDNN build), FLOAT, Adam; see
     * unet-tuning/README.md for the configurations and errors.
     */
    public static final MemoryCorrection CPU_CALIBRATED = new MemoryCorrection(1, 1, 1, 0);

    public MemoryCorrection {
        if (!(parameterFactor > 0) || !(activationFactor > 0) || !(workspaceFactor >= 0)) {
            throw new IllegalArgumentException("MemoryCorrection factors must be positive (workspaceFactor >= 0) but were "
                    + parameterFactor + ", " + activationFactor + ", " + workspaceFactor);
        }
        if (offsetBytes < 0) {
            throw new IllegalArgumentException("MemoryCorrection.offsetBytes must be >= 0 but was " + offsetBytes);
        }
    }

    long parameters(long bytes) {
        return Math.round(bytes * parameterFactor);
    }

    long activations(long bytes) {
        return Math.round(bytes * activationFactor);
    }

    long workspace(long bytes) {
        return Math.round(bytes * workspaceFactor);
    }
}
