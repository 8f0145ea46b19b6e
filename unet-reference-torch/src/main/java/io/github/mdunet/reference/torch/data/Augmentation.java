package io.github.mdunet.reference.torch.data;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Training augmentation, by its command-line name.
 * <ul>
 *   <li>{@code none}.</li>
 *   <li>{@code flips}: horizontal flip with p = 0.5, then vertical flip with p = 0.5, image and mask alike.</li>
 *   <li>{@code flips-zoom}: the flips, then a scale s drawn uniformly from [0.75, 1.25] and clamped to at least 1
 *       (so half the samples are not zoomed and none is zoomed out, which would need a fill value and an ignored
 *       label); for s &gt; 1 a random window of (H / s, W / s) is resized back to (H, W), the image bilinearly
 *       (half-pixel centres, as align_corners=False), the mask by nearest neighbour.</li>
 * </ul>
 */
public enum Augmentation {
    NONE("none"),
    FLIPS("flips"),
    FLIPS_ZOOM("flips-zoom");

    /** The zoom range drawn from before clamping. */
    public static final double MIN_SCALE = 0.75;
    public static final double MAX_SCALE = 1.25;

    private final String cliName;

    Augmentation(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Augmentation fromCli(String name) {
        for (Augmentation value : values()) {
            if (value.cliName.equals(name)) {
                return value;
            }
        }
        throw new IllegalArgumentException("augment '" + name + "' is not one of "
                + Arrays.stream(values()).map(Augmentation::cliName).collect(Collectors.joining(", ")));
    }
}
