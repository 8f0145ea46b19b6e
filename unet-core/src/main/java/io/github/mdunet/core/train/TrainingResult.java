package io.github.mdunet.core.train;

import io.github.mdunet.core.model.UNet;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param model      the model after the last finished epoch (a resumed run's model, not the one passed in)
 * @param history    one record per finished epoch, including those of earlier, interrupted runs
 * @param bestEpoch  the epoch whose model is in {@code bestModel}
 * @param bestModel  the checkpoint with the best monitored value
 * @param stopReason why training ended
 */
public record TrainingResult(UNet model, List<EpochRecord> history, int bestEpoch, Path bestModel,
                             String stopReason) {

    public TrainingResult {
        history = List.copyOf(history);
    }
}
