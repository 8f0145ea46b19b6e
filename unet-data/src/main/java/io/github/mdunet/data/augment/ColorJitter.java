package io.github.mdunet.data.augment;

import java.io.Serializable;

/**
 * Random colour changes on 0-255 values before normalisation, clamped to 0-255; each factor is drawn uniformly from
 * {@code [1 - x, 1 + x]} once per sample, the hue shift from {@code [-hue, hue]} (torchvision's
 * {@code ColorJitter}), or brightness and contrast as fastai draws and applies them ({@link LightingSpace#LOGITS}).
 * Segmentation: applied to the image, never to the mask. Image-to-image: applied to the input and the target with the
 * same factors and the same contrast pivot (the input's mean grey), so both go through one brightness and contrast
 * map; saturation and hue only when input and target have the same channel count
 * (colourisation, 1 channel in and 3 out, gets neither: the grey input could not show them).
 *
 * @param brightness multiplies every channel ({@link LightingSpace#PIXELS}), or shifts the logits of the values by
 *                   the logit of a change drawn from {@code [0.5 (1 - x), 0.5 (1 + x)]} ({@link LightingSpace#LOGITS});
 *                   0 for none
 * @param contrast   scales around the mean grey (the mean ITU-R 601 luma of an RGB image; {@code PIXELS}), or scales
 *                   the logits by a factor whose log is drawn from {@code [log(1 - x), -log(1 - x)]} ({@code LOGITS});
 *                   0 for none
 * @param saturation blends with each pixel's grey (0 gives grey, above 1 more colourful; RGB only); 0 for none
 * @param hue        turns each pixel's hue (HSV, as torchvision's {@code adjust_hue}) by a shift drawn from
 *                   {@code [-hue, hue]} of a full turn, in {@code [0, 0.5]}; RGB only; 0 for none
 * @param space      where brightness and contrast act: on the values ({@link LightingSpace#PIXELS}, the factors
 *                   above, torchvision's) or on their logits ({@link LightingSpace#LOGITS}, fastai's)
 */
public record ColorJitter(double brightness, double contrast, double saturation, double hue, LightingSpace space)
        implements Serializable {

    /** No colour change. */
    public static final ColorJitter NONE = new ColorJitter(0, 0, 0, 0, LightingSpace.PIXELS);

    /** The largest {@link #hue}: half a turn either way reaches every hue. */
    public static final double MAX_HUE = 0.5;

    public ColorJitter {
        checkAmount("ColorJitter.brightness", brightness);
        checkAmount("ColorJitter.contrast", contrast);
        checkAmount("ColorJitter.saturation", saturation);
        checkHue("ColorJitter.hue", hue);
        if (space == null) {
            throw new IllegalArgumentException("ColorJitter.space must be PIXELS or LOGITS but was null");
        }
    }

    /** torchvision's jitter: brightness and contrast as factors on the values ({@link LightingSpace#PIXELS}). */
    public ColorJitter(double brightness, double contrast, double saturation, double hue) {
        this(brightness, contrast, saturation, hue, LightingSpace.PIXELS);
    }

    /** Brightness, contrast and saturation, no hue shift (torchvision's default hue 0). */
    public ColorJitter(double brightness, double contrast, double saturation) {
        this(brightness, contrast, saturation, 0);
    }

    /**
     * fastai's {@code Brightness} and {@code Contrast} of {@code max_lighting} (0.2 in its {@code aug_transforms}):
     * both {@code maxLighting}, on the logits ({@link LightingSpace#LOGITS}), no saturation or hue.
     */
    public static ColorJitter fastai(double maxLighting) {
        return new ColorJitter(maxLighting, maxLighting, 0, 0, LightingSpace.LOGITS);
    }

    /** This jitter with brightness and contrast acting in {@code value}. */
    public ColorJitter withSpace(LightingSpace value) {
        return new ColorJitter(brightness, contrast, saturation, hue, value);
    }

    /** Whether this changes anything. */
    public boolean isNone() {
        return brightness == 0 && contrast == 0 && saturation == 0 && hue == 0;
    }

    /**
     * The record's form without the settings added later while they are off (hue 0, {@link LightingSpace#PIXELS}):
     * {@code ColorJitter[brightness=0.2, contrast=0.2, saturation=0.2]} as before them. It is part of a training
     * run's data identity ({@link AugmentConfig#toString()}), which a resume compares.
     */
    @Override
    public String toString() {
        return "ColorJitter[brightness=" + brightness + ", contrast=" + contrast + ", saturation=" + saturation
                + (hue != 0 ? ", hue=" + hue : "") + (space != LightingSpace.PIXELS ? ", space=" + space : "") + "]";
    }

    /** A factor drawn uniformly from {@code [1 - amount, 1 + amount]} by a uniform draw {@code u} in [0, 1). */
    static float factor(double amount, double u) {
        return (float) (1 - amount + 2 * amount * u);
    }

    /** Refuses a brightness, contrast or saturation amount outside [0, 1), naming it as {@code setting}. */
    public static void checkAmount(String setting, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(setting + " must be in [0, 1) but was " + value);
        }
    }

    /** Refuses a hue shift outside [0, {@link #MAX_HUE}], naming it as {@code setting}. */
    public static void checkHue(String setting, double hue) {
        if (!(hue >= 0 && hue <= MAX_HUE)) {
            throw new IllegalArgumentException(setting + " must be in [0, 0.5] (a share of the colour wheel, as"
                    + " torchvision's) but was " + hue);
        }
    }
}
