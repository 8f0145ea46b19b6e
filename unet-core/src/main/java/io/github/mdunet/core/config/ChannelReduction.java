package io.github.mdunet.core.config;

/**
 * How wide each decoder stage is, given its input: the upsampled map concatenated with its skip
 * ({@code concatChannels = upOutputChannels + skipChannels}).
 */
public enum ChannelReduction {
    /** fastai's DynamicUnet rule: a stage outputs {@code concatChannels}, the last stage half of it. */
    NONE,
    /** Each stage outputs {@code concatChannels / 2}. */
    HALVE,
    /** Each stage outputs as many channels as its skip. */
    EQ_SKIP
}
