package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.DecoderLayout;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.runtime.cpu.CpuAcceleration;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * A model saved by version 0.1.0 (file format 1) must keep loading, with its configuration, and predict what it
 * predicted then. Regenerate only on a deliberate format change: {@code main} below writes the fixture.
 */
class SavedModelFixtureTest {

    private static final Path DIRECTORY = Path.of("src/test/resources/fixtures");
    private static final Path MODEL = DIRECTORY.resolve("unet-format1.zip");
    private static final Path INPUT = DIRECTORY.resolve("unet-format1-input.bin");
    private static final Path OUTPUT = DIRECTORY.resolve("unet-format1-output.bin");

    /**
     * The configuration the fixture was saved with (DL4J's layers: format 1 predates the fused ones; the decoder
     * layout of formats 1 to 5: its final upsampling blurs, its last cross has two convolutions back to 5 channels).
     */
    static UNetConfig fixtureConfig() {
        return UNetConfig.builder()
                .encoder(new ClassicEncoder(2, 2, Normalization.BATCH))
                .input(new ImageShape(2, 19, 23))
                .numClasses(3)
                .upsample(new UpsampleMode.PixelShuffle(true))
                .decoderChannels(List.of(5, 3))
                .midChannelScale(1.5)
                .midAttention(true)
                .attentionGates(2)
                .lastCross(true)
                .head(new HeadActivation.Softmax())
                .seed(3)
                .updater(new Sgd(0.05))
                .layers(BlockLayers.STOCK)
                .decoderLayout(DecoderLayout.FORMATS_1_TO_5)
                .build();
    }

    @Test
    void modelFromFormatVersion1StillLoadsAndPredictsTheSame() throws IOException {
        UNet loaded = UNet.load(MODEL);
        assertThat(loaded.config()).isEqualTo(fixtureConfig());
        INDArray input = Nd4j.readBinary(INPUT.toFile());
        INDArray expected = Nd4j.readBinary(OUTPUT.toFile());
        assertThat(loaded.predict(input).equalsWithEps(expected, 1e-5)).isTrue();
    }

    /** Writes the fixture (run from unet-core's directory). */
    public static void main(String[] args) throws IOException {
        CpuAcceleration.configure();
        UNet unet = UNet.build(fixtureConfig());
        Nd4j.getRandom().setSeed(11);
        INDArray input = Nd4j.rand(DataType.FLOAT, 2, 2, 19, 23);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 2, 3, 19, 23);
        labels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(1))
                .assign(1);
        for (int step = 0; step < 3; step++) {
            unet.graph().fit(new org.nd4j.linalg.dataset.DataSet(input, labels));
        }
        unet.save(MODEL);
        Nd4j.saveBinary(input, new File(INPUT.toString()));
        Nd4j.saveBinary(unet.predict(input), new File(OUTPUT.toString()));
    }
}
