package io.github.mdunet.data.synthetic;

import io.github.mdunet.core.checks.Checks;

/**
 * What {@link TexturedScenes} generates: the seed, the image size and how many images each subset gets.
 *
 * @param seed          the one seed every pixel follows from; the held-out subset draws from its own stream of it
 * @param width         image width in pixels, >= {@value #MIN_SIDE}; a U-Net of depth d wants a multiple of 2^d
 * @param height        image height in pixels, >= {@value #MIN_SIDE}
 * @param trainImages   images in {@code train/}, >= 1
 * @param heldoutImages images in {@code heldout/}, >= 0 (0 writes no held-out folder)
 */
public record TexturedScenesConfig(long seed, int width, int height, int trainImages, int heldoutImages) {

    /** The smallest side: the smallest objects (8% of the longer side) still cover a few pixels. */
    public static final int MIN_SIDE = 32;
    /** Default seed. */
    public static final long DEFAULT_SEED = 1;
    /** Default width, a multiple of 16. */
    public static final int DEFAULT_WIDTH = 128;
    /** Default height, a multiple of 16. */
    public static final int DEFAULT_HEIGHT = 96;
    /** Default number of training images. */
    public static final int DEFAULT_TRAIN_IMAGES = 160;
    /** Default number of held-out images. */
    public static final int DEFAULT_HELDOUT_IMAGES = 48;

    public TexturedScenesConfig {
        if (width < MIN_SIDE || height < MIN_SIDE) {
            throw new IllegalArgumentException("TexturedScenesConfig.width and height must be >= " + MIN_SIDE
                    + " but were width=" + width + ", height=" + height + "; the defaults are " + DEFAULT_WIDTH
                    + " x " + DEFAULT_HEIGHT);
        }
        Checks.atLeast("TexturedScenesConfig.trainImages", trainImages, 1);
        Checks.atLeast("TexturedScenesConfig.heldoutImages", heldoutImages, 0);
    }

    /** 160 training and 48 held-out images of 128 x 96 from seed 1. */
    public static TexturedScenesConfig defaults() {
        return new TexturedScenesConfig(DEFAULT_SEED, DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_TRAIN_IMAGES,
                DEFAULT_HELDOUT_IMAGES);
    }

    public TexturedScenesConfig withSeed(long value) {
        return new TexturedScenesConfig(value, width, height, trainImages, heldoutImages);
    }

    public TexturedScenesConfig withSize(int newWidth, int newHeight) {
        return new TexturedScenesConfig(seed, newWidth, newHeight, trainImages, heldoutImages);
    }

    public TexturedScenesConfig withImages(int train, int heldout) {
        return new TexturedScenesConfig(seed, width, height, train, heldout);
    }
}
