package io.github.mdunet.data.augment;

/**
 * Named augmentations for the command line, from none to {@link AugmentConfig#standard()}; each is an
 * {@link AugmentConfig} whose parameters can still be changed with its {@code with...} methods.
 */
public enum AugmentPreset {
    /** Nothing random: the image is only resized to the output size. */
    NONE,
    /** Left-right and top-bottom flips, each with probability 1/2; the image resized to the output size. */
    FLIPS,
    /**
     * Flips and turns by a random multiple of 90 degrees, then a random crop at scale 1 (a source smaller than the
     * output is scaled up just enough to cover it).
     */
    FLIPS_TURNS,
    /**
     * Flips and a random zoom of 0.75 to 1.25 (below 1 zooms out) with a random crop: the zoom is relative to the image
     * (to the scale that covers the output, for an image smaller than it on a side), and where the zoomed-out image is
     * smaller than the output, the rest of the window shows it mirrored at its edges, in the image and mask alike.
     */
    FLIPS_ZOOM,
    /** {@link AugmentConfig#standard()}: flips, turns, zoom and crop, colour jitter. */
    STANDARD,
    /**
     * fastai's {@code aug_transforms()} defaults as this augmenter has them: left-right flips, a rotation of up to 10
     * degrees, a zoom of 1 to 1.1 with a random crop, a perspective warp of 0.2, each of the three applied to a sample
     * with chance 0.75 ({@code p_affine}), brightness and contrast 0.2 on the logits as fastai's
     * ({@link ColorJitter#fastai}), each with chance 0.75 ({@code p_lighting}); no top-bottom flip or 90-degree
     * turns. Two differences: validation sees the zoom's mean, 1.0375 (fastai none); and the zoom and crop act on the
     * image at its own resolution, where fastai first resizes every item (its {@code item_tfms}) and zooms that. A
     * 500 x 375 photograph trained at 128 x 128 here gives 128-pixel crops at about its own scale, and validation and
     * prediction see it at that scale too; resize the images beforehand, or zoom out ({@code withScale}), to train on
     * whole scenes as fastai's usual recipe does.
     */
    FASTAI;

    /** The augmentation this preset names. */
    public AugmentConfig config() {
        return switch (this) {
            case NONE -> AugmentConfig.NONE;
            case FLIPS -> new AugmentConfig(true, true, false, 0, ElasticDeformation.NONE, PerspectiveWarp.NONE,
                    Framing.RESIZE, 1, 1, ColorJitter.NONE, Interpolation.BILINEAR);
            case FLIPS_TURNS -> new AugmentConfig(true, true, true, 0, ElasticDeformation.NONE, PerspectiveWarp.NONE,
                    Framing.RANDOM_CROP, 1, 1, ColorJitter.NONE, Interpolation.BILINEAR);
            case FLIPS_ZOOM -> new AugmentConfig(true, true, false, 0, ElasticDeformation.NONE, PerspectiveWarp.NONE,
                    Framing.RANDOM_CROP, 0.75, 1.25, ColorJitter.NONE, Interpolation.BILINEAR);
            case STANDARD -> AugmentConfig.standard();
            case FASTAI -> new AugmentConfig(true, false, false, 10, ElasticDeformation.NONE, new PerspectiveWarp(0.2),
                    Framing.RANDOM_CROP, 1, 1.1, ColorJitter.fastai(0.2), Interpolation.BILINEAR,
                    AugmentConfig.FASTAI_PROBABILITY, AugmentConfig.FASTAI_PROBABILITY);
        };
    }
}
