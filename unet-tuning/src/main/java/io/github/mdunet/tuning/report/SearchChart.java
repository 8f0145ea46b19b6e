package io.github.mdunet.tuning.report;

import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.tuning.candidate.CandidateResult;
import io.github.mdunet.tuning.candidate.CandidateStatus;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A PNG chart of the score of every trained candidate against its estimated training memory (MiB), with the
 * rejected candidates on the axis, a vertical line at the memory budget and the best candidate marked.
 */
public final class SearchChart {

    private static final double MIB = 1024.0 * 1024.0;

    private SearchChart() {
    }

    /**
     * Writes the chart to {@code png}, replacing it atomically (unet-core's {@link AtomicFiles}): a reader or a kill
     * sees the old chart or the new one, never half of one.
     *
     * @param budgetBytes the budget, drawn as a vertical line unless it is {@link Long#MAX_VALUE}
     * @param best        the best candidate, if any
     * @param scoreName   the y axis title, e.g. "validation mean IoU"
     */
    public static void write(Path png, List<CandidateResult> results, long budgetBytes,
                             Optional<CandidateResult> best, String scoreName) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(600)
                .title("U-Net search: " + scoreName + " against estimated training memory")
                .xAxisTitle("estimated training memory (MiB)").yAxisTitle(scoreName).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);

        List<CandidateResult> complete = results.stream().filter(r -> r.scoreIfComplete().isPresent()).toList();
        List<CandidateResult> rejected = results.stream().filter(r -> r.status() == CandidateStatus.REJECTED).toList();
        double minScore = complete.stream().mapToDouble(CandidateResult::score).min().orElse(0);
        double maxScore = complete.stream().mapToDouble(CandidateResult::score).max().orElse(1);
        double axisScore = complete.isEmpty() ? 0 : minScore;

        if (!complete.isEmpty()) {
            chart.addSeries("trained", complete.stream().mapToDouble(r -> r.estimatedBytes() / MIB).toArray(),
                    complete.stream().mapToDouble(CandidateResult::score).toArray()).setMarker(SeriesMarkers.CIRCLE);
        }
        if (!rejected.isEmpty()) {
            chart.addSeries("rejected (over budget, not trained)",
                    rejected.stream().mapToDouble(r -> r.estimatedBytes() / MIB).toArray(),
                    rejected.stream().mapToDouble(r -> axisScore).toArray())
                    .setMarker(SeriesMarkers.CROSS).setMarkerColor(Color.GRAY);
        }
        if (budgetBytes != Long.MAX_VALUE) {
            double x = budgetBytes / MIB;
            double pad = Math.max(1e-3, (maxScore - minScore) * 0.05);
            XYSeries line = chart.addSeries("budget", new double[] {x, x},
                    new double[] {Math.min(minScore, axisScore) - pad, maxScore + pad});
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(Color.RED);
            line.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {8f, 6f}, 0f));
        }
        best.filter(b -> b.scoreIfComplete().isPresent()).ifPresent(b -> chart.addSeries("best: #" + b.index(),
                        new double[] {b.estimatedBytes() / MIB}, new double[] {b.score()})
                .setMarker(SeriesMarkers.DIAMOND).setMarkerColor(new Color(0, 150, 0)));
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no candidates", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
        }
        AtomicFiles.durable().write(png, file -> {
            try (OutputStream stream = Files.newOutputStream(file)) {
                BitmapEncoder.saveBitmap(chart, stream, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }
}
