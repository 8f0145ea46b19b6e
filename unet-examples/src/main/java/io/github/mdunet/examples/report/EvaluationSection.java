package io.github.mdunet.examples.report;

import io.github.mdunet.core.metrics.SegmentationEvaluation;
import io.github.mdunet.examples.evaluate.EvaluationFiles;
import io.github.mdunet.examples.evaluate.EvaluationResult;
import io.github.mdunet.examples.evaluate.OverlayStrip;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A report's evaluation: the summary, per-class IoU, Dice, precision and recall, the confusion matrix and the worst
 * images.
 */
public final class EvaluationSection {

    private EvaluationSection() {
    }

    /** @param what what was evaluated, e.g. "the best model on the 32 validation images" */
    public static void add(HtmlReport report, String what, EvaluationResult result,
                           EvaluationFiles.Pictures pictures) {
        SegmentationEvaluation total = result.total();
        report.section("metrics", "Metrics").paragraph(what + ", each at its own size.");
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("mean IoU", number(total.meanIoU()));
        summary.put("mean Dice", number(total.meanDice()));
        summary.put("pixel accuracy", number(total.pixelAccuracy()));
        summary.put("images", String.valueOf(result.images().size()));
        summary.put("pixels", String.format(Locale.ROOT, "%,d", total.countedPixels()));
        report.definitions("summary", summary);
        long[][] confusion = total.confusionMatrix();
        List<List<String>> rows = new ArrayList<>();
        for (int k = 0; k < total.numClasses(); k++) {
            rows.add(List.of(result.classNames().get(k), number(total.iou(k)), number(total.dice(k)),
                    number(total.precision(k)), number(total.recall(k)),
                    String.format(Locale.ROOT, "%,d", EvaluationFiles.labelPixels(confusion, k)),
                    String.format(Locale.ROOT, "%,d", EvaluationFiles.predictedPixels(confusion, k))));
        }
        report.table("per-class", List.of("class", "IoU", "Dice", "precision", "recall", "true pixels",
                "predicted pixels"), rows);
        report.section("confusion", "Confusion matrix")
                .picture("rows: actual class, columns: predicted class; shade and percentage: share of the row",
                        pictures.confusion());
        if (!pictures.worst().isEmpty()) {
            report.section("worst", "Worst images").paragraph("The " + pictures.worst().size() + " images with the"
                    + " lowest mean IoU, worst first: image | true classes | predicted classes.");
            List<OverlayStrip.Picture> strips = pictures.worst();
            for (int rank = 0; rank < strips.size(); rank++) {
                report.picture((rank + 1) + ". " + strips.get(rank).name() + ", mean IoU "
                        + number(result.worst(strips.size()).get(rank).meanIoU()), strips.get(rank).image());
            }
        }
    }

    static String number(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }
}
