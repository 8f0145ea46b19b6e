package io.github.mdunet.data.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
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

    @Test
    void imageAndMaskGeometryAgreePixelExactlyOverManyDraws() {
        AugmentConfig config = new AugmentConfig(true, true, true, Framing.RANDOM_CROP, 0.6, 1.8,
                new ColorJitter(0.3, 0.3, 0.3), Interpolation.NEAREST);
        JointAugmenter augmenter = new JointAugmenter(config);
        int outHeight = 12;
        int outWidth = 16;
        Set<String> seen = new HashSet<>();
        for (int draw = 0; draw < 400; draw++) {
            float[] image = blockyImage(draw);
            int[] mask = maskOf(image, HEIGHT * WIDTH);
            JointAugmenter.Draw d = augmenter.draw(new SplittableRandom(draw), HEIGHT, WIDTH, outHeight, outWidth);
            float[] outImage = JointAugmenter.resampleImage(image, 3, HEIGHT, WIDTH, d.geometry(), outHeight, outWidth,
                    Interpolation.NEAREST);
            int[] outMask = JointAugmenter.resampleMask(mask, HEIGHT, WIDTH, d.geometry(), outHeight, outWidth);
            assertThat(outMask).as("draw %d: %s", draw, d).containsExactly(maskOf(outImage, outHeight * outWidth));
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
        // Bilinear blends colours only along region edges; the geometry itself is shared.
        assertThat(agree / (double) total).isGreaterThan(0.85);
    }

    @Test
    void turnsAreClockwiseAndFlipsMirror() {
        int n = 5;
        int[] ids = IntStream.range(0, n * n).toArray();
        JointAugmenter augmenter = new JointAugmenter(new AugmentConfig(true, true, true, Framing.RESIZE, 1, 1,
                ColorJitter.NONE, Interpolation.NEAREST));
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
        JointAugmenter augmenter = new JointAugmenter(new AugmentConfig(false, false, false, Framing.RANDOM_CROP, 1, 1,
                ColorJitter.NONE, Interpolation.NEAREST));
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
     * a scale near 0 shrinks the source until it just covers the output.
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
        AugmentConfig shrinking = new AugmentConfig(false, false, false, Framing.CENTER_CROP, 1e-3, 1e-3,
                ColorJitter.NONE, Interpolation.NEAREST);
        JointAugmenter.Draw d = new JointAugmenter(shrinking).draw(new SplittableRandom(0), HEIGHT, WIDTH, 8, 8);
        assertThat(d.scale()).isEqualTo(Math.max(8.0 / HEIGHT, 8.0 / WIDTH));
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
        // A 16x16 source for a 32x32 output: every zoom is raised to 2, the smallest that covers it.
        assertThat(augmenter.draw(random, 16, 16, 32, 32).scale()).isEqualTo(2.0);
    }
}
