package io.github.mdunet.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.encoder.ChannelOrder;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.data.TestImages;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PixelNormalizerTest {

    @TempDir
    Path dir;

    private float[] normalizedRedPixel(InputNormalization normalization) {
        DecodedImage red = ImageFiles.readImage(TestImages.solid(dir.resolve("red.png"), 1, 1, 0xFF0000), 3);
        float[] out = new float[3];
        new PixelNormalizer(normalization).normalize(red.pixels(), 3, 1, out, 0);
        return out;
    }

    @Test
    void pureRedLandsInChannelZeroForRgb() {
        assertThat(normalizedRedPixel(InputNormalization.UNIT_RANGE)).containsExactly(1f, 0f, 0f);
    }

    @Test
    void pureRedLandsInChannelTwoForBgr() {
        InputNormalization bgrUnit = new InputNormalization(ChannelOrder.BGR, 1.0 / 255, List.of(0.0), List.of(1.0));
        assertThat(normalizedRedPixel(bgrUnit)).containsExactly(0f, 0f, 1f);
    }

    @Test
    void caffeBgrSubtractsTheMeanOfEachOutputChannel() {
        float[] out = normalizedRedPixel(InputNormalization.CAFFE_BGR);
        assertThat(out[0]).isCloseTo((float) -103.939, within(1e-3f));
        assertThat(out[1]).isCloseTo((float) -116.779, within(1e-3f));
        assertThat(out[2]).isCloseTo((float) (255 - 123.68), within(1e-3f));
    }

    @Test
    void imagenetStatisticsAndInverse() {
        float[] out = normalizedRedPixel(InputNormalization.IMAGENET);
        assertThat(out[0]).isCloseTo((float) ((1 - 0.485) / 0.229), within(1e-4f));
        assertThat(out[2]).isCloseTo((float) ((0 - 0.406) / 0.225), within(1e-4f));
        float[] back = new PixelNormalizer(InputNormalization.IMAGENET).denormalize(out, 3, 1, 0);
        assertThat(back[0]).isCloseTo(255f, within(1e-3f));
        assertThat(back[1]).isCloseTo(0f, within(1e-3f));
        float[] backBgr = new PixelNormalizer(InputNormalization.CAFFE_BGR)
                .denormalize(normalizedRedPixel(InputNormalization.CAFFE_BGR), 3, 1, 0);
        assertThat(backBgr).usingComparatorWithPrecision(1e-3f).containsExactly(255f, 0f, 0f);
    }
}
