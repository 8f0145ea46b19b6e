package io.github.mdunet.examples.report;

import io.github.mdunet.core.train.EpochRecord;
import io.github.mdunet.core.train.Validator;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Training loss, validation loss and validation mean IoU per epoch, side by side. Losses are per-pixel means (the
 * project's losses average over pixels), so they compare across image sizes.
 */
public final class TrainingCurves {

    /** The file name of a run's curves picture, which demo and superres write beside their checkpoints. */
    public static final String FILE_NAME = "training-curves.png";

    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;

    private TrainingCurves() {
    }

    public static BufferedImage of(List<EpochRecord> history) {
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        XYChart losses = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Loss (mean per pixel)")
                .xAxisTitle("epoch").build();
        losses.addSeries("training loss", epochs, history.stream().mapToDouble(EpochRecord::trainLoss).toArray());
        losses.addSeries("validation loss", epochs, metric(history, Validator.LOSS));
        XYChart iou = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Validation mean IoU")
                .xAxisTitle("epoch").build();
        iou.addSeries("mean IoU", epochs, metric(history, Validator.MEAN_IOU));
        iou.getStyler().setYAxisDecimalPattern("0.000");
        losses.getStyler().setYAxisDecimalPattern("0.000");
        BufferedImage both = new BufferedImage(2 * WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = both.createGraphics();
        graphics.drawImage(BitmapEncoder.getBufferedImage(losses), 0, 0, null);
        graphics.drawImage(BitmapEncoder.getBufferedImage(iou), WIDTH, 0, null);
        graphics.dispose();
        return both;
    }

    private static double[] metric(List<EpochRecord> history, String name) {
        return history.stream().mapToDouble(r -> r.validation().getOrDefault(name, Double.NaN)).toArray();
    }
}
