package io.github.mdunet.data;

import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.folder.Splits;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PairedFileSource;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.validate.BadSamplePolicy;
import io.github.mdunet.data.validate.ValidationReport;
import java.nio.file.Path;
import java.util.List;

/**
 * A folder of input/target file pairs, validated and split, that makes DL4J iterators: what
 * {@link SegmentationDataset} and {@link ImageToImageDataset} share. A subclass says where its inputs are and how
 * many channels they have ({@link Inputs}), and which {@link PairedFileSource} reads its pairs.
 *
 * @param <C> the folder configuration
 */
public abstract sealed class PairedFolderDataset<C> permits SegmentationDataset, ImageToImageDataset {

    private final C config;
    private final ValidationReport report;
    private final Splits.Parts parts;
    private final BadSamplePolicy policy;
    private final Inputs inputs;

    /**
     * Keeps the samples of {@code report} that {@code policy} lets through, split by {@code split}.
     *
     * @throws io.github.mdunet.data.validate.DatasetValidationException under {@code FAIL} when a file is bad, and
     *         under either policy when no usable sample is left or {@code split} would leave no training or no
     *         validation sample (a {@code BySeed} split of one usable sample)
     */
    PairedFolderDataset(C config, ValidationReport report, Split split, BadSamplePolicy policy, Inputs inputs) {
        this.config = config;
        this.report = report;
        this.parts = report.usableParts(inputs.dataset(), policy, split);
        this.policy = policy;
        this.inputs = inputs;
    }

    /**
     * The inputs as the folder configuration names them: what the pipeline's channels are checked against, and
     * what the messages name.
     *
     * @param dataset       the dataset as messages name it, e.g. "segmentation dataset data/images + data/masks"
     * @param folder        the folder of the input images
     * @param channels      their channels, which the pipeline's output must have
     * @param channelsField the configuration field that holds {@code channels}
     * @param channelsFix   the configuration method that sets it, suggested on a mismatch; empty when there is none
     */
    record Inputs(String dataset, Path folder, int channels, String channelsField, String channelsFix) {
    }

    public C config() {
        return config;
    }

    /** What the validation pass found (also the skipped samples under {@link BadSamplePolicy#SKIP}). */
    public ValidationReport report() {
        return report;
    }

    public List<SamplePair> training() {
        return parts.training();
    }

    public List<SamplePair> validation() {
        return parts.validation();
    }

    /** Training batches, augmented and shuffled as {@code pipeline} says. */
    public PairedDataSetIterator trainIterator(PipelineConfig pipeline) {
        return iterator(training(), pipeline);
    }

    /**
     * Validation batches for a model trained on {@code pipeline}: {@link PipelineConfig#forValidation()}, nothing
     * random or shuffled, framed at the scale the training augmentation draws on average (pass
     * {@link PipelineConfig#evaluation} for the whole image resized). Fails if there is no validation set, which only
     * {@link Split.None} gives (the other splits are refused when the dataset opens if they would give none).
     */
    public PairedDataSetIterator validationIterator(PipelineConfig pipeline) {
        if (validation().isEmpty()) {
            throw new IllegalStateException("no validation samples: configure a Split (BySeed or ByFolder) on "
                    + inputs.folder());
        }
        return iterator(validation(), pipeline.forValidation());
    }

    /**
     * Batches over any of this dataset's pairs. A file that fails while loading (it broke after the validation pass)
     * is handled with the policy the dataset was opened with: {@code FAIL} throws, {@code SKIP} leaves it out.
     *
     * @throws IllegalArgumentException when the pipeline's output channels are not the inputs' channels
     */
    public PairedDataSetIterator iterator(List<SamplePair> pairs, PipelineConfig pipeline) {
        int requested = pipeline.output().channels();
        if (requested != inputs.channels()) {
            String fix = inputs.channelsFix().isEmpty() ? "" : "; use " + inputs.channelsFix() + "(" + requested + ")";
            throw new IllegalArgumentException("PipelineConfig.output has " + requested + " channels but the dataset's "
                    + inputs.channelsField() + " is " + inputs.channels() + fix);
        }
        return new PairedDataSetIterator(source(pairs, pipeline), pipeline, policy);
    }

    /** The source that reads {@code pairs} for {@code pipeline}. */
    abstract PairedFileSource source(List<SamplePair> pairs, PipelineConfig pipeline);
}
