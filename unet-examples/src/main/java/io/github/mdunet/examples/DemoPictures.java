package io.github.mdunet.examples;

import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.MaskImages;
import io.github.mdunet.core.train.EpochRecord;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.LabelMask;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.image.PixelNormalizer;
import io.github.mdunet.examples.report.TrainingCurves;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The demo's pictures: image | ground truth | prediction overlays, and the training curves. */
final class DemoPictures {

    /** Small images are drawn this many times larger (nearest neighbour) so that a person can see them. */
    private static final int ZOOM = 3;

    private DemoPictures() {
    }

    /** One PNG per sample: the image, the true mask over it, the predicted mask over it. */
    static void writeOverlays(UNet unet, List<SamplePair> samples, UNetConfig model, Path directory, int count)
            throws IOException {
        Files.createDirectories(directory);
        PixelNormalizer normalizer = new PixelNormalizer(model.encoder().inputNormalization());
        for (SamplePair sample : samples.subList(0, Math.min(count, samples.size()))) {
            DecodedImage image = ImageFiles.readImage(sample.input(), model.input().channels());
            int plane = image.height() * image.width();
            float[] normalized = new float[image.channels() * plane];
            normalizer.normalize(image.pixels(), image.channels(), plane, normalized, 0);
            INDArray features = Nd4j.create(normalized, 1, image.channels(), image.height(), image.width());
            int[][] predicted = MaskImages.classIds(unet.predict(features).get(
                    org.nd4j.linalg.indexing.NDArrayIndex.point(0)));
            LabelMask truth = ImageFiles.readMask(sample.target(), new MaskEncoding.ClassIds(), model.numClasses());
            BufferedImage picture = ImageIO.read(sample.input().toFile());
            int width = picture.getWidth() * ZOOM;
            int height = picture.getHeight() * ZOOM;
            BufferedImage strip = new BufferedImage(width * 3, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = strip.createGraphics();
            graphics.drawImage(picture, 0, 0, width, height, null);
            graphics.drawImage(MaskImages.overlay(picture, rows(truth), 0.55), width, 0, width, height, null);
            graphics.drawImage(MaskImages.overlay(picture, predicted, 0.55), 2 * width, 0, width, height, null);
            graphics.dispose();
            AtomicFiles.durable().writePng(directory.resolve(sample.stem() + ".png"), strip);
        }
    }

    private static int[][] rows(LabelMask mask) {
        int[][] rows = new int[mask.height()][mask.width()];
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < mask.width(); x++) {
                rows[y][x] = mask.at(y, x);
            }
        }
        return rows;
    }

    /** Training loss, validation loss (both means per pixel) and validation mean IoU per epoch. */
    static void writeCurves(List<EpochRecord> history, Path file) throws IOException {
        AtomicFiles.durable().writePng(file, TrainingCurves.of(history));
    }
}
