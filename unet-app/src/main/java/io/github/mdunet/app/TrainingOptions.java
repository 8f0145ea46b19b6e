package io.github.mdunet.app;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How long and how fast an app trains: {@code --epochs}, {@code --batch} and {@code --learning-rate}, the rate the
 * app's schedule scales (the peak of one-cycle, every app's default). A picocli mixin that each app constructs with
 * its own defaults, which its {@code --help} shows.
 */
public final class TrainingOptions {

    /**
     * What the options say: how long and how fast to train.
     *
     * @param epochs       training epochs
     * @param batch        images (or patches) per training step
     * @param learningRate the learning rate the schedule scales (one-cycle's peak)
     */
    public record Values(int epochs, int batch, double learningRate) {
    }

    @Option(names = "--epochs", description = "Training epochs.")
    private int epochs;

    @Option(names = "--batch", description = "Images (or patches) per training step.")
    private int batch;

    @Option(names = "--learning-rate", description = "The learning rate the schedule scales: the peak of one-cycle.")
    private double learningRate;

    /** The options with the app's defaults, which its {@code --help} shows and the fixes in {@link #check} suggest. */
    public TrainingOptions(int epochs, int batch, double learningRate) {
        this.epochs = epochs;
        this.batch = batch;
        this.learningRate = learningRate;
    }

    /** The options' values, as given ({@link #check} refuses the ones no app can train with). */
    public Values values() {
        return new Values(epochs, batch, learningRate);
    }

    /**
     * Refuses fewer than one epoch or sample per step and a learning rate that is not a positive number
     * ({@link ExitCode#BAD_OPTION}), each message suggesting the app's default.
     */
    public void check(CommandLine command) {
        OptionChecks.atLeast(command, "--epochs", epochs, 1, OptionChecks.defaultExample(command, "--epochs"));
        OptionChecks.atLeast(command, "--batch", batch, 1, OptionChecks.defaultExample(command, "--batch"));
        OptionChecks.positive(command, "--learning-rate", learningRate,
                OptionChecks.defaultExample(command, "--learning-rate"));
    }
}
