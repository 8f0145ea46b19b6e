package io.github.mdunet.core.config;

/**
 * How the decoder around the configured blocks is laid out, in the three places where this project once differed
 * from fastai's {@code DynamicUnet}: the final upsampling's blur, the last cross and what {@code Normalization.NONE}
 * removes. Everything else (mid block, up blocks, head) is the same in both layouts. With {@code NONE}, fastai's
 * default, {@link #FASTAI} is fastai's graph; with {@code BATCH} fastai also normalises its sub-pixel convolutions and
 * its head, which this project does not.
 */
public enum DecoderLayout {
    /**
     * fastai's {@code DynamicUnet} ({@code fastai/vision/models/unet.py}), the default for new configurations:
     * <ul>
     *   <li>with {@code PixelShuffle(blur = true)} the decoder stages blur after their pixel shuffle, the final
     *       upsampling to the input's resolution does not (fastai's extra {@code PixelShuffle_ICNR} has
     *       {@code blur=False});</li>
     *   <li>the last cross concatenates the input image to the features (C + input channels) and runs fastai's
     *       {@code ResBlock(1, C + in, C + in)}: conv-norm-ReLU, conv-norm whose gamma starts at 0 (fastai's
     *       {@code NormType.BatchZero}), the sum with the concatenation, ReLU; a fresh block is
     *       {@code relu(concatenation)}, and the head reads C + input channels;</li>
     *   <li>{@code Normalization.NONE} removes the batch norm inside each conv block only: the batch norm and ReLU
     *       before the mid block's first convolution and each decoder stage's batch norm of its skip stay, as
     *       fastai keeps {@code BatchNorm(ni), ReLU()} and {@code UnetBlock.bn} whatever its {@code norm_type}.</li>
     * </ul>
     */
    FASTAI,
    /**
     * The layout of every model saved in file formats 1 to 5, which load with it and predict as they did:
     * <ul>
     *   <li>with {@code PixelShuffle(blur = true)} the final upsampling blurs too;</li>
     *   <li>the last cross concatenates the input image and mixes it back to C channels with two conv-norm-ReLU
     *       blocks; the head reads C channels;</li>
     *   <li>{@code Normalization.NONE} also removes the mid block's input batch norm and ReLU and the skips' batch
     *       norms.</li>
     * </ul>
     */
    FORMATS_1_TO_5
}
