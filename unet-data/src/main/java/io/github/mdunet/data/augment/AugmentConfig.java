package io.github.mdunet.data.augment;

import io.github.mdunet.core.model.TrainingRecord;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.predict.Mirror;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;

/**
 * The joint augmentation of one sample, drawn once and applied to the image and its mask (or target) alike.
 * Geometry: rotation by a random multiple of 90 degrees, horizontal and vertical flips, framing to the output size
 * ({@link Framing}), then a free rotation of the output window about its centre ({@code maxRotation}), an elastic
 * deformation ({@code elastic}) and a perspective warp of it ({@code perspective}); masks are always resampled
 * nearest-neighbour so no class id is invented.
 *
 * @param horizontalFlip     flip left-right with probability 1/2
 * @param verticalFlip       flip top-bottom with probability 1/2
 * @param rotate90           rotate by 0, 90, 180 or 270 degrees, each with probability 1/4
 * @param maxRotation        rotate the output window by an angle drawn uniformly from {@code [-maxRotation,
 *                           maxRotation]} degrees about its centre (fastai's {@code max_rotate}, 10 in its
 *                           {@code aug_transforms}); the corners it uncovers show the image mirrored at its edges, in
 *                           the image and mask alike, as fastai's reflection padding. 0 to 180; 0 for none
 * @param elastic            a smooth random displacement of the output pixels ({@link ElasticDeformation}, MONAI's
 *                           {@code Rand2DElastic}); {@link ElasticDeformation#NONE} for none
 * @param perspective        a random perspective warp of the output window ({@link PerspectiveWarp}, fastai's
 *                           {@code max_warp}); {@link PerspectiveWarp#NONE} for none
 * @param framing            how the (rotated) source becomes the output size
 * @param minScale           smallest random scale for {@link Framing#RANDOM_CROP}; the scale of
 *                           {@link Framing#CENTER_CROP}. Relative to the source, or, for a source smaller than the
 *                           output on a side, to the scale that just covers the output; below 1 zooms out (the window's
 *                           part past the scaled source shows it mirrored at its edges)
 * @param maxScale           largest random scale for {@link Framing#RANDOM_CROP}, relative as {@code minScale}
 * @param jitter             colour jitter: on the image, not the mask; on input and target alike for image-to-image
 *                           ({@link ColorJitter})
 * @param imageInterpolation how image pixels are sampled ({@link Interpolation#BILINEAR} is smoother when scaling and
 *                           antialiased when shrinking)
 * @param affineProbability  the chance that each of the rotation, the random zoom, the perspective warp and the elastic
 *                           deformation is applied to a sample, drawn for each on its own (fastai's {@code p_affine},
 *                           0.75 in its {@code aug_transforms}); a zoom not applied leaves the scale at 1. 0 to 1; 1
 *                           applies each to every sample. Flips and turns have their own chances (1/2, 1/4)
 * @param lightingProbability the chance that each of the brightness, contrast, saturation and hue changes of
 *                           {@code jitter} is applied to a sample, drawn for each on its own (fastai's
 *                           {@code p_lighting}, 0.75 in its {@code aug_transforms}). 0 to 1; 1 applies each to every
 *                           sample
 */
public record AugmentConfig(boolean horizontalFlip, boolean verticalFlip, boolean rotate90, double maxRotation,
                            ElasticDeformation elastic, PerspectiveWarp perspective, Framing framing,
                            double minScale, double maxScale, ColorJitter jitter, Interpolation imageInterpolation,
                            double affineProbability, double lightingProbability)
        implements Serializable {

    /** No augmentation: resize to the output size if needed. For validation and test sets. */
    public static final AugmentConfig NONE =
            new AugmentConfig(false, false, false, 0, ElasticDeformation.NONE, PerspectiveWarp.NONE, Framing.RESIZE, 1,
                    1, ColorJitter.NONE, Interpolation.BILINEAR);

    /** fastai's {@code p_affine} and {@code p_lighting} in its {@code aug_transforms}. */
    public static final double FASTAI_PROBABILITY = 0.75;

    /** The largest {@link #maxRotation}: a half turn either way covers every angle. */
    public static final double MAX_ROTATION = 180;

    public AugmentConfig {
        checkRotation("AugmentConfig.maxRotation", maxRotation);
        if (elastic == null) {
            throw new IllegalArgumentException("AugmentConfig.elastic must be set (ElasticDeformation.NONE for none)");
        }
        if (perspective == null) {
            throw new IllegalArgumentException("AugmentConfig.perspective must be set (PerspectiveWarp.NONE for none)");
        }
        if (framing == null) {
            throw new IllegalArgumentException("AugmentConfig.framing must be RESIZE, CENTER_CROP or RANDOM_CROP"
                    + " but was null");
        }
        checkScales("AugmentConfig", "minScale", "maxScale", minScale, maxScale);
        if (jitter == null) {
            throw new IllegalArgumentException("AugmentConfig.jitter must be set (ColorJitter.NONE for none)");
        }
        if (imageInterpolation == null) {
            throw new IllegalArgumentException("AugmentConfig.imageInterpolation must be NEAREST or BILINEAR"
                    + " but was null");
        }
        checkProbability("AugmentConfig.affineProbability", affineProbability);
        checkProbability("AugmentConfig.lightingProbability", lightingProbability);
    }

    /** An augmentation that applies each of its transforms to every sample (both probabilities 1). */
    public AugmentConfig(boolean horizontalFlip, boolean verticalFlip, boolean rotate90, double maxRotation,
                         ElasticDeformation elastic, PerspectiveWarp perspective, Framing framing, double minScale,
                         double maxScale, ColorJitter jitter, Interpolation imageInterpolation) {
        this(horizontalFlip, verticalFlip, rotate90, maxRotation, elastic, perspective, framing, minScale, maxScale,
                jitter, imageInterpolation, 1, 1);
    }

    /** Refuses a rotation outside [0, {@link #MAX_ROTATION}] degrees, naming it as {@code setting}. */
    public static void checkRotation(String setting, double degrees) {
        if (!(degrees >= 0 && degrees <= MAX_ROTATION)) {
            throw new IllegalArgumentException(setting + " must be in [0, " + (int) MAX_ROTATION + "] degrees but was "
                    + degrees + " (fastai's aug_transforms rotate by up to 10)");
        }
    }

    /** Refuses a chance outside [0, 1], naming it as {@code setting}. */
    public static void checkProbability(String setting, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(setting + " must be in [0, 1] but was " + value
                    + " (1 applies the transforms to every sample; fastai's aug_transforms use 0.75)");
        }
    }

    /**
     * Refuses a zoom range unless {@code 0 < min <= max}, both finite, naming {@code owner}'s settings {@code minName}
     * and {@code maxName}.
     */
    public static void checkScales(String owner, String minName, String maxName, double min, double max) {
        if (!(min > 0) || !(max >= min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException(owner + " needs 0 < " + minName + " <= " + maxName + " but was "
                    + minName + "=" + min + ", " + maxName + "=" + max);
        }
    }

    /**
     * The record's form without the settings added after the first releases while they are off (no free rotation,
     * elastic deformation or perspective warp, both chances 1), so that it reads as it did before them: it is part of
     * a training run's data identity ({@code PairedDataSetIterator.dataIdentity}), which {@code --resume} compares,
     * and a run of a configuration that uses none of them resumes across the upgrade. A new setting follows the same
     * rule.
     */
    @Override
    public String toString() {
        return "AugmentConfig[horizontalFlip=" + horizontalFlip + ", verticalFlip=" + verticalFlip + ", rotate90="
                + rotate90 + (maxRotation != 0 ? ", maxRotation=" + maxRotation : "")
                + (elastic.isNone() ? "" : ", elastic=" + elastic)
                + (perspective.isNone() ? "" : ", perspective=" + perspective) + ", framing=" + framing
                + ", minScale=" + minScale + ", maxScale=" + maxScale + ", jitter=" + jitter + ", imageInterpolation="
                + imageInterpolation + (affineProbability != 1 ? ", affineProbability=" + affineProbability : "")
                + (lightingProbability != 1 ? ", lightingProbability=" + lightingProbability : "") + "]";
    }

    /**
     * A sensible default for segmentation: both flips, 90-degree turns, random scale 0.75-1.25 (mean 1: below 1 zooms
     * out, the window's rest reflected) with a random crop, mild colour jitter (0.2 brightness, 0.2 contrast, 0.2
     * saturation), bilinear images.
     */
    public static AugmentConfig standard() {
        return new AugmentConfig(true, true, true, 0, ElasticDeformation.NONE, PerspectiveWarp.NONE,
                Framing.RANDOM_CROP, 0.75, 1.25, new ColorJitter(0.2, 0.2, 0.2), Interpolation.BILINEAR);
    }

    /** Flips, turns and random crops at scale 1 only: exact pixels, e.g. for super-resolution. */
    public static AugmentConfig flipsAndCrops() {
        return new AugmentConfig(true, true, true, 0, ElasticDeformation.NONE, PerspectiveWarp.NONE,
                Framing.RANDOM_CROP, 1, 1, ColorJitter.NONE, Interpolation.NEAREST);
    }

    public AugmentConfig withJitter(ColorJitter value) {
        return new AugmentConfig(horizontalFlip, verticalFlip, rotate90, maxRotation, elastic, perspective, framing,
                minScale, maxScale, value, imageInterpolation, affineProbability,
                lightingProbability);
    }

    public AugmentConfig withScale(double min, double max) {
        return new AugmentConfig(horizontalFlip, verticalFlip, rotate90, maxRotation, elastic, perspective, framing,
                min, max, jitter, imageInterpolation, affineProbability, lightingProbability);
    }

    public AugmentConfig withImageInterpolation(Interpolation value) {
        return new AugmentConfig(horizontalFlip, verticalFlip, rotate90, maxRotation, elastic, perspective, framing,
                minScale, maxScale, jitter, value, affineProbability, lightingProbability);
    }

    /** This augmentation with a free rotation of up to {@code degrees} either way ({@link #maxRotation}). */
    public AugmentConfig withRotation(double degrees) {
        return new AugmentConfig(horizontalFlip, verticalFlip, rotate90, degrees, elastic, perspective, framing,
                minScale, maxScale, jitter, imageInterpolation, affineProbability, lightingProbability);
    }

    /** This augmentation with the perspective warp {@code value} ({@link PerspectiveWarp#NONE} for none). */
    public AugmentConfig withPerspective(PerspectiveWarp value) {
        return new AugmentConfig(horizontalFlip, verticalFlip, rotate90, maxRotation, elastic, value, framing, minScale,
                maxScale, jitter, imageInterpolation, affineProbability, lightingProbability);
    }

    /** This augmentation with the elastic deformation {@code value} ({@link ElasticDeformation#NONE} for none). */
    public AugmentConfig withElastic(ElasticDeformation value) {
        return new AugmentConfig(horizontalFlip, verticalFlip, rotate90, maxRotation, value, perspective, framing,
                minScale, maxScale, jitter, imageInterpolation, affineProbability, lightingProbability);
    }

    public AugmentConfig withFraming(Framing value) {
        return new AugmentConfig(horizontalFlip, verticalFlip, rotate90, maxRotation, elastic, perspective, value,
                minScale, maxScale, jitter, imageInterpolation, affineProbability, lightingProbability);
    }

    /**
     * This augmentation with the chances {@code affine} ({@link #affineProbability}) and {@code lighting}
     * ({@link #lightingProbability}) of applying each transform to a sample.
     */
    public AugmentConfig withProbabilities(double affine, double lighting) {
        return new AugmentConfig(horizontalFlip, verticalFlip, rotate90, maxRotation, elastic, perspective, framing,
                minScale, maxScale, jitter, imageInterpolation, affine, lighting);
    }

    /**
     * The framing of validation batches for a model trained with this augmentation: nothing random (no flips, turns,
     * rotation, deformation, warp or jitter) and the source seen at the scale training sees on average.
     * {@link Framing#RESIZE} stays a stretch of the whole image and {@link Framing#CENTER_CROP} the same centre crop at
     * {@code minScale}; {@link Framing#RANDOM_CROP} becomes a centre crop at the middle of
     * {@code [minScale, maxScale]} (scale 1 for {@link #standard()}; with an {@link #affineProbability} p below 1, the
     * zoom's mean {@code p * middle + (1 - p) * 1}), so validation scores the scale the model learnt
     * rather than the whole image squeezed into the input. Scales are relative as in training (to the scale that
     * covers the output for a source smaller than it on a side), so the mean of the scales
     * {@link JointAugmenter#draw} draws is the validation scale.
     */
    public AugmentConfig forValidation() {
        double scale = validationScale();
        return new AugmentConfig(false, false, false, 0, ElasticDeformation.NONE, PerspectiveWarp.NONE,
                framing == Framing.RESIZE ? Framing.RESIZE : Framing.CENTER_CROP, scale, scale, ColorJitter.NONE,
                imageInterpolation);
    }

    /** The scale {@link #forValidation()} crops at: the mean scale of the training crops; 1 for a stretch. */
    private double validationScale() {
        return switch (framing) {
            case RESIZE -> 1;
            case CENTER_CROP -> minScale;
            case RANDOM_CROP -> maxScale > minScale
                    ? affineProbability * (minScale + maxScale) / 2 + (1 - affineProbability)
                    : minScale;
        };
    }

    /**
     * What a model trained with this augmentation records so that prediction sees whole images as validation did:
     * the {@link #predictionFraming()}, for crops their validation scale (prediction tiles images resampled by it),
     * and the {@link #mirrors()} (test-time augmentation averages over those).
     */
    public TrainingRecord trainingRecord() {
        TrainingRecord record = TrainingRecord.NONE.withFraming(predictionFraming()).withMirrors(mirrors());
        return framing == Framing.RESIZE ? record : record.withScale(validationScale());
    }

    /**
     * The mirror images the flips and quarter turns show a model: left-right with the horizontal flip (or the
     * vertical flip and a half turn), top-bottom with the vertical flip (or the horizontal one and a half turn), both
     * (a half turn) with both flips or the quarter turns; none without flips or turns.
     */
    public Set<Mirror> mirrors() {
        Set<Mirror> mirrors = EnumSet.noneOf(Mirror.class);
        if (horizontalFlip || verticalFlip && rotate90) {
            mirrors.add(Mirror.LEFT_RIGHT);
        }
        if (verticalFlip || horizontalFlip && rotate90) {
            mirrors.add(Mirror.TOP_BOTTOM);
        }
        if (horizontalFlip && verticalFlip || rotate90) {
            mirrors.add(Mirror.BOTH);
        }
        return mirrors;
    }

    /**
     * How a model trained with this augmentation should see whole images of another size: stretched to its input
     * and back after a stretch ({@link Framing#RESIZE}), in tiles at the image's own scale after crops.
     */
    public ImageFraming predictionFraming() {
        return switch (framing) {
            case RESIZE -> ImageFraming.RESIZE;
            case CENTER_CROP, RANDOM_CROP -> ImageFraming.TILES;
        };
    }

    /** Whether any random draw is involved (a transform with probability 0 is none). */
    public boolean isRandom() {
        boolean affine = affineProbability > 0 && (maxRotation > 0 || !elastic.isNone() || !perspective.isNone());
        return horizontalFlip || verticalFlip || rotate90 || affine || framing == Framing.RANDOM_CROP
                || lightingProbability > 0 && !jitter.isNone();
    }
}
