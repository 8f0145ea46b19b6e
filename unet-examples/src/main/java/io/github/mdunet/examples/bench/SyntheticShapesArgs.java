package io.github.mdunet.examples.bench;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.data.synthetic.SyntheticShapes;

/**
 * What the plain-argument benchmarks on {@link SyntheticShapes} share ({@link PipelineBenchmark},
 * {@link SyntheticTrainingCheck}): the side of the square inputs, the batch, the number of images and the classic
 * encoder the U-Net is built on.
 *
 * @param size      input height and width ({@code --size})
 * @param batch     images per batch ({@code --batch})
 * @param images    synthetic images to write ({@code --images})
 * @param depth     the classic encoder's depth ({@code --depth})
 * @param baseWidth the classic encoder's first width ({@code --base-width})
 */
record SyntheticShapesArgs(int size, int batch, int images, int depth, int baseWidth) {

    /** These values, each replaced by its option's value where {@code args} gives one. */
    SyntheticShapesArgs readFrom(String[] args) {
        return new SyntheticShapesArgs(PlainArgs.intArg(args, "--size", size), PlainArgs.intArg(args, "--batch", batch),
                PlainArgs.intArg(args, "--images", images), PlainArgs.intArg(args, "--depth", depth),
                PlainArgs.intArg(args, "--base-width", baseWidth));
    }

    /** A U-Net on {@code ClassicEncoder(depth, baseWidth)} for RGB {@code size x size} inputs, the shapes' classes. */
    UNetConfig.Builder model() {
        return UNetConfig.builder()
                .encoder(new ClassicEncoder(depth, baseWidth, Normalization.BATCH))
                .input(new ImageShape(3, size, size))
                .numClasses(SyntheticShapes.NUM_CLASSES);
    }
}
