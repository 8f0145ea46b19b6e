package io.github.mdunet.examples.superres;

import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.metrics.ImageQualityEvaluation;
import io.github.mdunet.core.train.EpochRecord;
import io.github.mdunet.core.train.Validator;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.superres.Resampling;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** The super-resolution pictures: input | bicubic | model | truth grids, crop comparisons, training curves. */
final class SuperResolutionPictures {

    /** Panels are shown about this wide (nearest-neighbour zoom), so that a person sees the pixels. */
    private static final int PANEL = 256;
    /** Larger photographs are shown as their central crop of this side. */
    private static final int MAX_CROP = 192;
    private static final int CAPTION = 20;

    private SuperResolutionPictures() {
    }

    /** A panel: an image region with a caption. */
    record Panel(String caption, DecodedImage image) {
    }

    /**
     * One PNG: the low-resolution input (pixels enlarged), the bicubic upscaling, the model's output and the truth,
     * side by side, each captioned (PSNR against the truth for the two upscalings, measured as the printed table
     * measures it: a border of {@code scale} pixels shaved, values clamped to 0-255, at most 100 dB).
     */
    static void writeGrid(Path file, DecodedImage truth, DecodedImage bicubic, DecodedImage model, int scale)
            throws IOException {
        DecodedImage lowResolution = Resampling.areaDownscale(truth, scale, true);
        DecodedImage blocky = nearest(lowResolution, scale);
        int side = Math.min(MAX_CROP, Math.min(truth.height(), truth.width()));
        int top = (truth.height() - side) / 2 / scale * scale;
        int left = (truth.width() - side) / 2 / scale * scale;
        List<Panel> panels = List.of(
                new Panel("input (1/" + scale + ")", crop(blocky, top, left, side)),
                new Panel(String.format(Locale.ROOT, "bicubic %.2f dB", psnr(truth, bicubic, scale)),
                        crop(bicubic, top, left, side)),
                new Panel(String.format(Locale.ROOT, "U-Net %.2f dB", psnr(truth, model, scale)),
                        crop(model, top, left, side)),
                new Panel("truth", crop(truth, top, left, side)));
        write(file, List.of(panels), Math.max(1, Math.round(PANEL / (float) side)));
    }

    /** Rows of panels, each enlarged {@code zoom} times, captions below. */
    static void write(Path file, List<List<Panel>> rows, int zoom) throws IOException {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int cellWidth = rows.stream().flatMap(List::stream).mapToInt(p -> p.image().width()).max().orElse(1) * zoom;
        int cellHeight = rows.stream().flatMap(List::stream).mapToInt(p -> p.image().height()).max().orElse(1) * zoom;
        int gap = 4;
        BufferedImage picture = new BufferedImage(columns * (cellWidth + gap) + gap,
                rows.size() * (cellHeight + CAPTION + gap) + gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, picture.getWidth(), picture.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < rows.get(r).size(); c++) {
                    Panel panel = rows.get(r).get(c);
                    int x = gap + c * (cellWidth + gap);
                    int y = gap + r * (cellHeight + CAPTION + gap);
                    BufferedImage image = panel.image().toPicture();
                    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                            RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
                    g.drawImage(image, x, y, image.getWidth() * zoom, image.getHeight() * zoom, null);
                    g.setColor(Color.BLACK);
                    g.drawString(panel.caption(), x + 2, y + cellHeight + CAPTION - 5);
                }
            }
        } finally {
            g.dispose();
        }
        AtomicFiles.durable().writePng(file, picture);
    }

    /** The {@code side x side} region at ({@code top}, {@code left}), clipped to the image. */
    static DecodedImage crop(DecodedImage image, int top, int left, int side) {
        int height = Math.min(side, image.height() - top);
        int width = Math.min(side, image.width() - left);
        return Resampling.crop(image, top, left, height, width);
    }

    /**
     * The top-left corner of the {@code side x side} region of {@code image} with the most detail (the largest sum
     * of squared luma differences between neighbours), on a grid of {@code step}.
     */
    static int[] detailedRegion(DecodedImage image, int side, int step) {
        double best = -1;
        int[] corner = {0, 0};
        for (int top = 0; top + side <= image.height(); top += step) {
            for (int left = 0; left + side <= image.width(); left += step) {
                double detail = 0;
                for (int y = top; y < top + side - 1; y++) {
                    for (int x = left; x < left + side - 1; x++) {
                        double here = luma(image, y, x);
                        detail += Math.pow(luma(image, y, x + 1) - here, 2) + Math.pow(luma(image, y + 1, x) - here, 2);
                    }
                }
                if (detail > best) {
                    best = detail;
                    corner = new int[] {top, left};
                }
            }
        }
        return corner;
    }

    private static double luma(DecodedImage image, int y, int x) {
        return 0.299 * image.at(0, y, x) + 0.587 * image.at(1, y, x) + 0.114 * image.at(2, y, x);
    }

    /** Each pixel repeated {@code factor x factor} times. */
    static DecodedImage nearest(DecodedImage image, int factor) {
        int height = image.height() * factor;
        int width = image.width() * factor;
        float[] out = new float[image.channels() * height * width];
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[(c * height + y) * width + x] = image.at(c, y / factor, x / factor);
                }
            }
        }
        return image.derived(image.channels(), height, width, out);
    }

    /** PSNR as {@link SuperResolutionRun} measures held-out photographs: {@code shave} pixels cut from each side. */
    private static double psnr(DecodedImage truth, DecodedImage other, int shave) {
        // evalPixels reads 0-255 pixels: the normalisation is that of arrays, unused here.
        ImageQualityEvaluation quality = new ImageQualityEvaluation(InputNormalization.UNIT_RANGE, shave);
        quality.evalPixels(SuperResolutionRun.doubles(truth), SuperResolutionRun.doubles(other), truth.channels(),
                truth.height(), truth.width());
        return quality.psnr();
    }

    /** Training and validation loss per epoch, and validation PSNR per epoch beside the bicubic baseline. */
    static void writeCurves(List<EpochRecord> history, double bicubicPsnr, Path file) throws IOException {
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        XYChart losses = new XYChartBuilder().width(640).height(360).title("Loss (mean per image)")
                .xAxisTitle("epoch").build();
        losses.addSeries("training loss", epochs, history.stream().mapToDouble(EpochRecord::trainLoss).toArray());
        losses.addSeries("validation loss", epochs,
                history.stream().mapToDouble(r -> r.validation().get(Validator.LOSS)).toArray());
        XYChart psnr = new XYChartBuilder().width(640).height(360).title("Validation PSNR (dB)").xAxisTitle("epoch")
                .build();
        psnr.addSeries("U-Net", epochs,
                history.stream().mapToDouble(r -> r.validation().get(Validator.PSNR)).toArray());
        double[] flat = new double[epochs.length];
        java.util.Arrays.fill(flat, bicubicPsnr);
        psnr.addSeries("bicubic", epochs, flat);
        BufferedImage both = new BufferedImage(1280, 360, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = both.createGraphics();
        graphics.drawImage(BitmapEncoder.getBufferedImage(losses), 0, 0, null);
        graphics.drawImage(BitmapEncoder.getBufferedImage(psnr), 640, 0, null);
        graphics.dispose();
        AtomicFiles.durable().writePng(file, both);
    }
}
