package io.github.mdunet.examples.report;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.train.EpochRecord;
import io.github.mdunet.core.train.TrainingResult;
import io.github.mdunet.core.train.Validator;
import io.github.mdunet.examples.evaluate.EvaluationFiles;
import io.github.mdunet.examples.evaluate.EvaluationResult;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page written at the end of a training run ({@value #FILE_NAME}): outcome, configuration, the channel plan,
 * curves and the table of epochs, the best model's per-class metrics, confusion matrix and worst overlays on the
 * validation images, and where the time went.
 *
 * @param title         e.g. "mdunet train: output/train"
 * @param options       the run's settings as the user gave them, name to value
 * @param unet          the trained U-Net (its configuration and channel plan)
 * @param result        the trainer's result
 * @param evaluation    the best model on the validation images
 * @param pictures      the evaluation's pictures
 * @param runSeconds    this process's wall time, data checks and evaluation included
 * @param earlierEpochs the epochs of {@code result}'s history that earlier processes finished (the epoch a
 *                      {@code --resume} run continued after), 0 for a run this process started: the timing splits
 *                      {@code runSeconds} over this process's epochs only and shows the earlier ones apart
 */
public record TrainingReport(String title, Map<String, String> options, UNet unet, TrainingResult result,
                             EvaluationResult evaluation, EvaluationFiles.Pictures pictures, double runSeconds,
                             int earlierEpochs) {

    public static final String FILE_NAME = "report.html";

    public TrainingReport {
        options = new LinkedHashMap<>(options);
    }

    public HtmlReport toHtml() {
        HtmlReport report = new HtmlReport(title);
        List<EpochRecord> history = result.history();
        EpochRecord best = history.get(result.bestEpoch() - 1);
        report.paragraph(String.format(Locale.ROOT, "%s. Best epoch %d of %d: validation mean IoU %s, loss %s."
                        + " Written %s.", capitalised(result.stopReason()), result.bestEpoch(), history.size(),
                EvaluationSection.number(best.validation().getOrDefault(Validator.MEAN_IOU, Double.NaN)),
                EvaluationSection.number(best.validation().getOrDefault(Validator.LOSS, Double.NaN)),
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))));
        report.section("configuration", "Configuration").definitions("options", options)
                .preformatted("model-config", unet.config().toString());
        report.section("plan", "Channel plan").paragraph(String.format(Locale.ROOT, "%,d parameters.",
                unet.numParams())).preformatted("channel-plan", unet.channelPlan().toTable());
        report.section("curves", "Training curves")
                .paragraph("Losses are means per pixel (and per image), comparable across image sizes.")
                .picture("loss and validation mean IoU per epoch", TrainingCurves.of(history));
        report.table("epochs", List.of("epoch", "train loss", "validation loss", "mean IoU", "pixel accuracy",
                "learning-rate factor", "seconds"), epochRows(history));
        EvaluationSection.add(report, "The best model (epoch " + result.bestEpoch() + ") on the "
                + evaluation.images().size() + " validation images", evaluation, pictures);
        report.section("timing", "Timing").definitions("time-spent",
                new RunTiming(history, earlierEpochs, runSeconds).rows());
        return report;
    }

    /** One row per epoch; the learning-rate factor to three significant digits (one-cycle ends near 1e-5). */
    static List<List<String>> epochRows(List<EpochRecord> history) {
        List<List<String>> rows = new ArrayList<>();
        for (EpochRecord epoch : history) {
            Map<String, Double> v = epoch.validation();
            rows.add(List.of(String.valueOf(epoch.epoch()), EvaluationSection.number(epoch.trainLoss()),
                    EvaluationSection.number(v.getOrDefault(Validator.LOSS, Double.NaN)),
                    EvaluationSection.number(v.getOrDefault(Validator.MEAN_IOU, Double.NaN)),
                    EvaluationSection.number(v.getOrDefault(Validator.PIXEL_ACCURACY, Double.NaN)),
                    String.format(Locale.ROOT, "%.3g", epoch.learningRate()),
                    String.format(Locale.ROOT, "%.1f", epoch.seconds())));
        }
        return rows;
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
