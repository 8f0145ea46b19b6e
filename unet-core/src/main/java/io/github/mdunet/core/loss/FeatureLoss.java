package io.github.mdunet.core.loss;

import io.github.mdunet.core.encoder.InputNormalization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * The feature (perceptual) loss of fastai's super-resolution lesson, for image-to-image heads. Per example, with
 * {@code y'} the output image, {@code y} the target, {@code f_i} the feature maps of a frozen network (a
 * {@link FeatureExtractor}) with layer weights {@code w_i}, and {@code G(f) = f f^T / (c h w)} the Gram matrix of a
 * {@code c x h x w} map:
 * <pre>
 *   pixelWeight * mean|y' - y|
 *   + sum_i w_i * mean|f_i(y') - f_i(y)|
 *   + gramWeight * sum_i w_i^2 * mean|G(f_i(y')) - G(f_i(y))|
 * </pre>
 * (means over all values of one example). The images are in the U-Net's pixel normalisation
 * ({@code outputNormalization}) and are re-expressed in the extractor's before they enter it.
 *
 * <p>The gradient with respect to {@code y'} goes back through the frozen network (DL4J's backprop with external
 * errors); the frozen network's parameters are never updated and are not part of the U-Net. It is built from its
 * description on first use (so a restored model rebuilds it, reading pretrained weights again if it has them).
 *
 * <p>Tensor contract: {@code CnnLossLayer} hands {@code [N*H*W, C]} rows, example after example; {@code height} and
 * {@code width} are the output's, so the rows can be put back into images {@code [N, C, H, W]}. Scores follow
 * {@link MeanL1Loss}: {@link #computeScoreArray} spreads each example's loss evenly over its rows and
 * {@code computeScore(average=false)} is the sum over examples. Masks are not supported. The derivative of
 * {@code |d|} at 0 is taken as 0.
 */
public class FeatureLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    // Saved by their @JsonProperty and restored without checks: every evaluation starts with checkSettings().
    // In DL4J's network JSON the extractor stays under its class name, as DL4J names every layer and loss there
    // (and as files before format 5 hold it); the U-Net's own configuration entry uses its stable name.
    @JsonProperty
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
    private FeatureExtractor extractor;
    /** How the U-Net's output (and target) images encode pixels. */
    @JsonProperty
    private InputNormalization outputNormalization = InputNormalization.UNIT_RANGE;
    @JsonProperty
    private double pixelWeight = 1.0;
    @JsonProperty
    private double gramWeight;
    @JsonProperty
    private int height = 1;
    @JsonProperty
    private int width = 1;

    private transient FeatureNetwork network;
    private transient DataType networkType;
    /** The last target batch (rows) and its feature maps and Gram matrices: validation and training reuse them. */
    private transient INDArray cachedLabels;
    private transient List<INDArray> cachedTargetFeatures;
    private transient List<INDArray> cachedTargetGrams;
    /** The last evaluated pre-output and its per-example losses: DL4J asks for the gradient, then the score. */
    private transient INDArray cachedPreOutput;
    private transient double[] cachedLosses;

    /** For Jackson. */
    public FeatureLoss() {
    }

    /**
     * @param extractor           the frozen network and its layer weights
     * @param outputNormalization the pixel normalisation of the U-Net's output and targets
     * @param pixelWeight         weight of the pixel L1 term, >= 0
     * @param gramWeight          weight of the Gram terms, >= 0
     * @param height              output height
     * @param width               output width
     */
    public FeatureLoss(FeatureExtractor extractor, InputNormalization outputNormalization, double pixelWeight,
            double gramWeight, int height, int width) {
        this.extractor = extractor;
        this.outputNormalization = outputNormalization;
        this.pixelWeight = pixelWeight;
        this.gramWeight = gramWeight;
        this.height = height;
        this.width = width;
        checkSettings();
    }

    /** Checks every setting, throwing an IllegalArgumentException that names the field. */
    private void checkSettings() {
        if (extractor == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".extractor must be set but was null");
        }
        if (outputNormalization == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".outputNormalization must be set (the"
                    + " U-Net's pixel normalisation) but was null");
        }
        nonNegative("pixelWeight", pixelWeight);
        nonNegative("gramWeight", gramWeight);
        positive("height", height);
        positive("width", width);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        double[] losses = losses(labels, preOutput, activationFn, mask);
        double score = Arrays.stream(losses).sum();
        return average ? score / losses.length : score;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] losses = losses(labels, preOutput, activationFn, mask);
        return LossSupport.spreadOverRows(Nd4j.createFromArray(losses).castTo(preOutput.dataType()),
                preOutput.size(0));
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return evaluate(labels, preOutput, activationFn, mask, true).gradient();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        Result result = evaluate(labels, preOutput, activationFn, mask, true);
        double score = Arrays.stream(result.losses()).sum();
        return new Pair<>(average ? score / result.losses().length : score, result.gradient());
    }

    /** The frozen network's parameters, once built (for tests that check it stays frozen); else {@code null}. */
    public synchronized INDArray frozenParameters() {
        return network == null ? null : network.parameters();
    }

    private synchronized double[] losses(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask) {
        if (cachedPreOutput != null && sameValues(preOutput, cachedPreOutput) && sameValues(labels, cachedLabels)) {
            return cachedLosses.clone();
        }
        return evaluate(labels, preOutput, activationFn, mask, false).losses();
    }

    private record Result(double[] losses, INDArray gradient) {
    }

    private synchronized Result evaluate(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean withGradient) {
        // Detached: the cached arrays outlive the caller's workspaces, which DL4J closes after each step.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return evaluateDetached(labels, preOutput, activationFn, mask, withGradient);
        }
    }

    private Result evaluateDetached(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean withGradient) {
        checkSettings();
        String owner = getClass().getSimpleName();
        LossSupport.checkShapes(owner, labels, preOutput);
        if (mask != null) {
            throw new IllegalArgumentException(owner + " does not support masks: it compares whole images");
        }
        int pixels = height * width;
        long rows = preOutput.size(0);
        if (rows % pixels != 0) {
            throw new IllegalArgumentException(owner + " is configured for " + height + "x" + width + " outputs but"
                    + " the minibatch has " + rows + " rows, not a multiple of " + pixels + ": build the loss for the"
                    + " output's size");
        }
        int examples = Math.toIntExact(rows / pixels);
        int channels = Math.toIntExact(preOutput.size(1));
        DataType type = preOutput.dataType();
        FeatureNetwork features = network(type);
        NormalizationChange change = new NormalizationChange(outputNormalization, extractor.inputNormalization(),
                channels);

        INDArray prediction = toImages(activationFn.getActivation(preOutput.dup(), true), examples, channels);
        Target target = target(labels, examples, channels, type, features, change);
        double[] losses = new double[examples];

        INDArray difference = prediction.sub(target.images());
        double pixelScale = pixelWeight / ((double) channels * pixels);
        addPerExample(losses, Transforms.abs(difference, true), pixelScale);
        List<Double> weights = extractor.layerWeights();
        INDArray imageGradient = null;
        if (withGradient) {
            imageGradient = Transforms.sign(difference, false).muli(pixelScale);
            INDArray extractorGradient = features.inputGradient(change.apply(prediction),
                    maps -> featureTerms(maps, target, weights, losses, true));
            imageGradient.addi(change.backprop(extractorGradient));
        } else {
            featureTerms(features.features(change.apply(prediction)), target, weights, losses, false);
        }
        INDArray gradient = null;
        if (withGradient) {
            gradient = activationFn.backprop(preOutput.dup(), toRows(imageGradient, channels)).getFirst();
            cachedPreOutput = preOutput.dup();
            cachedLosses = losses.clone();
        }
        return new Result(losses, gradient);
    }

    /** Adds each feature map's terms to {@code losses}; returns the gradients w.r.t. the maps when asked. */
    private List<INDArray> featureTerms(List<INDArray> maps, Target target, List<Double> weights, double[] losses,
            boolean withGradient) {
        if (maps.size() != weights.size()) {
            throw new IllegalStateException(extractor + " has " + weights.size() + " layer weights but its network"
                    + " has " + maps.size() + " outputs");
        }
        List<INDArray> gradients = new ArrayList<>(maps.size());
        for (int i = 0; i < maps.size(); i++) {
            INDArray map = maps.get(i);
            double weight = weights.get(i);
            long values = map.length() / map.size(0);
            INDArray difference = map.sub(target.features().get(i));
            addPerExample(losses, Transforms.abs(difference, true), weight / values);
            INDArray gradient = withGradient ? Transforms.sign(difference, false).muli(weight / values) : null;
            if (gramWeight > 0) {
                gramTerm(map, target.grams().get(i), gramWeight * weight * weight, losses, gradient);
            }
            gradients.add(gradient);
        }
        return gradients;
    }

    /**
     * {@code scale * mean|G(map) - targetGram|} per example, and its gradient added to {@code gradient} (if not null):
     * with {@code S = scale * sign(G - G_target) / c^2}, {@code dL/dF = (S + S^T) F / (c h w)}.
     */
    private static void gramTerm(INDArray map, INDArray targetGrams, double scale, double[] losses, INDArray gradient) {
        long channels = map.size(1);
        long values = map.length() / map.size(0);
        for (int n = 0; n < losses.length; n++) {
            INDArray flat = map.get(NDArrayIndex.point(n)).reshape('c', channels, values / channels);
            INDArray difference = gram(flat, values).subi(targetGrams.get(NDArrayIndex.point(n)));
            losses[n] += scale * Transforms.abs(difference, true).sumNumber().doubleValue() / (channels * channels);
            if (gradient != null) {
                INDArray s = Transforms.sign(difference, false).muli(scale / (channels * channels));
                INDArray mapGradient = s.add(s.transpose()).mmul(flat).divi(values);
                gradient.get(NDArrayIndex.point(n)).addi(mapGradient.reshape('c', map.size(1), map.size(2),
                        map.size(3)));
            }
        }
    }

    private static INDArray gram(INDArray flat, long values) {
        return flat.mmul(flat.transpose()).divi(values);
    }

    private record Target(INDArray images, List<INDArray> features, List<INDArray> grams) {
    }

    private Target target(INDArray labels, int examples, int channels, DataType type, FeatureNetwork features,
            NormalizationChange change) {
        INDArray images = toImages(labels.castTo(type), examples, channels);
        if (cachedLabels == null || !sameValues(labels, cachedLabels)) {
            cachedTargetFeatures = features.features(change.apply(images));
            cachedTargetGrams = new ArrayList<>();
            for (INDArray map : cachedTargetFeatures) {
                cachedTargetGrams.add(grams(map));
            }
            cachedLabels = labels.dup();
            cachedPreOutput = null;
        }
        return new Target(images, cachedTargetFeatures, cachedTargetGrams);
    }

    /** The Gram matrices {@code [N, c, c]} of a batch of maps (empty when the Gram terms are off). */
    private INDArray grams(INDArray map) {
        if (gramWeight == 0) {
            return null;
        }
        long examples = map.size(0);
        long channels = map.size(1);
        long values = map.length() / examples;
        INDArray grams = Nd4j.create(map.dataType(), examples, channels, channels);
        for (int n = 0; n < examples; n++) {
            INDArray flat = map.get(NDArrayIndex.point(n)).reshape('c', channels, values / channels);
            grams.get(NDArrayIndex.point(n)).assign(gram(flat, values));
        }
        return grams;
    }

    private FeatureNetwork network(DataType type) {
        if (network == null || networkType != type) {
            try {
                network = new FeatureNetwork(extractor.build(type), extractor.inputChannels());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot build the feature network of " + extractor, e);
            }
            networkType = type;
            cachedLabels = null;
            cachedPreOutput = null;
            if (network.outputs() != extractor.layerWeights().size()) {
                throw new IllegalStateException(extractor + " has " + extractor.layerWeights().size()
                        + " layer weights but its network has " + network.outputs() + " outputs");
            }
        }
        return network;
    }

    /** {@code [N*H*W, C]} rows (CnnLossLayer's order: example, row, column) to images {@code [N, C, H, W]}. */
    private INDArray toImages(INDArray rows, int examples, int channels) {
        return rows.reshape('c', examples, height, width, channels).permute(0, 3, 1, 2).dup('c');
    }

    /** The inverse of {@link #toImages}. */
    private static INDArray toRows(INDArray images, int channels) {
        return images.permute(0, 2, 3, 1).dup('c').reshape('c', images.length() / channels, channels);
    }

    /** Adds {@code scale * sum over one example's values} of {@code values} {@code [N, ...]} to {@code losses}. */
    private static void addPerExample(double[] losses, INDArray values, double scale) {
        double[] sums = values.reshape('c', values.size(0), values.length() / values.size(0)).sum(1)
                .castTo(DataType.DOUBLE).toDoubleVector();
        for (int n = 0; n < losses.length; n++) {
            losses[n] += scale * sums[n];
        }
    }

    private static boolean sameValues(INDArray a, INDArray b) {
        return a.equalShapes(b) && a.dataType() == b.dataType()
                && Transforms.abs(a.sub(b), false).maxNumber().doubleValue() == 0;
    }

    @Override
    public String name() {
        return toString();
    }

    private void nonNegative(String field, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "." + field + " must be a finite number"
                    + " >= 0 but was " + value);
        }
    }

    private void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "." + field + " must be >= 1 (the"
                    + " output's) but was " + value);
        }
    }

    @Override
    public boolean equals(Object o) {
        FeatureLoss other = LossSupport.sameClass(this, o);
        return other != null && Objects.equals(extractor, other.extractor)
                && Objects.equals(outputNormalization, other.outputNormalization)
                && Double.compare(pixelWeight, other.pixelWeight) == 0
                && Double.compare(gramWeight, other.gramWeight) == 0 && height == other.height && width == other.width;
    }

    @Override
    public int hashCode() {
        return Objects.hash(extractor, outputNormalization, pixelWeight, gramWeight, height, width);
    }

    @Override
    public String toString() {
        return "FeatureLoss(" + extractor + ", pixelWeight=" + pixelWeight + ", gramWeight=" + gramWeight + ", "
                + height + "x" + width + ")";
    }
}
