package io.github.mdunet.reference.torch.train;

import java.util.List;

/**
 * One seed's training: held-out mean IoU, per-class IoU (NaN for a class absent from labels and predictions),
 * pixel accuracy, and per epoch the mean training loss (over all pixels of the epoch), the wall-clock seconds and
 * the CPU seconds of the whole process (all libtorch threads), which tell a slow machine from a shared one.
 */
public record SeedResult(long seed, double meanIoU, List<Double> perClassIoU, double pixelAccuracy,
        List<Double> trainLossPerEpoch, List<Double> secondsPerEpoch, List<Double> cpuSecondsPerEpoch) {

    public SeedResult {
        perClassIoU = List.copyOf(perClassIoU);
        trainLossPerEpoch = List.copyOf(trainLossPerEpoch);
        secondsPerEpoch = List.copyOf(secondsPerEpoch);
        cpuSecondsPerEpoch = List.copyOf(cpuSecondsPerEpoch);
    }
}
