package io.github.mdunet.data.pipeline;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.data.augment.JointAugmenter;
import io.github.mdunet.data.folder.PairSizes;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.LabelMask;
import io.github.mdunet.data.image.MaskEncoding;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Image/mask pairs: features {@code [C, H, W]} normalised, labels {@code [K, H, W]} in the {@link LabelFormat}.
 * Image and mask are resampled through one draw of the {@link JointAugmenter}, the mask nearest-neighbour. Pixels
 * the {@link MaskEncoding} ignores have no class in the labels (all zeros, or 0) and 0 in the labels mask
 * {@code [1, H, W]}, which a source whose encoding ignores values writes for every sample.
 */
public final class SegmentationSource extends PairedFileSource {

    private final MaskEncoding encoding;
    private final int numClasses;

    /**
     * @param significantBits the bits of a 16-bit image's samples that hold its value (16 for all; masks hold class
     *                        ids whatever their depth)
     */
    public SegmentationSource(List<SamplePair> pairs, MaskEncoding encoding, int numClasses, int significantBits,
                              PipelineConfig config) {
        super(pairs, significantBits, config);
        this.encoding = encoding;
        this.numClasses = numClasses;
        if (config.labels() == LabelFormat.BINARY && numClasses != 2) {
            throw new IllegalArgumentException("LabelFormat.BINARY needs a dataset with exactly 2 class ids (0 and 1)"
                    + " but numClasses was " + numClasses + "; use ONE_HOT with a softmax head");
        }
    }

    @Override
    public ImageShape labelShape() {
        return config.output().withChannels(config.labels().channels(numClasses));
    }

    /**
     * The mask encoding ({@code "masks Palette{#000000=0, #FF0000=1}"}), so that masks read otherwise (another palette
     * or value map, class ids instead of colours) are other data; empty only for class ids without ignored values,
     * whose stored values are the labels, so that the identity of runs saved with them stays what they recorded.
     */
    @Override
    public String targetEncoding() {
        return encoding.equals(new MaskEncoding.ClassIds()) ? "" : "masks " + encoding;
    }

    @Override
    public boolean masksLabels() {
        return encoding.ignoresPixels();
    }

    @Override
    public void load(int index, SplittableRandom random, SampleSlot slot) {
        SamplePair pair = pair(index);
        ImageShape out = config.output();
        DecodedImage image = readImage(pair.input(), out.channels());
        LabelMask mask = ImageFiles.readMask(pair.target(), encoding, numClasses);
        Optional<String> sizeProblem = PairSizes.maskProblem(mask.width(), mask.height(), pair.input(),
                pair.input().getFileName().toString(), image.width(), image.height());
        if (sizeProblem.isPresent()) {
            throw new BadFileException(pair.target(), sizeProblem.get());
        }
        JointAugmenter.Draw draw = augmenter.draw(random, image.height(), image.width(), out.height(), out.width());
        augmentImage(image, draw.geometry(), out.height(), out.width(), draw, slot.features(), slot.featureOffset());
        int plane = out.height() * out.width();
        int[] ids = JointAugmenter.resampleMask(mask.ids(), mask.height(), mask.width(), draw.geometry(),
                out.height(), out.width());
        float[] labels = slot.labels();
        int labelOffset = slot.labelOffset();
        boolean oneHot = switch (config.labels()) {
            case ONE_HOT -> true;
            case BINARY, CLASS_ID -> false;
        };
        if (oneHot) {
            for (int i = 0; i < plane; i++) {
                if (ids[i] != LabelMask.IGNORED) {
                    labels[labelOffset + ids[i] * plane + i] = 1f;
                }
            }
        } else {
            for (int i = 0; i < plane; i++) {
                labels[labelOffset + i] = ids[i] == LabelMask.IGNORED ? 0f : ids[i];
            }
        }
        if (slot.labelsMask() != null) {
            LabelMask.writeCounted(ids, slot.labelsMask(), slot.maskOffset());
        }
    }
}
