package io.github.mdunet.examples.evaluate;

import io.github.mdunet.core.predict.MaskImages;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Image | true classes over it | predicted classes over it, side by side; small images drawn larger, large ones
 * smaller.
 */
public final class OverlayStrip {

    /**
     * Images whose larger side fits in this at least twice are drawn larger by a whole factor (nearest neighbour, so
     * each pixel stays a crisp square), so that a person can see them: a 64-px image at 3x, a 100-px one as it is.
     */
    private static final int MIN_SIDE = 192;
    /** A longer side is drawn at this many pixels: a report holds eight strips of photographs of any size. */
    private static final int MAX_SIDE = 1024;
    private static final double OPACITY = 0.55;

    /**
     * A strip and what it shows.
     *
     * @param name  the sample's name (its file stem)
     * @param image the strip
     */
    public record Picture(String name, BufferedImage image) {
    }

    private OverlayStrip() {
    }

    /** The strip of {@code picture} with its {@code [H][W]} true and predicted class ids. */
    public static BufferedImage of(BufferedImage picture, int[][] truth, int[][] predicted) {
        int longest = Math.max(picture.getWidth(), picture.getHeight());
        double scale = longest > MAX_SIDE ? (double) MAX_SIDE / longest : Math.max(1, MIN_SIDE / longest);
        int width = Math.max(1, (int) Math.round(picture.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(picture.getHeight() * scale));
        BufferedImage strip = new BufferedImage(width * 3, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = strip.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        graphics.drawImage(picture, 0, 0, width, height, null);
        graphics.drawImage(MaskImages.overlay(picture, truth, OPACITY), width, 0, width, height, null);
        graphics.drawImage(MaskImages.overlay(picture, predicted, OPACITY), 2 * width, 0, width, height, null);
        graphics.dispose();
        return strip;
    }
}
