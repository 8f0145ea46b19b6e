package io.github.mdunet.examples.evaluate;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;

/** The untrained U-Net the evaluation tests predict with: RGB {@code side x side} in, 3 classes out, seed 3. */
final class TinyUNet {

    private TinyUNet() {
    }

    static UNet of(int side) {
        return UNet.build(UNetConfig.builder()
                .encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                .input(new ImageShape(3, side, side))
                .numClasses(3)
                .seed(3)
                .build());
    }
}
