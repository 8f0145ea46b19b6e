package io.github.mdunet.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** predict and evaluate frame images as the model file says it was trained, unless told otherwise. */
class ImageFramingOptionTest {

    private static final UNet UNRECORDED = UNet.build(UNetConfig.builder()
            .encoder(new ClassicEncoder(2, 2, Normalization.BATCH)).input(new ImageShape(1, 16, 16)).numClasses(2)
            .build());

    @CommandLine.Command(name = "framing-app")
    static final class FramingApp {
        @CommandLine.Mixin
        ImageFramingOption framing = new ImageFramingOption();

        @CommandLine.Mixin
        TileOverlapOptions tiles = new TileOverlapOptions();
    }

    private static ImageFramingOption parsed(String... args) {
        FramingApp app = new FramingApp();
        new CommandLine(app).parseArgs(args);
        return app.framing;
    }

    @Test
    void theModelsRecordedFramingIsTheDefaultAndAnOptionOverridesIt() {
        UNet stretched = UNRECORDED.withTrainedFraming(ImageFraming.RESIZE);
        assertThat(parsed().framing(stretched)).isEqualTo(ImageFraming.RESIZE);
        assertThat(parsed().framing(UNRECORDED)).as("nothing recorded").isEqualTo(ImageFraming.TILES);
        assertThat(parsed("--tiles").framing(stretched)).isEqualTo(ImageFraming.TILES);
        assertThat(parsed("--resize").framing(UNRECORDED.withTrainedFraming(ImageFraming.TILES)))
                .isEqualTo(ImageFraming.RESIZE);
    }

    @Test
    void bothOptionsAreABadOption() {
        FramingApp app = new FramingApp();
        CommandLine command = new CommandLine(app);
        command.parseArgs("--resize", "--tiles");
        assertThatThrownBy(() -> app.framing.check(command)).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--resize and --tiles are two ways to frame an image: give one, or neither to frame images"
                        + " as the model was trained");
    }

    @Test
    void anOverlapWhereImagesAreStretchedIsABadOption() {
        UNet stretched = UNRECORDED.withTrainedFraming(ImageFraming.RESIZE);
        FramingApp app = new FramingApp();
        CommandLine command = new CommandLine(app);
        command.parseArgs("--overlap", "24");
        assertThatThrownBy(() -> app.framing.checkOverlap(command, stretched))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--overlap sets how tiles overlap, but here each image is stretched to the model's input,"
                        + " without tiles (as the model was trained: its file records it): leave --overlap out, or"
                        + " give --tiles");
        command.parseArgs("--overlap", "24", "--tiles");
        app.framing.checkOverlap(command, stretched);
        command.parseArgs("--overlap", "24");
        app.framing.checkOverlap(command, UNRECORDED);
    }
}
