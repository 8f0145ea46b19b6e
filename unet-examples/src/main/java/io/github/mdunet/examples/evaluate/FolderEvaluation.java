package io.github.mdunet.examples.evaluate;

import io.github.mdunet.core.metrics.SegmentationEvaluation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.LabelMask;
import io.github.mdunet.data.image.MaskEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores a U-Net on labelled images at their own size (tiled, as {@code predict} does), not resized to the model's
 * input: what a user gets from the model is what is measured.
 */
public final class FolderEvaluation {

    private final UNet unet;
    private final ImagePredictor predictor;
    private final MaskEncoding encoding;
    private final int classes;

    /**
     * @param encoding how the masks hold class ids
     * @param overlap  tile overlap in pixels where {@code framing} tiles
     * @param framing  how an image of another size than the model's input is seen
     */
    public FolderEvaluation(UNet unet, MaskEncoding encoding, int overlap, ImageFraming framing) {
        this(unet, ImagePredictor.of(unet, overlap, framing), encoding);
    }

    private FolderEvaluation(UNet unet, ImagePredictor predictor, MaskEncoding encoding) {
        this.unet = unet;
        this.predictor = predictor;
        this.encoding = encoding;
        this.classes = classesOf(unet);
    }

    /** The same evaluation of predictions averaged over each image's mirror images ({@code --tta}). */
    public FolderEvaluation withFlipsAveraged() {
        return new FolderEvaluation(unet, predictor.withFlipsAveraged(), encoding);
    }

    /** The classes a model tells apart: its output channels, or 2 for a one-channel (sigmoid) head. */
    public static int classesOf(UNet unet) {
        return Math.max(2, unet.config().numClasses());
    }

    /** Class names {@code "0"}, {@code "1"}, ... for a model whose classes have no names. */
    public static List<String> numberedClasses(int classes) {
        return IntStream.range(0, classes).mapToObj(String::valueOf).toList();
    }

    public EvaluationResult evaluate(List<SamplePair> samples, List<String> classNames) {
        SegmentationEvaluation total = new SegmentationEvaluation(classes, classNames, true, 0.5);
        List<ImageScore> scores = new ArrayList<>();
        for (SamplePair sample : samples) {
            SegmentationEvaluation one = evaluate(sample);
            total.merge(one);
            scores.add(new ImageScore(sample, one.meanIoU(), one.pixelAccuracy()));
        }
        return new EvaluationResult(total, scores, classNames);
    }

    /** One image against its mask. */
    SegmentationEvaluation evaluate(SamplePair sample) {
        ImagePredictor.Prediction prediction = predictor.predict(sample.input());
        LabelMask mask = ImageFiles.readMask(sample.target(), encoding, classes);
        INDArray probabilities = prediction.probabilities();
        int outputs = (int) probabilities.size(0);
        int height = (int) probabilities.size(1);
        int width = (int) probabilities.size(2);
        if (mask.height() != height || mask.width() != width) {
            throw new io.github.mdunet.data.image.BadFileException(sample.target(), "mask of " + mask.width() + "x"
                    + mask.height() + " pixels; its image " + sample.input() + " has " + width + "x" + height);
        }
        SegmentationEvaluation one = new SegmentationEvaluation(classes);
        one.eval(labels(mask, outputs), probabilities.reshape(1, outputs, height, width), labelsMask(mask));
        return one;
    }

    /** {@code [1, 1, H, W]}: 0 where the mask's pixel is ignored, 1 elsewhere; null when none is. */
    private static INDArray labelsMask(LabelMask mask) {
        if (!mask.hasIgnored()) {
            return null;
        }
        float[] counted = new float[mask.ids().length];
        LabelMask.writeCounted(mask.ids(), counted, 0);
        return Nd4j.create(counted, new long[] {1, 1, mask.height(), mask.width()}, DataType.FLOAT);
    }

    /** {@code [1, K, H, W]} one-hot labels, or {@code [1, 1, H, W]} 0/1 for a one-channel head; 0 where ignored. */
    private static INDArray labels(LabelMask mask, int outputs) {
        int plane = mask.height() * mask.width();
        float[] values = new float[outputs * plane];
        for (int i = 0; i < plane; i++) {
            int id = mask.ids()[i];
            if (id == LabelMask.IGNORED) {
                continue;
            }
            if (outputs == 1) {
                values[i] = id;
            } else {
                values[id * plane + i] = 1;
            }
        }
        return Nd4j.create(values, new long[] {1, outputs, mask.height(), mask.width()}, DataType.FLOAT);
    }

    /** The U-Net being evaluated. */
    public UNet unet() {
        return unet;
    }

    /** Image | true classes | predicted classes, for one sample. */
    public OverlayStrip.Picture strip(SamplePair sample) {
        ImagePredictor.Prediction prediction = predictor.predict(sample.input());
        LabelMask mask = ImageFiles.readMask(sample.target(), encoding, classes);
        int[][] truth = new int[mask.height()][mask.width()];
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < mask.width(); x++) {
                truth[y][x] = mask.at(y, x);
            }
        }
        return new OverlayStrip.Picture(sample.stem(), OverlayStrip.of(prediction.picture(), truth,
                io.github.mdunet.core.predict.MaskImages.classIds(prediction.probabilities())));
    }
}
