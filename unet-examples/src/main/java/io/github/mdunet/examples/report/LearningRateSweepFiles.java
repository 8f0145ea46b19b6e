package io.github.mdunet.examples.report;

import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.train.LearningRateFinder;
import io.github.mdunet.core.train.LearningRateSweep;
import io.github.mdunet.core.train.SuggestionMethod;
import io.github.mdunet.core.train.SuggestionMethod.Suggestion;
import io.github.mdunet.core.train.TrainingDivergedException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A {@link LearningRateSweep} as files and text: {@code lr-find.csv} (every step's rate, loss and smoothed loss) and
 * {@code lr-find.png} (the smoothed loss over the rate on a log scale, as fastai's {@code plot_lr_find}: the last five
 * steps left out, each suggestion marked), and the console's summary.
 */
public final class LearningRateSweepFiles {

    /** The folder, under an app's output, that holds the files. */
    public static final String DIRECTORY = "lr-find";
    public static final String CSV = "lr-find.csv";
    public static final String PLOT = "lr-find.png";

    private LearningRateSweepFiles() {
    }

    /** Every suggestion the sweep gives, {@link SuggestionMethod#VALLEY} (fastai's default) first; empty if none. */
    static List<Suggestion> suggestions(LearningRateSweep sweep) {
        return Arrays.stream(SuggestionMethod.values()).map(sweep::suggest).flatMap(Optional::stream).toList();
    }

    /**
     * Writes {@link #CSV} and {@link #PLOT}, with {@code suggestions} marked, into {@code directory} (created if
     * needed), replacing earlier ones.
     */
    static void write(LearningRateSweep sweep, List<Suggestion> suggestions, Path directory) throws IOException {
        Files.createDirectories(directory);
        AtomicFiles.durable().writeString(directory.resolve(CSV), csv(sweep));
        AtomicFiles.durable().writePng(directory.resolve(PLOT), plot(sweep, suggestions));
    }

    /**
     * What an app prints and writes after a sweep: the summary to {@code out}, then the files into {@code directory}
     * (made beforehand, so that an output the sweep cannot write to fails before it), then the rate to train with.
     *
     * @throws TrainingDivergedException when the sweep stopped too early for a suggestion, saying what to change
     */
    public static void report(LearningRateSweep sweep, LearningRateFinder.Settings settings, Path directory,
                              PrintStream out) throws IOException {
        List<Suggestion> suggestions = suggestions(sweep);
        out.print(summary(sweep, suggestions));
        write(sweep, suggestions, directory);
        out.println("Curve: " + directory.resolve(PLOT).toAbsolutePath());
        if (suggestions.isEmpty()) {
            throw new TrainingDivergedException(String.format(Locale.ROOT, "the sweep stopped after %d steps (%s),"
                    + " too early for a suggestion: %s", sweep.steps().size(), sweep.stopReason(),
                    sweep.stop() == LearningRateSweep.Stop.NON_FINITE_LOSS
                            ? "check the images and masks for values the model cannot take, or start lower"
                            : String.format(Locale.ROOT, "start it lower, e.g. --find-lr-range %.0e,%.0e",
                                    settings.startRate() / 100, settings.endRate())));
        }
        out.printf(Locale.ROOT, "Train: the same command without --find-lr, with --learning-rate %.1e%n",
                suggestions.get(0).rate());
    }

    static String csv(LearningRateSweep sweep) {
        StringBuilder csv = new StringBuilder("step,learning_rate,loss,smoothed_loss\n");
        for (LearningRateSweep.Step step : sweep.steps()) {
            csv.append(String.format(Locale.ROOT, "%d,%.6g,%.6g,%.6g%n", step.step() + 1, step.rate(), step.loss(),
                    step.smoothedLoss()));
        }
        return csv.toString();
    }

    static BufferedImage plot(LearningRateSweep sweep, List<Suggestion> suggestions) {
        List<LearningRateSweep.Step> steps = sweep.steps();
        int skipped = LearningRateSweep.SKIPPED_AT_END;
        List<LearningRateSweep.Step> shown = steps.size() > skipped ? steps.subList(0, steps.size() - skipped) : steps;
        XYChart chart = new XYChartBuilder().width(640).height(400).title("Learning-rate finder")
                .xAxisTitle("learning rate").yAxisTitle("smoothed training loss").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0.0E0");
        chart.getStyler().setYAxisDecimalPattern("0.000");
        if (!shown.isEmpty()) {
            XYSeries curve = chart.addSeries("smoothed loss", shown.stream().mapToDouble(LearningRateSweep.Step::rate)
                    .toArray(), shown.stream().mapToDouble(LearningRateSweep.Step::smoothedLoss).toArray());
            curve.setMarker(SeriesMarkers.NONE);
        }
        for (Suggestion suggestion : suggestions) {
            XYSeries mark = chart.addSeries(String.format(Locale.ROOT, "%s: %.2e", name(suggestion.method()),
                    suggestion.rate()), new double[] {suggestion.markRate()}, new double[] {suggestion.markLoss()});
            mark.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            mark.setMarker(SeriesMarkers.CIRCLE);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The console's lines: the sweep, why it stopped, and each suggestion with what it means. */
    static String summary(LearningRateSweep sweep, List<Suggestion> suggestions) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "Learning-rate finder: %d of %d steps, rates %.2e to %.2e; %s.%n", sweep.steps().size(),
                sweep.plannedSteps(), sweep.steps().isEmpty() ? Double.NaN : sweep.steps().get(0).rate(),
                sweep.steps().isEmpty() ? Double.NaN : sweep.steps().get(sweep.steps().size() - 1).rate(),
                sweep.stopReason()));
        for (Suggestion suggestion : suggestions) {
            text.append(String.format(Locale.ROOT, "  %-8s %.2e  %s%n", name(suggestion.method()), suggestion.rate(),
                    meaning(suggestion)));
        }
        return text.toString();
    }

    private static String name(SuggestionMethod method) {
        return method.name().toLowerCase(Locale.ROOT);
    }

    private static String meaning(Suggestion suggestion) {
        return switch (suggestion.method()) {
            case VALLEY -> "fastai's default: part-way down the longest descent of the loss";
            case MINIMUM -> String.format(Locale.ROOT, "a tenth of %.2e, where the loss was lowest",
                    suggestion.markRate());
            case STEEP -> "where the loss fell fastest";
        };
    }
}
