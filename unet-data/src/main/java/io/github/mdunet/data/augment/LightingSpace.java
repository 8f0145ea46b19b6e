package io.github.mdunet.data.augment;

/**
 * Where {@link ColorJitter}'s brightness and contrast act on a 0-255 value {@code v}: on the value itself
 * (torchvision's {@code ColorJitter}) or on its logit (fastai's {@code Brightness} and {@code Contrast}).
 * Saturation and hue act on the values in both.
 */
public enum LightingSpace {
    /**
     * Factors on the values: brightness multiplies {@code v} by {@code b}, contrast scales it by {@code c} around the
     * mean grey (after brightness); {@code b} and {@code c} drawn uniformly from {@code [1 - x, 1 + x]}.
     */
    PIXELS,
    /**
     * fastai's lighting: {@code v = 255 * sigmoid((logit(v / 255) + logit(change)) * scale)}, the logit of a value
     * clamped to {@code [1e-7, 1 - 1e-7]}; {@code change} drawn uniformly from {@code [0.5 (1 - x), 0.5 (1 + x)]}
     * (0.5 is none), {@code log(scale)} from {@code [log(1 - x), -log(1 - x)]}. Brightness never clips and contrast
     * pivots at mid grey (127.5), whatever the image's mean.
     */
    LOGITS;

    /** The brightness factor for a jitter of {@code amount} and a uniform draw {@code u} in [0, 1): 1 is none. */
    float brightness(double amount, double u) {
        return switch (this) {
            case PIXELS -> ColorJitter.factor(amount, u);
            case LOGITS -> {
                double change = 0.5 * (1 - amount) + amount * u;
                yield (float) (change / (1 - change)); // the odds factor: logit(change) added to a value's logit
            }
        };
    }

    /** The contrast factor for a jitter of {@code amount} and a uniform draw {@code u} in [0, 1): 1 is none. */
    float contrast(double amount, double u) {
        return switch (this) {
            case PIXELS -> ColorJitter.factor(amount, u);
            case LOGITS -> (float) Math.exp(Math.log(1 - amount) * (1 - 2 * u));
        };
    }

    /** Whether contrast pivots around the image's mean grey (which then has to be measured). */
    boolean pivotsAtMeanGrey() {
        return switch (this) {
            case PIXELS -> true;
            case LOGITS -> false;
        };
    }
}
