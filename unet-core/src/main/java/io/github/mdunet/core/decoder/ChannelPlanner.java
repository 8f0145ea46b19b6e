package io.github.mdunet.core.decoder;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.DecoderWidths;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.SkipTap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Derives the {@link ChannelPlan} from a configuration and the encoder's measured feature maps. */
public final class ChannelPlanner {

    private ChannelPlanner() {
    }

    /**
     * @param config      the U-Net configuration
     * @param skips       the encoder's skip taps, highest resolution first
     * @param bottleneck  the bottleneck tap
     * @param shapes      the real shape of every tapped vertex for {@code config.input()}
     */
    public static ChannelPlan plan(UNetConfig config, List<SkipTap> skips, SkipTap bottleneck,
                                   Map<String, ImageShape> shapes) {
        int stageCount = skips.size();
        if (config.attentionGates() > stageCount) {
            throw new IllegalArgumentException("attentionGates must be in [0, " + stageCount
                    + "] (the encoder has " + stageCount + " skips) but was " + config.attentionGates());
        }
        if (config.decoderWidths() instanceof DecoderWidths.Explicit explicit
                && explicit.channels().size() != stageCount) {
            throw new IllegalArgumentException("decoderChannels must list " + stageCount
                    + " widths (the encoder has " + stageCount + " skips) but lists " + explicit.channels().size()
                    + ": " + explicit.channels());
        }
        ImageShape bottleneckShape = shapes.get(bottleneck.vertexName());
        int midInner = Math.max(1, (int) Math.round(bottleneckShape.channels() * config.midChannelScale()));

        List<DecoderStage> stages = new ArrayList<>(stageCount);
        int upInput = bottleneckShape.channels();
        int previousStride = bottleneck.stride();
        for (int i = 0; i < stageCount; i++) {
            SkipTap tap = skips.get(stageCount - 1 - i);
            ImageShape skipShape = shapes.get(tap.vertexName());
            int upOutput = config.upsample().keepsChannels() ? upInput : Math.max(1, upInput / 2);
            int concat = upOutput + skipShape.channels();
            boolean last = i == stageCount - 1;
            int output = outputChannels(config.decoderWidths(), i, concat, skipShape.channels(), last);
            boolean gated = i >= stageCount - config.attentionGates();
            // a whole factor: EncoderSpec requires each tap's stride to divide the next deeper one's
            stages.add(new DecoderStage(i + 1, tap.vertexName(), skipShape, previousStride / tap.stride(),
                    upInput, upOutput, concat, output, gated));
            upInput = output;
            previousStride = tap.stride();
        }
        ImageShape input = config.input();
        // fastai's last cross keeps the input image's channels beside the features: the head reads both
        boolean crossKeepsInput = config.lastCross() && switch (config.decoderLayout()) {
            case FASTAI -> true;
            case FORMATS_1_TO_5 -> false;
        };
        int finalChannels = upInput + (crossKeepsInput ? input.channels() : 0);
        return new ChannelPlan(bottleneckShape, midInner, stages, previousStride, finalChannels,
                input.withChannels(config.numClasses()));
    }

    private static int outputChannels(DecoderWidths widths, int stage, int concat, int skip, boolean last) {
        if (widths instanceof DecoderWidths.Explicit explicit) {
            return explicit.channels().get(stage);
        }
        ChannelReduction rule = ((DecoderWidths.ByRule) widths).rule();
        return switch (rule) {
            case NONE -> last ? Math.max(1, concat / 2) : concat;
            case HALVE -> Math.max(1, concat / 2);
            case EQ_SKIP -> skip;
        };
    }
}
