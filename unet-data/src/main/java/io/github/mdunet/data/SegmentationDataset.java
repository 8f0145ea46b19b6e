package io.github.mdunet.data;

import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.pipeline.PairedFileSource;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.pipeline.SegmentationSource;
import io.github.mdunet.data.stats.ClassFrequencies;
import io.github.mdunet.data.stats.MaskClassCounts;
import io.github.mdunet.data.validate.BadSamplePolicy;
import io.github.mdunet.data.validate.DatasetValidationException;
import io.github.mdunet.data.validate.DatasetValidator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image/mask folder dataset, validated and split, that makes DL4J iterators.
 *
 * <pre>{@code
 * SegmentationDataset data = SegmentationDataset.open(
 *         SegmentationFolderConfig.of(root, 4).withSplit(new Split.BySeed(0.2, 42)), BadSamplePolicy.FAIL);
 * PipelineConfig pipeline = PipelineConfig.training(unetConfig, 8, 42);
 * DataSetIterator train = data.trainIterator(pipeline);
 * DataSetIterator validation = data.validationIterator(pipeline); // pipeline.forValidation(): nothing random
 * }</pre>
 * Batches: features {@code [N, C, H, W]} float, normalised as the pipeline says; labels {@code [N, K, H, W]}
 * one-hot for {@code LabelFormat.ONE_HOT} ({@code K = numClasses}), {@code [N, 1, H, W]} otherwise.
 */
public final class SegmentationDataset extends PairedFolderDataset<SegmentationFolderConfig> {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentationDataset.class);

    private SegmentationDataset(SegmentationFolderConfig config, BadSamplePolicy policy) {
        super(config, DatasetValidator.validate(config), config.split(), policy,
                new Inputs("segmentation dataset " + config.images() + " + " + config.masks(), config.images(),
                        config.imageChannels(), "imageChannels", "SegmentationFolderConfig.withImageChannels"));
        if (!(config.split() instanceof Split.None)) {
            // A dataset split for training: one without a split is scored (evaluate), where a class it lacks is no
            // mistake and its IoU is undefined, not 0.
            absentClassesWarning().ifPresent(LOG::warn);
        }
    }

    /** Validates every file and throws with all errors at once ({@link BadSamplePolicy#FAIL}). */
    public static SegmentationDataset open(SegmentationFolderConfig config) {
        return open(config, BadSamplePolicy.FAIL);
    }

    /**
     * Validates every file ({@link DatasetValidator}), then applies the policy: {@code FAIL} throws a
     * {@link DatasetValidationException} listing every problem; {@code SKIP} leaves out bad samples and logs each.
     * Either way, a dataset with no usable sample (or a missing or empty folder) throws, and so does a split that
     * would leave no training or no validation sample (a {@code BySeed} split of one usable sample), naming the count,
     * the fraction and the fix.
     */
    public static SegmentationDataset open(SegmentationFolderConfig config, BadSamplePolicy policy) {
        return new SegmentationDataset(config, policy);
    }

    /**
     * The class frequencies of the training masks ({@link #training()}), from the counts of the validation pass: no
     * mask is read again. {@code ClassFrequencies.medianFrequencyWeights()} of it are the weights of
     * {@code mdunet train --class-weights auto}.
     */
    public ClassFrequencies trainingClassFrequencies() {
        return ClassFrequencies.of(trainingCounts(), config().numClasses());
    }

    private List<MaskClassCounts> trainingCounts() {
        return training().stream().map(pair -> report().maskCounts().get(pair.target())).toList();
    }

    /**
     * A warning when a class of {@code 0..numClasses-1} has no pixel in the training masks: a model never sees it,
     * its IoU is 0 and median-frequency weights give it 0. When the training masks have ignored pixels, it says that
     * they may be the class (a binary mask stored as 0/255 read with 255 ignored leaves only the background).
     * Empty when every class occurs. Logged when a dataset with a {@link Split} (one opened for training) opens; a
     * caller training on a dataset without one may log it itself.
     */
    public Optional<String> absentClassesWarning() {
        List<Integer> absent = trainingClassFrequencies().absentClasses();
        if (absent.isEmpty()) {
            return Optional.empty();
        }
        SegmentationFolderConfig config = config();
        long ignored = trainingCounts().stream().mapToLong(MaskClassCounts::ignored).sum();
        boolean one = absent.size() == 1;
        String classes = (one ? "class " : "classes ") + absent.stream().map(String::valueOf)
                .collect(Collectors.joining(", "));
        String masks = training().size() + (config.split() instanceof Split.None ? " masks" : " training masks");
        String because = ignored == 0 ? "" : String.format(Locale.ROOT, "; %,d pixels of those masks are ignored"
                + " (%s), which may be the cause: if they hold %s, map their values to %s rather than ignore them"
                + " (a binary mask stored as 0/255: --mask-values 0=0,255=1, MaskEncoding.ValueMap.binary255())",
                ignored, config.encoding(), one ? "the class" : "the classes", one ? "it" : "them");
        return Optional.of(String.format(Locale.ROOT, "%s (of 0..%d) %s no pixel in the %s of %s: a model never sees"
                        + " %s (IoU 0), and median-frequency class weights (--class-weights auto) give %s weight 0%s",
                classes, config.numClasses() - 1, one ? "has" : "have", masks, config.masks(), one ? "it" : "them",
                one ? "it" : "them", because));
    }

    @Override
    PairedFileSource source(List<SamplePair> pairs, PipelineConfig pipeline) {
        SegmentationFolderConfig config = config();
        return new SegmentationSource(pairs, config.encoding(), config.numClasses(), config.significantBits(),
                pipeline);
    }
}
