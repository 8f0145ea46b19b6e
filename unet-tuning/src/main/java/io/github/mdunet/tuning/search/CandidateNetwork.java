package io.github.mdunet.tuning.search;

import io.github.mdunet.core.decoder.ChannelPlan;

/**
 * What a candidate's values change in the network built from one base configuration: the channel plan (the mid scale
 * and the reduction act through it alone), the upsampling and the mid block's attention. Two candidates with equal
 * networks build the same graph, so a search trains one of them: on an encoder whose widths double at each stage (the
 * classic one), {@code HALVE} and {@code EQ_SKIP} give every decoder stage the same width.
 *
 * @param plan         the mid block's and each decoder stage's widths
 * @param upsample     the upsampling's name
 * @param midAttention self-attention in the mid block
 */
record CandidateNetwork(ChannelPlan plan, String upsample, boolean midAttention) {
}
