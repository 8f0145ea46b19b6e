package io.github.mdunet.examples.bench;

import io.github.mdunet.app.ClassicEncoderOptions;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.app.SquareSizeOption;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --size}, {@code --batch}, {@code --images} and the classic encoder's {@code --depth} and {@code --base-width}:
 * the {@link SyntheticShapes} a benchmark writes and the U-Net it trains on them ({@link PipelineBenchmark},
 * {@link SyntheticTrainingCheck}, {@link ScaleOutBenchmark}). A picocli mixin that each benchmark constructs with its
 * own defaults, which its {@code --help} shows.
 */
final class SyntheticShapesOptions {

    @Mixin
    SquareSizeOption size;

    @Option(names = "--batch", description = "Images per batch.")
    int batch;

    @Option(names = "--images", description = "Synthetic images to write.")
    int images;

    @Mixin
    ClassicEncoderOptions encoder;

    /** The options with the benchmark's defaults. */
    SyntheticShapesOptions(int size, int batch, int images, int depth, int baseWidth) {
        this.size = new SquareSizeOption(size);
        this.batch = batch;
        this.images = images;
        this.encoder = new ClassicEncoderOptions(depth, baseWidth);
    }

    /**
     * Refuses, before anything is written ({@link ExitCode#BAD_OPTION}), a size, batch or image count below one, an
     * encoder without a stage or a channel, and an encoder too deep for {@code --size}.
     */
    void check(CommandLine command) {
        size.check(command, 1);
        OptionChecks.atLeast(command, "--batch", batch, 1);
        OptionChecks.atLeast(command, "--images", images, 1);
        encoder.check(command);
        OptionChecks.validUNet(command, () -> model().build(), "--size " + size.side() + ", --depth " + encoder.depth()
                + ", --base-width " + encoder.baseWidth());
    }

    /** A U-Net on the classic encoder for RGB {@code size x size} inputs and the shapes' classes. */
    UNetConfig.Builder model() {
        return UNetConfig.builder()
                .encoder(encoder.encoder(Normalization.BATCH))
                .input(size.shape(3))
                .numClasses(SyntheticShapes.NUM_CLASSES);
    }

    /** The options as a command line gives them, e.g. to a child process of the same benchmark. */
    List<String> arguments() {
        List<String> arguments = new ArrayList<>(List.of("--size", String.valueOf(size.side()), "--batch",
                String.valueOf(batch), "--images", String.valueOf(images)));
        arguments.addAll(encoder.arguments());
        return arguments;
    }
}
