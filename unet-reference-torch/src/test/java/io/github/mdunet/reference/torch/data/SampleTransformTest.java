package io.github.mdunet.reference.torch.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.reference.torch.spec.ImageShape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleTransformTest {

    private static final ImageShape SHAPE = new ImageShape(2, 2, 3);
    // Channel 0 counts 0..5 row by row, channel 1 is 10 more; the mask counts 0..5.
    private static final float[] IMAGE = {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15};
    private static final byte[] MASK = {0, 1, 2, 3, 4, 5};

    private static float[] imageOf(SampleTransform transform, long[] labels) {
        float[] out = new float[IMAGE.length];
        transform.apply(SHAPE, IMAGE, MASK, out, 0, labels, 0);
        return out;
    }

    @Test
    void identityCopies() {
        long[] labels = new long[6];
        assertThat(imageOf(SampleTransform.IDENTITY, labels)).containsExactly(IMAGE);
        assertThat(labels).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void flipsMoveImageAndMaskAlike() {
        long[] labels = new long[6];
        float[] horizontal = imageOf(new SampleTransform(true, false, 1, 0, 0), labels);
        assertThat(horizontal).containsExactly(2, 1, 0, 5, 4, 3, 12, 11, 10, 15, 14, 13);
        assertThat(labels).containsExactly(2, 1, 0, 5, 4, 3);

        float[] vertical = imageOf(new SampleTransform(false, true, 1, 0, 0), labels);
        assertThat(vertical).containsExactly(3, 4, 5, 0, 1, 2, 13, 14, 15, 10, 11, 12);
        assertThat(labels).containsExactly(3, 4, 5, 0, 1, 2);
    }

    @Test
    void zoomInterpolatesTheImageAndPicksMaskLabelsThatExist() {
        ImageShape shape = new ImageShape(1, 8, 8);
        float[] image = new float[64];
        byte[] mask = new byte[64];
        for (int i = 0; i < 64; i++) {
            image[i] = i % 8;
            mask[i] = (byte) (i % 8 < 4 ? 1 : 2);
        }
        float[] out = new float[64];
        long[] labels = new long[64];

        new SampleTransform(false, false, 2.0, 2.0, 2.0).apply(shape, image, mask, out, 0, labels, 0);

        // Source x = offset + (x + 0.5) / scale - 0.5 = 1.75 + 0.5 x, and the image value is the column.
        assertThat(out[0]).isEqualTo(1.75f);
        assertThat(out[1]).isEqualTo(2.25f);
        assertThat(out[7]).isEqualTo(5.25f);
        assertThat(labels).containsOnly(1L, 2L);
        assertThat(labels[0]).isEqualTo(1);
        assertThat(labels[7]).isEqualTo(2);
    }

    @Test
    void drawnZoomIsNeverBelowOneAndStaysInsideTheImage() {
        Random random = new Random(3);
        ImageShape shape = new ImageShape(3, 96, 128);
        int zoomed = 0;
        for (int i = 0; i < 200; i++) {
            SampleTransform transform = SampleTransform.draw(Augmentation.FLIPS_ZOOM, random, shape);
            assertThat(transform.scale()).isBetween(1.0, Augmentation.MAX_SCALE);
            assertThat(transform.offsetY() + 96 / transform.scale()).isLessThanOrEqualTo(96.0);
            assertThat(transform.offsetX() + 128 / transform.scale()).isLessThanOrEqualTo(128.0);
            zoomed += transform.scale() > 1 ? 1 : 0;
        }
        assertThat(zoomed).isBetween(70, 130);
        assertThat(SampleTransform.draw(Augmentation.NONE, random, shape)).isEqualTo(SampleTransform.IDENTITY);
    }
}
