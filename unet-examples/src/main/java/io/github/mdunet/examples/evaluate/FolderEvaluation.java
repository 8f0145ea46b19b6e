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
import org.nd4j.linalg.api.ndarray.INDArray;

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

    /** With the given predictor (that of {@code unet} or, in tests, another model's of the same input and classes). */
    FolderEvaluation(UNet unet, ImagePredictor predictor, MaskEncoding encoding) {
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
        return SegmentationEvaluation.classesOf(unet.config().numClasses());
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
        int height = (int) probabilities.size(1);
        int width = (int) probabilities.size(2);
        if (mask.height() != height || mask.width() != width) {
            throw new io.github.mdunet.data.image.BadFileException(sample.target(), "mask of " + mask.width() + "x"
                    + mask.height() + " pixels; its image " + sample.input() + " has " + width + "x" + height);
        }
        SegmentationEvaluation one = new SegmentationEvaluation(classes);
        // From the class ids, ignored ones (negative) left out: no one-hot labels the size of the probabilities.
        one.evalClassIds(mask.ids(), probabilities);
        return one;
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
