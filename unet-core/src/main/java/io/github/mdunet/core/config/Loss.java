package io.github.mdunet.core.config;

import io.github.mdunet.core.loss.FeatureExtractor;
import io.github.mdunet.core.naming.StableTypeNames;
import java.util.List;
import org.nd4j.shade.jackson.annotation.JsonSubTypes;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * The training loss. {@link HeadDefault} pairs with the head (cross-entropy for softmax, binary cross-entropy for
 * sigmoid, MSE for regression heads); {@link Dice}, {@link Focal}, {@link CrossEntropyDice}, {@link Tversky} and
 * {@link Lovasz} are segmentation losses for softmax or sigmoid heads, computed per example; {@link L1} and
 * {@link Perceptual} are image-to-image losses for regression heads ({@code Identity}, {@code SigmoidRange},
 * {@code Residual}), means per example so that they compare across image sizes. Class weights: empty for none, else
 * one non-negative weight per output channel.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY,
        property = StableTypeNames.NAME_PROPERTY)
@JsonSubTypes({
        @JsonSubTypes.Type(value = Loss.HeadDefault.class, name = Loss.HEAD_DEFAULT),
        @JsonSubTypes.Type(value = Loss.Dice.class, name = Loss.DICE),
        @JsonSubTypes.Type(value = Loss.Focal.class, name = Loss.FOCAL),
        @JsonSubTypes.Type(value = Loss.CrossEntropyDice.class, name = Loss.CROSS_ENTROPY_DICE),
        @JsonSubTypes.Type(value = Loss.Tversky.class, name = Loss.TVERSKY),
        @JsonSubTypes.Type(value = Loss.Lovasz.class, name = Loss.LOVASZ),
        @JsonSubTypes.Type(value = Loss.L1.class, name = Loss.L1_NAME),
        @JsonSubTypes.Type(value = Loss.Perceptual.class, name = Loss.PERCEPTUAL)
})
public sealed interface Loss {

    /** The JSON type name of {@link HeadDefault}. */
    String HEAD_DEFAULT = "headDefault";
    /** The JSON type name of {@link Dice}. */
    String DICE = "dice";
    /** The JSON type name of {@link Focal}. */
    String FOCAL = "focal";
    /** The JSON type name of {@link CrossEntropyDice}. */
    String CROSS_ENTROPY_DICE = "crossEntropyDice";
    /** The JSON type name of {@link Tversky}. */
    String TVERSKY = "tversky";
    /** The JSON type name of {@link Lovasz}. */
    String LOVASZ = "lovasz";
    /** The JSON type name of {@link L1} (the record takes the plain name). */
    String L1_NAME = "l1";
    /** The JSON type name of {@link Perceptual}. */
    String PERCEPTUAL = "perceptual";

    /** Per-class weights; empty for none (the losses that take no weights). */
    default List<Double> classWeights() {
        return List.of();
    }

    /** The loss that pairs with the head activation. */
    record HeadDefault() implements Loss {
        /** Neither kind: it is whatever loss the head pairs with. */
        @Override
        public boolean comparesImages() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.headDefault(this);
        }
    }

    /** A segmentation loss: compares a softmax or sigmoid head's class scores with the labels, per example. */
    sealed interface Segmentation extends Loss permits Dice, Focal, CrossEntropyDice, Tversky, Lovasz {
        @Override
        default boolean comparesImages() {
            return false;
        }
    }

    /** An image-to-image loss: compares a regression head's output image with the target image, per example. */
    sealed interface ImageToImage extends Loss permits L1, Perceptual {
        @Override
        default boolean comparesImages() {
            return true;
        }
    }

    /** Soft Dice (1 - Dice), averaged over classes with the class weights. */
    record Dice(List<Double> classWeights) implements Segmentation {
        public Dice {
            classWeights = checked("Dice", classWeights);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dice(this);
        }
    }

    /**
     * Focal loss (Lin et al. 2017).
     *
     * @param gamma focusing parameter, >= 0 (0 is cross-entropy; 2 is the paper's choice)
     */
    record Focal(double gamma, List<Double> classWeights) implements Segmentation {
        public Focal {
            requireFiniteNonNegative("Focal.gamma", gamma);
            classWeights = checked("Focal", classWeights);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.focal(this);
        }
    }

    /** {@code crossEntropyWeight * cross-entropy (mean per pixel) + diceWeight * (1 - Dice)}. */
    record CrossEntropyDice(double crossEntropyWeight, double diceWeight, List<Double> classWeights)
            implements Segmentation {
        public CrossEntropyDice {
            if (!(crossEntropyWeight >= 0) || !(diceWeight >= 0) || crossEntropyWeight + diceWeight == 0) {
                throw new IllegalArgumentException("CrossEntropyDice weights must be >= 0 and not both 0 but were "
                        + crossEntropyWeight + " and " + diceWeight);
            }
            classWeights = checked("CrossEntropyDice", classWeights);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.crossEntropyDice(this);
        }
    }

    /**
     * Soft Tversky loss, {@code 1 - (TP + 1) / (TP + alpha*FP + beta*FN + 1)} per class, averaged over classes with
     * the class weights: at alpha = beta = 0.5 it is Dice with smoothing 2 ({@link Dice} has 1); {@code beta > alpha}
     * weighs missed pixels more than false alarms, for small structures.
     *
     * @param alpha the weight of false positives, finite and >= 0 (Salehi et al.: 0.3)
     * @param beta  the weight of false negatives, finite and >= 0, {@code alpha + beta > 0} (Salehi et al.: 0.7)
     */
    record Tversky(double alpha, double beta, List<Double> classWeights) implements Segmentation {
        public Tversky {
            if (!(alpha >= 0) || !(beta >= 0) || !Double.isFinite(alpha) || !Double.isFinite(beta)
                    || alpha + beta == 0) {
                throw new IllegalArgumentException("Tversky.alpha and beta must be finite, >= 0 and not both 0 but"
                        + " were " + alpha + " and " + beta + "; Salehi et al. use alpha 0.3, beta 0.7");
            }
            classWeights = checked("Tversky", classWeights);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.tversky(this);
        }
    }

    /**
     * Lovasz loss (Berman et al. 2018, smp's {@code LovaszLoss}): the convex extension of the Jaccard loss
     * {@code 1 - IoU}, which optimises the IoU itself. For a softmax head Lovasz-Softmax, per class present in the
     * example's labels, exactly {@code 1 - IoU} for a prediction of 0s and 1s; for a sigmoid head the hinge on the
     * logits, per channel; averaged over the classes with the class weights.
     */
    record Lovasz(List<Double> classWeights) implements Segmentation {
        public Lovasz {
            classWeights = checked("Lovasz", classWeights);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.lovasz(this);
        }
    }

    /**
     * Whether this loss compares images (a regression head's output) rather than class scores: an
     * {@link ImageToImage} loss. A new loss joins {@link Segmentation} or {@link ImageToImage}, or says it here.
     */
    boolean comparesImages();

    /**
     * Calls the method of {@code visitor} for this variant: the exhaustive dispatch over losses (Java 17 has no
     * pattern switch). A new variant must implement this, and every visitor must then handle it.
     */
    <R> R accept(Visitor<R> visitor);

    /** One method per loss variant. */
    interface Visitor<R> {
        R headDefault(HeadDefault loss);

        R dice(Dice loss);

        R focal(Focal loss);

        R crossEntropyDice(CrossEntropyDice loss);

        R tversky(Tversky loss);

        R lovasz(Lovasz loss);

        R l1(L1 loss);

        R perceptual(Perceptual loss);
    }

    /** Mean absolute error per example, over channels and pixels (in the output's units). */
    record L1() implements ImageToImage {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.l1(this);
        }
    }

    /**
     * A feature (perceptual) loss as in fastai's super-resolution lesson: per example,
     * {@code pixelWeight * mean|y' - y| + sum_i w_i * mean|f_i(y') - f_i(y)|
     * + gramWeight * sum_i w_i^2 * mean|G(f_i(y')) - G(f_i(y))|}, where {@code f_i} are the feature maps of a frozen
     * network ({@code features}, with its layer weights {@code w_i}) and {@code G(f) = f f^T / (c h w)} their Gram
     * matrices. The frozen network's parameters never change.
     *
     * @param features    the frozen network and its layer weights
     * @param pixelWeight the weight of the pixel L1 term, >= 0 (0: features only; fastai: 1)
     * @param gramWeight  the weight of the Gram (style) terms, >= 0 (0: none; fastai: 5000)
     */
    record Perceptual(FeatureExtractor features, double pixelWeight, double gramWeight) implements ImageToImage {

        /** The saved JSON field of {@link #features()}, which the migrations of older files read. */
        public static final String FEATURES_FIELD = "features";

        public Perceptual {
            if (features == null) {
                throw new IllegalArgumentException("Perceptual.features must be set (e.g. the zoo's Vgg16Features)"
                        + " but was null");
            }
            requireFiniteNonNegative("Perceptual.pixelWeight", pixelWeight);
            requireFiniteNonNegative("Perceptual.gramWeight", gramWeight);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.perceptual(this);
        }
    }

    private static List<Double> checked(String loss, List<Double> weights) {
        List<Double> copy = weights == null ? List.of() : List.copyOf(weights);
        for (int i = 0; i < copy.size(); i++) {
            requireFiniteNonNegative(loss + ".classWeights[" + i + "]", copy.get(i));
        }
        return copy;
    }

    /** Refuses a {@code value} that is negative, infinite or NaN, naming its {@code field} (e.g. "Focal.gamma"). */
    private static void requireFiniteNonNegative(String field, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number >= 0 but was " + value);
        }
    }
}
