package io.github.mdunet.examples.bench;

import picocli.CommandLine.Option;

/**
 * How a benchmark times training steps, each on a batch of {@code --batch} images: {@code --warmup} untimed steps
 * first, then {@code --steps} timed ones whose median counts. A picocli mixin that each benchmark constructs with its
 * own defaults, which its {@code --help} shows; each benchmark checks the values against its own minimums.
 */
final class TimedStepsOptions {

    @Option(names = "--batch", description = "Images per timed step.")
    int batch;

    @Option(names = "--warmup", description = "Untimed training steps first.")
    int warmup;

    @Option(names = "--steps", description = "Timed steps; the median counts.")
    int steps;

    TimedStepsOptions(int batch, int warmup, int steps) {
        this.batch = batch;
        this.warmup = warmup;
        this.steps = steps;
    }
}
