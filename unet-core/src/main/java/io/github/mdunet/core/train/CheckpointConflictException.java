package io.github.mdunet.core.train;

/**
 * A checkpoint directory that holds another run than the one asked for (another U-Net configuration, epoch count,
 * schedule, monitor or data), or models without a training state: resuming would mix two runs, starting afresh would
 * overwrite the models. The message lists what differs and the fix; nothing is written.
 */
public class CheckpointConflictException extends IllegalArgumentException {

    public CheckpointConflictException(String message) {
        super(message);
    }
}
