package io.github.mdunet.data.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JointAugmenterTest {

    private static final int[] PALETTE = {0x202020, 0xE01010, 0x10E010, 0x1010E0};
    private static final int HEIGHT = 17;
    private static final int WIDTH = 23;

    /** A blocky 4-colour RGB image (planar floats) whose mask is derived from its colours. */
    private static float[] blockyImage(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int plane = HEIGHT * WIDTH;
        float[] pixels = new float[3 * plane];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int colour = PALETTE[(x / 3 + y / 2 * 5 + random.nextInt(2)) % 4];
                int i = y * WIDTH + x;
                pixels[i] = (colour >> 16) & 0xFF;
                pixels[plane + i] = (colour >> 8) & 0xFF;
                pixels[2 * plane + i] = colour & 0xFF;
            }
        }
        return pixels;
    }

    /** The class of each pixel: the palette colour nearest to it. */
    private static int[] maskOf(float[] pixels, int plane) {
        int[] ids = new int[plane];
        for (int i = 0; i < plane; i++) {
            double best = Double.MAX_VALUE;
            for (int k = 0; k < PALETTE.length; k++) {
                double dr = pixels[i] - ((PALETTE[k] >> 16) & 0xFF);
                double dg = pixels[plane + i] - ((PALETTE[k] >> 8) & 0xFF);
                double db = pixels[2 * plane + i] - (PALETTE[k] & 0xFF);
                double d = dr * dr + dg * dg + db * db;
                if (d < best) {
                    best = d;
                    ids[i] = k;
                }
            }
        }
        return ids;
    }

    /**
     * Draw {@code seed} of {@code augmenter} for an {@code outHeight x outWidth} output, once it is checked to move the
     * blocky image of that seed and its mask alike: the resampled mask is the one the resampled image shows (both
     * nearest-neighbour).
     */
    private static JointAugmenter.Draw alignedDraw(JointAugmenter augmenter, int seed, int outHeight, int outWidth) {
        float[] image = blockyImage(seed);
        int[] mask = maskOf(image, HEIGHT * WIDTH);
        JointAugmenter.Draw d = augmenter.draw(new SplittableRandom(seed), HEIGHT, WIDTH, outHeight, outWidth);
        float[] outImage = JointAugmenter.resampleImage(image, 3, HEIGHT, WIDTH, d.geometry(), outHeight, outWidth,
                Interpolation.NEAREST);
        assertThat(JointAugmenter.resampleMask(mask, HEIGHT, WIDTH, d.geometry(), outHeight, outWidth))
                .as("draw %d: %s", seed, d).containsExactly(maskOf(outImage, outHeight * outWidth));
        return d;
    }

    @Test
    void imageAndMaskGeometryAgreePixelExactlyOverManyDraws() {
        AugmentConfig config = new AugmentConfig(true, true, true, 0, ElasticDeformation.NONE, PerspectiveWarp.NONE,
                Framing.RANDOM_CROP, 0.6, 1.8, new ColorJitter(0.3, 0.3, 0.3), Interpolation.NEAREST);
        JointAugmenter augmenter = new JointAugmenter(config);
        int outHeight = 12;
        int outWidth = 16;
        Set<String> seen = new HashSet<>();
        for (int draw = 0; draw < 400; draw++) {
            JointAugmenter.Draw d = alignedDraw(augmenter, draw, outHeight, outWidth);
            seen.add(d.quarterTurns() + "/" + d.flipH() + "/" + d.flipV());
        }
        assertThat(seen).as("all 16 turn/flip combinations drawn").hasSize(16);
    }

    @Test
    void bilinearImagesNeverMoveTheMaskAndMasksNeverGetNewIds() {
        AugmentConfig config = AugmentConfig.standard();
        JointAugmenter augmenter = new JointAugmenter(config);
        long agree = 0;
        long total = 0;
        for (int draw = 0; draw < 200; draw++) {
            float[] image = blockyImage(draw);
            int[] mask = maskOf(image, HEIGHT * WIDTH);
            JointAugmenter.Draw d = augmenter.draw(new SplittableRandom(draw), HEIGHT, WIDTH, 16, 16);
            float[] outImage = JointAugmenter.resampleImage(image, 3, HEIGHT, WIDTH, d.geometry(), 16, 16,
                    Interpolation.BILINEAR);
            int[] outMask = JointAugmenter.resampleMask(mask, HEIGHT, WIDTH, d.geometry(), 16, 16);
            int[] derived = maskOf(outImage, 256);
            for (int i = 0; i < 256; i++) {
                assertThat(outMask[i]).isBetween(0, 3);
                agree += outMask[i] == derived[i] ? 1 : 0;
            }
            total += 256;
        }
        // Bilinear blends colours only along region edges (wider where zooming out filters); the geometry is shared.
        assertThat(agree / (double) total).isGreaterThan(0.8);
    }

    @Test
    void turnsAreClockwiseAndFlipsMirror() {
        int n = 5;
        int[] ids = IntStream.range(0, n * n).toArray();
        JointAugmenter augmenter = new JointAugmenter(new AugmentConfig(true, true, true, 0, ElasticDeformation.NONE,
                PerspectiveWarp.NONE, Framing.RESIZE, 1, 1, ColorJitter.NONE, Interpolation.NEAREST));
        Set<String> checked = new HashSet<>();
        for (int seed = 0; checked.size() < 16; seed++) {
            JointAugmenter.Draw d = augmenter.draw(new SplittableRandom(seed), n, n, n, n);
            int[] out = JointAugmenter.resampleMask(ids, n, n, d.geometry(), n, n);
            int[] expected = ids.clone();
            for (int t = 0; t < d.quarterTurns(); t++) {
                int[] turned = new int[n * n];
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        turned[y * n + x] = expected[(n - 1 - x) * n + y]; // clockwise
                    }
                }
                expected = turned;
            }
            int[] flipped = new int[n * n];
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    int sx = d.flipH() ? n - 1 - x : x;
                    int sy = d.flipV() ? n - 1 - y : y;
                    flipped[y * n + x] = expected[sy * n + sx];
                }
            }
            assertThat(out).as("%s", d).containsExactly(flipped);
            checked.add(d.quarterTurns() + "/" + d.flipH() + "/" + d.flipV());
        }
    }

    @Test
    void randomCropAtScaleOneIsAnExactWindow() {
        int[] ids = IntStream.range(0, HEIGHT * WIDTH).toArray();
        JointAugmenter augmenter = new JointAugmenter(new AugmentConfig(false, false, false, 0, ElasticDeformation.NONE,
                PerspectiveWarp.NONE, Framing.RANDOM_CROP, 1, 1, ColorJitter.NONE, Interpolation.NEAREST));
        Set<Integer> corners = new HashSet<>();
        for (int seed = 0; seed < 50; seed++) {
            JointAugmenter.Draw d = augmenter.draw(new SplittableRandom(seed), HEIGHT, WIDTH, 8, 8);
            int[] out = JointAugmenter.resampleMask(ids, HEIGHT, WIDTH, d.geometry(), 8, 8);
            int corner = out[0];
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    assertThat(out[y * 8 + x]).isEqualTo(corner + y * WIDTH + x);
                }
            }
            corners.add(corner);
        }
        assertThat(corners.size()).isGreaterThan(20);
    }

    /**
     * Validation after {@link AugmentConfig#standard()} (random scale 0.75-1.25) is the centre window of the source's
     * own pixels, the same for every draw; after a stretching preset it stretches the whole source; a centre crop at
     * a scale below the one that covers the output keeps its scale (the rest of the window is reflected).
     */
    @Test
    void validationFramesAtTheScaleTrainingDrawsOnAverage() {
        int[] ids = IntStream.range(0, HEIGHT * WIDTH).toArray();
        AugmentConfig validation = AugmentConfig.standard().forValidation();
        assertThat(validation.isRandom()).isFalse();
        assertThat(validation.framing()).isEqualTo(Framing.CENTER_CROP);
        int oy = (HEIGHT - 8) / 2;
        int ox = (WIDTH - 8) / 2;
        for (int seed = 0; seed < 5; seed++) {
            JointAugmenter.Draw d = new JointAugmenter(validation)
                    .draw(new SplittableRandom(seed), HEIGHT, WIDTH, 8, 8);
            int[] out = JointAugmenter.resampleMask(ids, HEIGHT, WIDTH, d.geometry(), 8, 8);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    assertThat(out[y * 8 + x]).isEqualTo((oy + y) * WIDTH + ox + x);
                }
            }
        }
        assertThat(AugmentPreset.FLIPS.config().forValidation()).isEqualTo(AugmentConfig.NONE);
        AugmentConfig centred = AugmentConfig.standard().withFraming(Framing.CENTER_CROP);
        assertThat(centred.forValidation().minScale()).as("a centre crop validates at the scale it trains at")
                .isEqualTo(0.75);
        AugmentConfig shrinking = new AugmentConfig(false, false, false, 0, ElasticDeformation.NONE,
                PerspectiveWarp.NONE, Framing.CENTER_CROP, 1e-3, 1e-3, ColorJitter.NONE, Interpolation.NEAREST);
        JointAugmenter.Draw d = new JointAugmenter(shrinking).draw(new SplittableRandom(0), HEIGHT, WIDTH, 8, 8);
        assertThat(d.scale()).isEqualTo(1e-3);
    }

    @Test
    void jitterChangesTheImageOnlyAndTheSameRandomGivesTheSameDraw() {
        AugmentConfig withJitter = AugmentConfig.standard();
        AugmentConfig without = withJitter.withJitter(ColorJitter.NONE);
        JointAugmenter.Draw a = new JointAugmenter(withJitter).draw(new SplittableRandom(7), HEIGHT, WIDTH, 16, 16);
        JointAugmenter.Draw b = new JointAugmenter(without).draw(new SplittableRandom(7), HEIGHT, WIDTH, 16, 16);
        JointAugmenter.Draw again = new JointAugmenter(withJitter).draw(new SplittableRandom(7), HEIGHT, WIDTH, 16, 16);
        assertThat(a.geometry()).isEqualTo(b.geometry());
        assertThat(again).isEqualTo(a);
        float[] image = blockyImage(1);
        float[] jittered = image.clone();
        JointAugmenter.jitter(jittered, 3, HEIGHT * WIDTH, a);
        assertThat(jittered).isNotEqualTo(image);
        for (float v : jittered) {
            assertThat(v).isBetween(0f, 255f);
        }
    }

    /** fastai's lighting as it composes it: {@code sigmoid(contrast(brightness(logit(x))))} on a 0-1 value. */
    private static double fastaiLighting(double value, double change, double scale) {
        double x = Math.min(Math.max(value / 255, 1e-7), 1 - 1e-7);
        double logit = Math.log(x / (1 - x));
        double shifted = (logit + Math.log(change / (1 - change))) * scale;
        return 255 / (1 + Math.exp(-shifted));
    }

    /**
     * Logit lighting is fastai's: each value as fastai's sigmoid of the shifted, scaled logit (the reference), drawn
     * as fastai draws (brightness's change in [0.4, 0.6], the contrast scale's log in [log 0.8, -log 0.8] for 0.2);
     * white and black never clip, mid grey is the contrast's pivot whatever the image's mean.
     */
    @Test
    void logitLightingIsFastaisBrightnessAndContrast() {
        AugmentConfig config = AugmentConfig.NONE.withJitter(ColorJitter.fastai(0.2));
        double[] change = {1, 0};
        double[] logScale = {1, -1};
        for (int i = 0; i < 2000; i++) {
            JointAugmenter.Draw draw = new JointAugmenter(config).draw(new SplittableRandom(i), 8, 8, 8, 8);
            assertThat(draw.lighting()).isEqualTo(LightingSpace.LOGITS);
            double c = draw.brightness() / (1.0 + draw.brightness());
            change[0] = Math.min(change[0], c);
            change[1] = Math.max(change[1], c);
            logScale[0] = Math.min(logScale[0], Math.log(draw.contrast()));
            logScale[1] = Math.max(logScale[1], Math.log(draw.contrast()));
            if (i < 20) {
                float[] grey = {0, 0.3f, 12.5f, 100, 127.5f, 200, 254.6f, 255};
                float[] lit = grey.clone();
                JointAugmenter.jitter(lit, 1, lit.length, draw);
                for (int k = 0; k < grey.length; k++) {
                    assertThat((double) lit[k]).as("value %s, draw %s", grey[k], i).isCloseTo(
                            fastaiLighting(grey[k], c, draw.contrast()), within(2e-3));
                }
            }
        }
        assertThat(change[0]).isCloseTo(0.4, within(0.002));
        assertThat(change[1]).isCloseTo(0.6, within(0.002));
        assertThat(logScale[0]).isCloseTo(Math.log(0.8), within(0.002));
        assertThat(logScale[1]).isCloseTo(-Math.log(0.8), within(0.002));
        JointAugmenter.Draw brighter = new JointAugmenter(config).draw(new SplittableRandom(5), 8, 8, 8, 8);
        float[] extremes = {0, 255, 127.5f};
        JointAugmenter.jitter(extremes, 1, 3, brighter);
        assertThat(extremes[0]).isBetween(0f, 0.01f);
        assertThat(extremes[1]).isBetween(254.99f, 255f);
        JointAugmenter.Draw contrastOnly = new JointAugmenter(AugmentConfig.NONE.withJitter(
                new ColorJitter(0, 0.5, 0, 0, LightingSpace.LOGITS))).draw(new SplittableRandom(2), 8, 8, 8, 8);
        assertThat(contrastOnly.contrast()).isNotEqualTo(1f);
        float[] darkImage = {127.5f, 10, 10, 10};
        assertThat(JointAugmenter.pivotFor(darkImage, 1, 4, contrastOnly)).isZero();
        JointAugmenter.jitter(darkImage, 1, 4, contrastOnly);
        assertThat(darkImage[0]).isCloseTo(127.5f, within(1e-3f));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ColorJitter(0.2, 0.2, 0, 0, null))
                .hasMessage("ColorJitter.space must be PIXELS or LOGITS but was null");
    }

    /** An RGB image's channels each take the logit lighting; saturation and hue then act on the values as always. */
    @Test
    void logitLightingActsOnEachChannelBeforeSaturation() {
        JointAugmenter.Draw draw = new JointAugmenter(AugmentConfig.NONE.withJitter(
                new ColorJitter(0.3, 0.3, 0, 0, LightingSpace.LOGITS))).draw(new SplittableRandom(9), 8, 8, 8, 8);
        float[] image = blockyImage(4);
        float[] lit = image.clone();
        JointAugmenter.jitter(lit, 3, HEIGHT * WIDTH, draw);
        double change = draw.brightness() / (1.0 + draw.brightness());
        for (int k = 0; k < image.length; k++) {
            assertThat((double) lit[k]).isCloseTo(fastaiLighting(image[k], change, draw.contrast()), within(2e-3));
        }
    }

    @Test
    void flipsZoomDrawsZoomsFrom075To125AsDocumented() {
        JointAugmenter augmenter = new JointAugmenter(AugmentPreset.FLIPS_ZOOM.config());
        SplittableRandom random = new SplittableRandom(3);
        double smallest = Double.MAX_VALUE;
        double largest = 0;
        for (int i = 0; i < 400; i++) {
            double scale = augmenter.draw(random, 64, 64, 32, 32).scale();
            smallest = Math.min(smallest, scale);
            largest = Math.max(largest, scale);
        }
        assertThat(smallest).isBetween(0.75, 0.8);
        assertThat(largest).isBetween(1.2, 1.25);
        // A 16x16 source for a 32x32 output: zooms are relative to 2, the scale that covers it (as prediction sees it).
        for (int i = 0; i < 100; i++) {
            assertThat(augmenter.draw(random, 16, 16, 32, 32).scale()).isBetween(1.5, 2.5);
        }
    }

    /** A class-id mask of {@code side x side} random ids 0-2 and its image, each class one palette colour. */
    private static int[] randomIds(int side, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return IntStream.range(0, side * side).map(i -> random.nextInt(3)).toArray();
    }

    private static float[] colours(int[] ids) {
        int plane = ids.length;
        float[] pixels = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int colour = PALETTE[ids[i]];
            pixels[i] = (colour >> 16) & 0xFF;
            pixels[plane + i] = (colour >> 8) & 0xFF;
            pixels[2 * plane + i] = colour & 0xFF;
        }
        return pixels;
    }

    /**
     * {@code --zoom 0.5,1} on sources the output's size zooms out (it used to be raised to scale 1, leaving only the
     * flips), and the window's part past the shrunken source shows the source mirrored at its edges, in the image
     * and the mask alike, as fastai's and albumentations' reflection padding; the mask keeps the source's ids.
     */
    @Test
    void zoomBelowTheCoverScaleZoomsOutAndReflectsImageAndMaskAlike() {
        JointAugmenter zoom = new JointAugmenter(AugmentPreset.FLIPS.config().withFraming(Framing.RANDOM_CROP)
                .withScale(0.5, 1));
        int zoomedOut = 0;
        double smallest = 1;
        for (int i = 0; i < 200; i++) {
            double scale = zoom.draw(new SplittableRandom(i), 32, 32, 32, 32).scale();
            zoomedOut += scale < 1 ? 1 : 0;
            smallest = Math.min(smallest, scale);
        }
        assertThat(zoomedOut).as("draws below scale 1 of 200").isGreaterThan(190);
        assertThat(smallest).isLessThan(0.55);

        int side = 32;
        int[] ids = randomIds(side, 5);
        float[] image = colours(ids);
        AugmentConfig half = new AugmentConfig(false, false, false, 0, ElasticDeformation.NONE, PerspectiveWarp.NONE,
                Framing.CENTER_CROP, 0.5, 0.5, ColorJitter.NONE, Interpolation.BILINEAR);
        JointAugmenter.Draw d = new JointAugmenter(half).draw(new SplittableRandom(0), side, side, side, side);
        assertThat(d.scale()).isEqualTo(0.5);
        int[] mask = JointAugmenter.resampleMask(ids, side, side, d.geometry(), side, side);
        float[] bilinear = JointAugmenter.resampleImage(image, 3, side, side, d.geometry(), side, side,
                Interpolation.BILINEAR);
        float[] nearest = JointAugmenter.resampleImage(image, 3, side, side, d.geometry(), side, side,
                Interpolation.NEAREST);
        assertThat(mask).as("nearest-neighbour: only the source's ids").containsOnly(0, 1, 2);
        assertThat(maskOf(nearest, side * side)).as("image and mask sampled alike").containsExactly(mask);
        // The 16x16 shrunken source sits in [8, 24); outside, each side mirrors it at its edges 8 and 24.
        int plane = side * side;
        for (int y = 0; y < side; y++) {
            for (int i = 0; i < 8; i++) {
                for (int[] pair : new int[][] {{7 - i, 8 + i}, {24 + i, 23 - i}}) {
                    int outside = y * side + pair[0];
                    int inside = y * side + pair[1];
                    assertThat(mask[outside]).as("mask row %d, column %d", y, pair[0]).isEqualTo(mask[inside]);
                    int outsideT = pair[0] * side + y;
                    int insideT = pair[1] * side + y;
                    assertThat(mask[outsideT]).as("mask column %d, row %d", y, pair[0]).isEqualTo(mask[insideT]);
                    for (int c = 0; c < 3; c++) {
                        assertThat(bilinear[c * plane + outside])
                                .isCloseTo(bilinear[c * plane + inside], within(1e-3f));
                        assertThat(bilinear[c * plane + outsideT])
                                .isCloseTo(bilinear[c * plane + insideT], within(1e-3f));
                    }
                }
            }
        }
    }

    /**
     * Validation frames at the scale training draws on average (the docs' promise): the mean of the presets' drawn
     * scales is the validation draw's scale, for sources the output's size, larger, and smaller on a side (zoom
     * relative to the scale that covers the output); the standard preset draws 0.75 to 1.25 as documented.
     */
    @Test
    void theMeanDrawnScaleIsTheValidationScale() {
        List<AugmentConfig> configs = List.of(AugmentPreset.FLIPS_ZOOM.config(), AugmentPreset.STANDARD.config(),
                AugmentPreset.FLIPS_TURNS.config(), AugmentPreset.FASTAI.config(),
                AugmentPreset.FLIPS.config().withFraming(Framing.RANDOM_CROP).withScale(0.5, 1),
                AugmentPreset.FLIPS.config().withFraming(Framing.RANDOM_CROP).withScale(0.5, 1)
                        .withProbabilities(0.4, 1));
        int[][] sources = {{64, 64}, {96, 80}, {48, 40}};
        for (AugmentConfig config : configs) {
            for (int[] source : sources) {
                JointAugmenter augmenter = new JointAugmenter(config);
                double sum = 0;
                double smallest = Double.MAX_VALUE;
                double largest = 0;
                int draws = 2000;
                for (int i = 0; i < draws; i++) {
                    double scale = augmenter.draw(new SplittableRandom(i), source[0], source[1], 64, 64).scale();
                    sum += scale;
                    smallest = Math.min(smallest, scale);
                    largest = Math.max(largest, scale);
                }
                double validation = new JointAugmenter(config.forValidation())
                        .draw(new SplittableRandom(0), source[0], source[1], 64, 64).scale();
                double base = Math.max(1, 64.0 / Math.min(source[0], source[1]));
                String what = config.framing() + " " + config.minScale() + "-" + config.maxScale() + " on "
                        + source[0] + "x" + source[1];
                assertThat(sum / draws).as("mean drawn scale, %s", what).isCloseTo(validation, within(0.02 * base));
                // A zoom left out (chance 1 - p) is scale 1.
                double p = config.maxScale() > config.minScale() ? config.affineProbability() : 1;
                assertThat(validation).as(what).isCloseTo(
                        base * (p * (config.minScale() + config.maxScale()) / 2 + (1 - p)), within(1e-9));
                assertThat(smallest).as(what).isCloseTo(base * config.minScale(), within(0.01 * base));
                assertThat(largest).as(what).isCloseTo(base * config.maxScale(), within(0.01 * base));
            }
        }
    }

    /** {@code n x n} pixels, each 0 or 255 at random: the finest detail there is. */
    private static float[] blackAndWhiteNoise(int n) {
        SplittableRandom random = new SplittableRandom(1);
        float[] noise = new float[n * n];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = random.nextBoolean() ? 255 : 0;
        }
        return noise;
    }

    private static double std(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= values.length;
        double sum = 0;
        for (float v : values) {
            sum += (v - mean) * (v - mean);
        }
        return Math.sqrt(sum / values.length);
    }

    /**
     * Shrinking averages the pixels each output pixel covers: 1024x1024 random 0/255 pixels stretched to 64x64 (the
     * {@code flips} preset's framing) come out as the 16x16 blocks' means (std about 8), where a 2x2 tap at each
     * output pixel kept the noise (std about 63).
     */
    @Test
    void shrinkingAveragesFineDetailLikeAnAreaAverage() {
        int n = 1024;
        int out = 64;
        float[] noise = blackAndWhiteNoise(n);
        JointAugmenter.Draw d = new JointAugmenter(AugmentPreset.FLIPS.config())
                .draw(new SplittableRandom(0), n, n, out, out);
        float[] shrunk = JointAugmenter.resampleImage(noise, 1, n, n, d.geometry(), out, out, Interpolation.BILINEAR);
        int block = n / out;
        float[] area = new float[out * out];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                area[y / block * out + x / block] += noise[y * n + x] / (block * block);
            }
        }
        double areaStd = std(area);
        assertThat(areaStd).isBetween(7.0, 9.0);
        assertThat(std(shrunk)).as("std of the shrunken noise, area average's %.2f", areaStd)
                .isCloseTo(areaStd, within(0.1 * areaStd));
        double mean = 0;
        for (float v : shrunk) {
            mean += v / shrunk.length;
        }
        assertThat(mean).isCloseTo(127.5, within(2.0));
    }

    /**
     * A rotated, warped or deformed shrink averages fine detail too: 1024x1024 noise stretched to 64x64 under a free
     * rotation, a warp and an elastic deformation has about the area average's spread (std about 8), where four taps
     * at each output pixel kept the noise (std about 60), so training and validation see detail alike.
     */
    @Test
    void slantedAndDisplacedShrinksAverageFineDetailToo() {
        int n = 1024;
        int out = 64;
        float[] noise = blackAndWhiteNoise(n);
        AugmentConfig[] slanted = {AugmentPreset.FLIPS.config().withRotation(10),
            AugmentPreset.FLIPS.config().withPerspective(new PerspectiveWarp(0.2)),
            AugmentPreset.FLIPS.config().withElastic(new ElasticDeformation(2, 16))};
        for (AugmentConfig config : slanted) {
            for (int draw = 0; draw < 3; draw++) {
                JointAugmenter.Draw d = new JointAugmenter(config).draw(new SplittableRandom(draw), n, n, out, out);
                float[] shrunk = JointAugmenter.resampleImage(noise, 1, n, n, d.geometry(), out, out,
                        Interpolation.BILINEAR);
                assertThat(std(shrunk)).as("%s, draw %d", config, draw).isBetween(5.0, 12.0);
            }
        }
    }

    /** A constant image stays constant when shrunk, turned, flipped or zoomed out (normalised weights). */
    @Test
    void shrinkingKeepsAConstantImageConstant() {
        int height = 50;
        int width = 70;
        float[] grey = new float[3 * height * width];
        Arrays.fill(grey, 77f);
        JointAugmenter standard = new JointAugmenter(AugmentConfig.standard().withScale(0.2, 0.6));
        for (int seed = 0; seed < 20; seed++) {
            JointAugmenter.Draw d = standard.draw(new SplittableRandom(seed), height, width, 16, 24);
            float[] out = JointAugmenter.resampleImage(grey, 3, height, width, d.geometry(), 16, 24,
                    Interpolation.BILINEAR);
            for (float v : out) {
                assertThat(v).as("%s", d).isCloseTo(77f, within(1e-3f));
            }
        }
    }

    /** One plane of {@code height x width} random whole values from 0 to 255. */
    private static float[] randomGreyImage(int height, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] image = new float[height * width];
        for (int i = 0; i < image.length; i++) {
            image[i] = random.nextInt(256);
        }
        return image;
    }

    /** The filtered path with an odd number of quarter turns equals shrinking the turned image without turns. */
    @Test
    void aTurnedShrinkIsTheShrinkOfTheTurnedImage() {
        int height = 40;
        int width = 56;
        float[] image = randomGreyImage(height, width, 2);
        float[] turned = new float[height * width];
        for (int y = 0; y < width; y++) {
            for (int x = 0; x < height; x++) {
                turned[y * height + x] = image[(height - 1 - x) * width + y]; // clockwise: width rows of height
            }
        }
        AugmentConfig turning = new AugmentConfig(false, false, true, 0, ElasticDeformation.NONE, PerspectiveWarp.NONE,
                Framing.RESIZE, 1, 1, ColorJitter.NONE, Interpolation.BILINEAR);
        float[] expected = JointAugmenter.resampleImage(turned, 1, width, height,
                new JointAugmenter(AugmentConfig.NONE).draw(new SplittableRandom(0), width, height, 12, 9).geometry(),
                12, 9, Interpolation.BILINEAR);
        for (int seed = 0; ; seed++) {
            JointAugmenter.Draw d = new JointAugmenter(turning).draw(new SplittableRandom(seed), height, width, 12, 9);
            if (d.quarterTurns() == 1) {
                float[] out = JointAugmenter.resampleImage(image, 1, height, width, d.geometry(), 12, 9,
                        Interpolation.BILINEAR);
                for (int i = 0; i < out.length; i++) {
                    assertThat(out[i]).as("pixel %d", i).isCloseTo(expected[i], within(1e-2f));
                }
                return;
            }
        }
    }

    /** Enlarging is plain bilinear between the four nearest pixel centres, edges clamped, as before. */
    @Test
    void enlargingIsPlainBilinear() {
        int height = 12;
        int width = 16;
        float[] image = randomGreyImage(height, width, 4);
        int outHeight = 28;
        int outWidth = 40;
        float[] out = JointAugmenter.resampleImage(image, 1, height, width,
                Geometry.scale((double) width / outWidth, (double) height / outHeight), outHeight, outWidth,
                Interpolation.BILINEAR);
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                double fx = (x + 0.5) * width / outWidth - 0.5;
                double fy = (y + 0.5) * height / outHeight - 0.5;
                int x0 = (int) Math.floor(fx);
                int y0 = (int) Math.floor(fy);
                double wx = fx - x0;
                double wy = fy - y0;
                int xa = Math.max(0, x0);
                int xb = Math.min(width - 1, x0 + 1);
                int ya = Math.max(0, y0);
                int yb = Math.min(height - 1, y0 + 1);
                double expected = (1 - wy) * ((1 - wx) * image[ya * width + xa] + wx * image[ya * width + xb])
                        + wy * ((1 - wx) * image[yb * width + xa] + wx * image[yb * width + xb]);
                assertThat((double) out[y * outWidth + x]).isCloseTo(expected, within(1e-3));
            }
        }
    }

    /** Free rotations: within the range, both ways, image and mask pixel-exactly aligned, the corners mirrored. */
    @Test
    void freeRotationsTurnImageAndMaskAlikeAndMirrorTheCorners() {
        AugmentConfig config = new AugmentConfig(true, true, false, 0, ElasticDeformation.NONE, PerspectiveWarp.NONE,
                Framing.RANDOM_CROP, 0.8, 1.2, ColorJitter.NONE, Interpolation.NEAREST).withRotation(30);
        JointAugmenter augmenter = new JointAugmenter(config);
        double smallest = 0;
        double largest = 0;
        for (int draw = 0; draw < 200; draw++) {
            JointAugmenter.Draw d = alignedDraw(augmenter, draw, 12, 16);
            assertThat(d.rotation()).isBetween(-30.0, 30.0);
            smallest = Math.min(smallest, d.rotation());
            largest = Math.max(largest, d.rotation());
        }
        assertThat(smallest).isLessThan(-20);
        assertThat(largest).isGreaterThan(20);

        // The corners a turn uncovers are mirrored, not background or the edge repeated: with each pixel's id its
        // column, a corner whose source point lies left of the image shows the column mirrored at the edge.
        int[] columns = new int[HEIGHT * WIDTH];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = i % WIDTH;
        }
        JointAugmenter turning = new JointAugmenter(AugmentConfig.NONE.withRotation(45));
        int mirrored = 0;
        for (int draw = 0; draw < 20; draw++) {
            JointAugmenter.Draw d = turning.draw(new SplittableRandom(draw), HEIGHT, WIDTH, HEIGHT, WIDTH);
            int[] turned = JointAugmenter.resampleMask(columns, HEIGHT, WIDTH, d.geometry(), HEIGHT, WIDTH);
            for (int y : new int[] {0, HEIGHT - 1}) {
                double sourceX = d.geometry().pixelSourceX(0, y);
                double sourceY = d.geometry().pixelSourceY(0, y);
                if (sourceX < -1 && sourceY >= 0 && sourceY < HEIGHT) {
                    assertThat(turned[y * WIDTH]).as("draw %d, row %d", draw, y).isEqualTo((int) Math.floor(-sourceX));
                    mirrored++;
                }
            }
        }
        assertThat(mirrored).as("corners checked").isGreaterThan(5);
    }

    /** A quarter turn through {@link Geometry#rotation} is the exact turn of the pixel grid. */
    @Test
    void aRightAngleRotationIsTheTurnOfTheGrid() {
        int n = 4;
        int[] ids = IntStream.range(0, n * n).toArray();
        int[] turned = JointAugmenter.resampleMask(ids, n, n, Geometry.rotation(Math.PI / 2, n / 2.0, n / 2.0), n, n);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                // output (x, y) samples source column n-1-y of row x
                assertThat(turned[y * n + x]).as("(%d, %d)", x, y).isEqualTo(ids[x * n + n - 1 - y]);
            }
        }
    }

    /** Validation is never rotated; a rotation is random; the range is checked, naming fastai's value. */
    @Test
    void rotationIsLeftOutOfValidationAndItsRangeIsChecked() {
        AugmentConfig rotating = AugmentConfig.NONE.withRotation(10);
        assertThat(rotating.isRandom()).isTrue();
        assertThat(rotating.forValidation().maxRotation()).isZero();
        assertThat(AugmentConfig.standard().withRotation(10).forValidation())
                .isEqualTo(AugmentConfig.standard().forValidation());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AugmentConfig.NONE.withRotation(181))
                .hasMessage("AugmentConfig.maxRotation must be in [0, 180] degrees but was 181.0 (fastai's"
                        + " aug_transforms rotate by up to 10)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AugmentConfig.NONE.withRotation(Double.NaN))
                .hasMessageContaining("but was NaN");
        AugmentConfig still = AugmentConfig.standard();
        assertThat(new JointAugmenter(still).draw(new SplittableRandom(3), 40, 40, 32, 32).rotation()).isZero();
    }

    /** The hue shift against java.awt's HSB (HSV) conversion, the reference, on integer colours. */
    @Test
    void aHueShiftIsTorchvisionsHsvTurn() {
        SplittableRandom random = new SplittableRandom(5);
        for (int n = 0; n < 2000; n++) {
            int r = random.nextInt(256);
            int g = random.nextInt(256);
            int b = random.nextInt(256);
            float shift = (float) (random.nextDouble() - 0.5);
            float[] hsb = java.awt.Color.RGBtoHSB(r, g, b, null);
            int expected = java.awt.Color.HSBtoRGB(hsb[0] + shift, hsb[1], hsb[2]);
            float[] rgb = {r, g, b};
            JointAugmenter.shiftHue(rgb, shift);
            String colour = "(" + r + ", " + g + ", " + b + ") by " + shift;
            assertThat((double) rgb[0]).as(colour).isCloseTo((expected >> 16) & 0xFF, within(1.0));
            assertThat((double) rgb[1]).as(colour).isCloseTo((expected >> 8) & 0xFF, within(1.0));
            assertThat((double) rgb[2]).as(colour).isCloseTo(expected & 0xFF, within(1.0));
        }
        float[] red = {255, 0, 0};
        JointAugmenter.shiftHue(red, 0.5f);
        assertThat(red).containsExactly(0f, 255f, 255f);
        float[] grey = {90, 90, 90};
        JointAugmenter.shiftHue(grey, 0.3f);
        assertThat(grey).containsExactly(90f, 90f, 90f);
    }

    /** Hue shifts are drawn within the range, both ways, only when asked for; the range is checked. */
    @Test
    void hueShiftsAreDrawnWithinTheirRange() {
        JointAugmenter augmenter = new JointAugmenter(AugmentConfig.NONE.withJitter(new ColorJitter(0, 0, 0, 0.1)));
        double smallest = 0;
        double largest = 0;
        for (int draw = 0; draw < 100; draw++) {
            JointAugmenter.Draw d = augmenter.draw(new SplittableRandom(draw), 8, 8, 8, 8);
            assertThat(d.hue()).isBetween(-0.1f, 0.1f);
            assertThat(d.changesColour()).isTrue();
            assertThat(d.withoutChroma().hue()).isZero();
            smallest = Math.min(smallest, d.hue());
            largest = Math.max(largest, d.hue());
        }
        assertThat(smallest).isLessThan(-0.05);
        assertThat(largest).isGreaterThan(0.05);
        assertThat(new JointAugmenter(AugmentConfig.standard()).draw(new SplittableRandom(1), 8, 8, 8, 8).hue())
                .isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ColorJitter(0, 0, 0, 0.6))
                .hasMessage("ColorJitter.hue must be in [0, 0.5] (a share of the colour wheel, as torchvision's) but"
                        + " was 0.6");
    }

    /**
     * An elastic deformation moves image and mask alike (pixel-exact with nearest sampling), changes the samples,
     * and leaves every other draw as it was (it is drawn last).
     */
    @Test
    void elasticDeformationsMoveImageAndMaskAlike() {
        AugmentConfig plain = new AugmentConfig(true, true, true, 0, ElasticDeformation.NONE, PerspectiveWarp.NONE,
                Framing.RANDOM_CROP, 0.8, 1.2, ColorJitter.NONE, Interpolation.NEAREST);
        JointAugmenter warping = new JointAugmenter(plain.withElastic(new ElasticDeformation(3, 8)));
        int moved = 0;
        for (int draw = 0; draw < 100; draw++) {
            JointAugmenter.Draw d = alignedDraw(warping, draw, 12, 16);
            JointAugmenter.Draw unwarped = new JointAugmenter(plain).draw(new SplittableRandom(draw), HEIGHT, WIDTH,
                    12, 16);
            assertThat(d.geometry()).isInstanceOf(DisplacedGeometry.class);
            assertThat(((DisplacedGeometry) d.geometry()).geometry()).isEqualTo(unwarped.geometry());
            int[] mask = maskOf(blockyImage(draw), HEIGHT * WIDTH);
            moved += Arrays.equals(JointAugmenter.resampleMask(mask, HEIGHT, WIDTH, d.geometry(), 12, 16),
                    JointAugmenter.resampleMask(mask, HEIGHT, WIDTH, unwarped.geometry(), 12, 16)) ? 0 : 1;
        }
        assertThat(moved).as("draws whose mask the deformation changed").isGreaterThan(90);
        assertThat(new JointAugmenter(plain).draw(new SplittableRandom(1), HEIGHT, WIDTH, 12, 16).geometry())
                .isInstanceOf(Geometry.class);
    }

    /**
     * The displacement is smooth and of the size asked for: pixels move by about 0.48 of the control offsets' standard
     * deviation (151/315 per axis, the cubic B-spline's mean squared weight), and neighbours by far less than white
     * noise would move them.
     */
    @Test
    void elasticDisplacementsAreSmoothAndOfTheGivenSize() {
        double squares = 0;
        double neighbours = 0;
        int values = 0;
        int pairs = 0;
        for (int draw = 0; draw < 40; draw++) {
            float[] dx = new float[64 * 64];
            float[] dy = new float[64 * 64];
            new ElasticDeformation(3, 16).displace(new SplittableRandom(draw), 64, 64, dx, dy);
            DisplacedGeometry warp = new DisplacedGeometry(Geometry.IDENTITY, 64, dx, dy);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    float alongX = dx[y * 64 + x];
                    squares += alongX * alongX + dy[y * 64 + x] * dy[y * 64 + x];
                    values += 2;
                    if (x > 0) {
                        neighbours += Math.abs(alongX - dx[y * 64 + x - 1]);
                        pairs++;
                    }
                }
            }
            assertThat(warp.pixelSourceX(5, 7)).isCloseTo(5.5 + dx[7 * 64 + 5], within(1e-6));
            assertThat(warp.pixelSourceY(5, 7)).isCloseTo(7.5 + dy[7 * 64 + 5], within(1e-6));
        }
        double rms = Math.sqrt(squares / values);
        assertThat(rms).as("root mean square displacement").isBetween(0.42 * 3, 0.55 * 3);
        assertThat(neighbours / pairs).as("mean step between neighbours").isLessThan(0.1 * rms);
    }

    /** Validation is never deformed; the settings are checked, naming the field. */
    @Test
    void elasticDeformationIsLeftOutOfValidationAndChecked() {
        AugmentConfig deforming = AugmentConfig.standard().withElastic(new ElasticDeformation(4, 16));
        assertThat(deforming.isRandom()).isTrue();
        assertThat(deforming.forValidation()).isEqualTo(AugmentConfig.standard().forValidation());
        assertThat(AugmentConfig.NONE.withElastic(new ElasticDeformation(2, 16)).isRandom()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ElasticDeformation(-1, 16))
                .hasMessage("ElasticDeformation.magnitude must be a finite number >= 0 (pixels) but was -1.0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ElasticDeformation(2, 3))
                .hasMessage("ElasticDeformation.spacing must be >= 4 pixels but was 3");
    }

    /**
     * A perspective warp with both shifts at their extreme: the window's corners land where fastai's Warp puts them
     * (top-left and bottom-right moved by -(a, b) * u * v on the -1..1 scale), straight lines stay straight, and
     * image and mask move alike.
     */
    @Test
    void aPerspectiveWarpMovesTheCornersAsFastaisAndKeepsLinesStraight() {
        int size = 200;
        float[] dx = new float[size * size];
        float[] dy = new float[size * size];
        PerspectiveWarp warp = new PerspectiveWarp(0.2);
        SplittableRandom random = new SplittableRandom(4);
        SplittableRandom shifts = new SplittableRandom(4);
        double a = (2 * shifts.nextDouble() - 1) * 0.2;
        double b = (2 * shifts.nextDouble() - 1) * 0.2;
        warp.displace(random, size, size, dx, dy);
        DisplacedGeometry map = new DisplacedGeometry(Geometry.IDENTITY, size, dx, dy);
        // the top-left pixel centre, near the corner (0, 0): shifted by about -(a/2) of the side along x
        assertThat(map.pixelSourceX(0, 0) / size).isCloseTo(-a / 2, within(0.01));
        assertThat(map.pixelSourceX(size - 1, 0) / size).isCloseTo(1 + a / 2, within(0.01));
        assertThat(map.pixelSourceX(size - 1, size - 1) / size).isCloseTo(1 - a / 2, within(0.01));
        assertThat(map.pixelSourceY(0, 0) / size).isCloseTo(-b / 2, within(0.01));
        assertThat(map.pixelSourceY(size - 1, 0) / size).isCloseTo(b / 2, within(0.01));
        assertThat(map.pixelSourceY(0, size - 1) / size).isCloseTo(1 + b / 2, within(0.01));
        // a projective map keeps the diagonal's points on one straight line (a bilinear one would bend it by pixels)
        double x0 = map.pixelSourceX(0, 0);
        double y0 = map.pixelSourceY(0, 0);
        double x1 = map.pixelSourceX(size - 1, size - 1);
        double y1 = map.pixelSourceY(size - 1, size - 1);
        for (int t = 10; t < size; t += 37) {
            double cross = (x1 - x0) * (map.pixelSourceY(t, t) - y0) - (y1 - y0) * (map.pixelSourceX(t, t) - x0);
            assertThat(cross / Math.hypot(x1 - x0, y1 - y0)).as("distance from the line at %d", t)
                    .isCloseTo(0, within(1e-3));
        }

        JointAugmenter warping = new JointAugmenter(new AugmentConfig(true, true, false, 0, ElasticDeformation.NONE,
                new PerspectiveWarp(0.3), Framing.RANDOM_CROP, 1, 1, ColorJitter.NONE, Interpolation.NEAREST));
        for (int draw = 0; draw < 50; draw++) {
            alignedDraw(warping, draw, 12, 16);
        }
    }

    /**
     * Each affine and lighting transform applies with its chance, drawn for each on its own (fastai's p_affine and
     * p_lighting): the shares of samples rotated, zoomed, warped, deformed, brightened, contrasted, saturated and
     * hue-turned, and of samples both rotated and brightened, match the chances.
     */
    @Test
    void eachTransformAppliesWithItsChanceOnItsOwn() {
        double affine = 0.75;
        double lighting = 0.3;
        AugmentConfig config = AugmentConfig.NONE.withFraming(Framing.RANDOM_CROP).withScale(1, 1.1).withRotation(10)
                .withPerspective(new PerspectiveWarp(0.2)).withJitter(new ColorJitter(0.2, 0.2, 0.2, 0.05))
                .withProbabilities(affine, lighting);
        AugmentConfig warpOnly = AugmentConfig.NONE.withPerspective(new PerspectiveWarp(0.2))
                .withProbabilities(affine, 1);
        AugmentConfig deformOnly = AugmentConfig.NONE.withElastic(new ElasticDeformation(2, 8))
                .withProbabilities(affine, 1);
        int draws = 4000;
        int[] counts = new int[9];
        for (int i = 0; i < draws; i++) {
            JointAugmenter.Draw draw = new JointAugmenter(config).draw(new SplittableRandom(i), 32, 32, 32, 32);
            boolean rotated = draw.rotation() != 0;
            boolean brighter = draw.brightness() != 1f;
            counts[0] += rotated ? 1 : 0;
            counts[1] += draw.scale() != 1 ? 1 : 0;
            counts[2] += brighter ? 1 : 0;
            counts[3] += draw.contrast() != 1f ? 1 : 0;
            counts[4] += draw.saturation() != 1f ? 1 : 0;
            counts[5] += draw.hue() != 0f ? 1 : 0;
            counts[6] += rotated && brighter ? 1 : 0;
            counts[7] += new JointAugmenter(warpOnly).draw(new SplittableRandom(i), 32, 32, 32, 32).geometry()
                    instanceof DisplacedGeometry ? 1 : 0;
            counts[8] += new JointAugmenter(deformOnly).draw(new SplittableRandom(i), 32, 32, 32, 32).geometry()
                    instanceof DisplacedGeometry ? 1 : 0;
        }
        // fastai's Warp leaves out each of its two shifts on its own chance: a sample is warped unless both are out
        double warped = 1 - (1 - affine) * (1 - affine);
        double[] expected = {affine, affine, lighting, lighting, lighting, lighting, affine * lighting, warped, affine};
        String[] names = {"rotated", "zoomed", "brightness", "contrast", "saturation", "hue", "rotated and brightness",
            "warped (either shift)", "deformed"};
        for (int k = 0; k < counts.length; k++) {
            assertThat(counts[k] / (double) draws).as(names[k]).isCloseTo(expected[k], within(0.03));
        }
    }

    /** A warp shift left out is 0 and not drawn: no shift moves nothing, one shift draws one number. */
    @Test
    void aWarpShiftLeftOutIsNotDrawn() {
        PerspectiveWarp warp = new PerspectiveWarp(0.3);
        float[] dx = new float[16 * 16];
        float[] dy = new float[16 * 16];
        SplittableRandom none = new SplittableRandom(5);
        warp.displace(none, false, false, 16, 16, dx, dy);
        assertThat(none.nextDouble()).isEqualTo(new SplittableRandom(5).nextDouble());
        assertThat(dx).containsOnly(0f);
        assertThat(dy).containsOnly(0f);

        SplittableRandom one = new SplittableRandom(5);
        warp.displace(one, true, false, 16, 16, dx, dy);
        SplittableRandom skipped = new SplittableRandom(5);
        skipped.nextDouble();
        assertThat(one.nextDouble()).isEqualTo(skipped.nextDouble());
        assertThat(dx).isNotEqualTo(new float[16 * 16]);
    }

    /** Chance 0 leaves a transform out of every sample; a chance outside [0, 1] is refused, naming the field. */
    @Test
    void aChanceOfZeroIsNoTransformAndTheChancesAreChecked() {
        AugmentConfig never = AugmentConfig.NONE.withRotation(30).withJitter(new ColorJitter(0.5, 0.5, 0.5, 0.2))
                .withPerspective(new PerspectiveWarp(0.3)).withProbabilities(0, 0);
        assertThat(never.isRandom()).isFalse();
        assertThat(never.withProbabilities(0, 0.1).isRandom()).isTrue();
        for (int i = 0; i < 50; i++) {
            JointAugmenter.Draw draw = new JointAugmenter(never).draw(new SplittableRandom(i), 20, 30, 20, 30);
            assertThat(draw.rotation()).isZero();
            assertThat(draw.changesColour()).isFalse();
            assertThat(draw.geometry()).isInstanceOf(Geometry.class);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AugmentConfig.NONE.withProbabilities(0.5, -0.1))
                .hasMessage("AugmentConfig.lightingProbability must be in [0, 1] but was -0.1 (1 applies the"
                        + " transforms to every sample; fastai's aug_transforms use 0.75)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AugmentConfig.NONE.withProbabilities(Double.NaN, 1))
                .hasMessageContaining("AugmentConfig.affineProbability must be in [0, 1] but was NaN");
    }

    /** Validation is never warped; the magnitude is checked, naming fastai's value. */
    @Test
    void perspectiveWarpsAreLeftOutOfValidationAndChecked() {
        AugmentConfig warping = AugmentConfig.standard().withPerspective(new PerspectiveWarp(0.2));
        assertThat(warping.isRandom()).isTrue();
        assertThat(warping.forValidation()).isEqualTo(AugmentConfig.standard().forValidation());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PerspectiveWarp(0.5))
                .hasMessage("PerspectiveWarp.magnitude must be in [0, 0.5) (a share of the window's half side;"
                        + " fastai's max_warp is 0.2) but was 0.5");
    }

    /** A zoom that the framing would ignore is refused, naming the framing that takes it. */
    @Test
    void scalesTheFramingWouldIgnoreAreRefused() {
        assertThatThrownBy(() -> new JointAugmenter(AugmentPreset.FLIPS.config().withScale(0.8, 1.2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("framing RESIZE stretches the whole image and zooms nothing, but minScale and"
                        + " maxScale were 0.8 and 1.2: frame with RANDOM_CROP");
        assertThatThrownBy(() -> new JointAugmenter(AugmentConfig.standard().withFraming(Framing.CENTER_CROP)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("framing CENTER_CROP crops at minScale (0.75) only, but maxScale was 1.25");
        assertThat(new JointAugmenter(AugmentConfig.standard().withFraming(Framing.CENTER_CROP).withScale(0.75, 0.75))
                .config().framing()).isEqualTo(Framing.CENTER_CROP);
        assertThat(new JointAugmenter(AugmentConfig.standard()).config().framing()).isEqualTo(Framing.RANDOM_CROP);
    }
}
