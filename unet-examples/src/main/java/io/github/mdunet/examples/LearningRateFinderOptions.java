package io.github.mdunet.examples;

import io.github.mdunet.core.train.LearningRateFinder;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --find-lr}, {@code --find-lr-range START,END}, {@code --find-lr-steps N}: fastai's {@code lr_find} on the
 * run's own model and training batches instead of training (train-folder, superres). A picocli mixin.
 */
public final class LearningRateFinderOptions {

    private static final LearningRateFinder.Settings FASTAI = LearningRateFinder.Settings.fastai();

    @Option(names = "--find-lr", description = "Instead of training, sweep the learning rate upwards on the training"
            + " batches as fastai's lr_find does and print the suggested --learning-rate; writes lr-find.csv and"
            + " lr-find.png to OUTPUT/lr-find. Nothing else in OUTPUT is touched.")
    boolean enabled;

    @Option(names = "--find-lr-range", split = ",", paramLabel = "START,END", description = "With --find-lr: the"
            + " rates the sweep grows between (default: 1e-7,10).")
    List<Double> range;

    @Option(names = "--find-lr-steps", paramLabel = "N", description = "With --find-lr: the steps of the sweep, unless"
            + " the loss diverges first (default: 100).")
    Integer steps;

    public boolean enabled() {
        return enabled;
    }

    /** Refuses a malformed range or step count, or either without {@code --find-lr}, before anything is read. */
    public void check(CommandLine command) {
        if (!enabled && (range != null || steps != null)) {
            throw new CommandLine.ParameterException(command, (range != null ? "--find-lr-range" : "--find-lr-steps")
                    + " sets the learning-rate finder, but --find-lr was not given: add --find-lr");
        }
        if (range != null && range.size() != 2) {
            throw new CommandLine.ParameterException(command, "--find-lr-range takes START,END (two rates) but was "
                    + range + " (e.g. --find-lr-range 1e-7,10)");
        }
        if (enabled) {
            try {
                settings();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(command, String.format(Locale.ROOT,
                        "--find-lr-range %s --find-lr-steps %d is not a sweep: %s", range == null ? "1e-7,10"
                                : range.get(0) + "," + range.get(1), stepCount(), e.getMessage()));
            }
        }
    }

    /** The sweep the options describe: fastai's, changed by the range and step count given. */
    public LearningRateFinder.Settings settings() {
        return new LearningRateFinder.Settings(range == null ? FASTAI.startRate() : range.get(0),
                range == null ? FASTAI.endRate() : range.get(1), stepCount(), FASTAI.stopOnDivergence());
    }

    private int stepCount() {
        return steps == null ? FASTAI.steps() : steps;
    }
}
