package io.github.mdunet.core.nativememory;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.UNetConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a U-Net was doing when native memory ran out: the phase, its configuration and the batch it was given.
 *
 * @param phase     training step, validation or prediction
 * @param config    the U-Net's configuration
 * @param batchSize images in the batch; 0 when unknown (a validation iterator that does not tell)
 * @param input     one image's shape {@code [C, H, W]} as given (may differ from the configured input)
 */
public record Workload(Phase phase, UNetConfig config, int batchSize, ImageShape input) {

    /** The kinds of work whose memory the message talks about. */
    public enum Phase {
        /** Forward and backward pass and the updater: the most memory per image. */
        TRAINING_STEP("a training step"),
        /** Forward passes and the loss over the validation iterator. */
        VALIDATION("validation"),
        /** A forward pass. */
        PREDICTION("prediction");

        private final String description;

        Phase(String description) {
            this.description = description;
        }

        /** For messages: "a training step", "validation", "prediction". */
        public String description() {
            return description;
        }

        /** Whether the memory needed is that of training (else that of a forward pass). */
        public boolean trains() {
            return this == TRAINING_STEP;
        }
    }

    public Workload {
        if (phase == null || config == null || input == null) {
            throw new IllegalArgumentException("phase, config and input must be set but were " + phase + ", "
                    + config + ", " + input);
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize must be >= 0 (0 = unknown) but was " + batchSize);
        }
    }

    /** The work on a batch of features {@code [N, C, H, W]}; another rank counts as the configured input. */
    public static Workload of(Phase phase, UNetConfig config, INDArray features) {
        long[] shape = features.shape();
        if (shape.length != 4) {
            return new Workload(phase, config, shape.length == 0 ? 0 : (int) shape[0], config.input());
        }
        return new Workload(phase, config, (int) shape[0],
                new ImageShape((int) shape[1], (int) shape[2], (int) shape[3]));
    }

    /** For messages: "a training step (batch 16, input 3x64x64)". */
    public String describe() {
        return phase.description() + " (" + (batchSize == 0 ? "batch size unknown" : "batch " + batchSize)
                + ", input " + input + ")";
    }
}
