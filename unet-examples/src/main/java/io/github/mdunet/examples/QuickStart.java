package io.github.mdunet.examples;

import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ConsoleAppCommand;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.app.SquareSizeOption;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.runtime.cpu.CpuAcceleration;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The smallest useful run: builds a classic-encoder U-Net, trains it on generated bright squares on noise and
 * prints the loss falling. Runs from the IDE (no arguments needed) or with {@code --help}.
 */
@Command(name = "quick-start", mixinStandardHelpOptions = true,
        description = "Builds a small U-Net, trains it on generated data and prints the loss falling.")
public final class QuickStart extends ConsoleAppCommand {

    @Mixin
    SquareSizeOption size = new SquareSizeOption(64);

    @Option(names = "--steps", description = "Training steps.")
    int steps = 40;

    @Option(names = "--batch", description = "Images per step.")
    int batch = 8;

    public static void main(String[] args) {
        CommandLines.runMain(args, () -> CommandLines.of(new QuickStart()));
    }

    @Override
    public Integer call() {
        // The classic encoder of depth 3 halves the input three times; the squares need a few pixels more.
        size.check(commandLine(), 16);
        OptionChecks.atLeast(commandLine(), "--steps", steps, 1);
        OptionChecks.atLeast(commandLine(), "--batch", batch, 1);
        UNet unet = UNet.build(UNetConfig.builder()
                .encoder(new ClassicEncoder(3, 8, Normalization.BATCH))
                .input(size.shape(1))
                .numClasses(2)
                .upsample(new UpsampleMode.PixelShuffle(true))
                .channelReduction(ChannelReduction.EQ_SKIP)
                .updater(new TorchAdam(3e-3))
                .build());
        System.out.println(unet.channelPlan().toTable());
        System.out.println(CpuAcceleration.nativeReport().describe());
        System.out.printf("U-Net with %,d parameters; training %d steps of %d images %dx%d%n",
                unet.numParams(), steps, batch, size.side(), size.side());
        Random random = new Random(1);
        long start = System.nanoTime();
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 1; step <= steps; step++) {
            unet.graph().fit(squaresOnNoise(batch, size.side(), random));
            last = unet.graph().score();
            if (step == 1) {
                first = last;
            }
            if (step == 1 || step % 5 == 0) {
                System.out.printf("step %3d  loss %.4f%n", step, last);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("loss %.4f -> %.4f in %.1f s (%.2f img/s)%n", first, last, seconds,
                steps * batch / seconds);
        return last < first ? 0 : 1;
    }

    /** Bright squares on Gaussian noise, with one-hot background/foreground labels. */
    static DataSet squaresOnNoise(int count, int size, Random random) {
        INDArray features = Nd4j.randn(DataType.FLOAT, count, 1, size, size).muli(0.3);
        INDArray foreground = Nd4j.zeros(DataType.FLOAT, count, 1, size, size);
        for (int n = 0; n < count; n++) {
            int side = size / 6 + random.nextInt(size / 4);
            int top = random.nextInt(size - side);
            int left = random.nextInt(size - side);
            var square = new org.nd4j.linalg.indexing.INDArrayIndex[] {
                    org.nd4j.linalg.indexing.NDArrayIndex.point(n), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(top, top + side),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(left, left + side)};
            foreground.get(square).assign(1);
            features.get(square).addi(1);
        }
        return new DataSet(features, Nd4j.concat(1, foreground.rsub(1), foreground));
    }
}
