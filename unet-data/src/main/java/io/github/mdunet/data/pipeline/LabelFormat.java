package io.github.mdunet.data.pipeline;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.config.HeadActivation;

/** How class-id masks become the label tensor of a batch. */
public enum LabelFormat {
    /** {@code [N, numClasses, H, W]}, 1 in the channel of the pixel's class, 0 elsewhere: for a softmax head. */
    ONE_HOT,
    /**
     * {@code [N, 1, H, W]}, 1 where the class id is 1 and 0 where it is 0: for a sigmoid head with one output
     * channel. The dataset must have exactly 2 class ids.
     */
    BINARY,
    /** {@code [N, 1, H, W]}, the class id as a float: for custom losses and metrics. */
    CLASS_ID;

    /**
     * The format a U-Net head with {@code modelClasses} output channels needs.
     *
     * @throws IllegalArgumentException for a regression head, which reads images, not class-id masks
     */
    public static LabelFormat forHead(HeadActivation head, int modelClasses) {
        return head.accept(new HeadActivation.Visitor<>() {
            @Override
            public LabelFormat softmax(HeadActivation.Softmax softmax) {
                return ONE_HOT;
            }

            @Override
            public LabelFormat sigmoid(HeadActivation.Sigmoid sigmoid) {
                return modelClasses == 1 ? BINARY : ONE_HOT;
            }

            @Override
            public LabelFormat identity(HeadActivation.Identity identity) {
                throw regression(identity);
            }

            @Override
            public LabelFormat sigmoidRange(HeadActivation.SigmoidRange range) {
                throw regression(range);
            }

            @Override
            public LabelFormat residual(HeadActivation.Residual residual) {
                throw regression(residual);
            }
        });
    }

    private static IllegalArgumentException regression(HeadActivation head) {
        return new IllegalArgumentException("LabelFormat.forHead: a " + head.getClass().getSimpleName() + " head is"
                + " for regression (image-to-image), not class-id masks; use ImageToImageDataset, or a classifying head"
                + " (" + Checks.oneOf(HeadActivation.Classification.class) + ")");
    }

    /** Label channels for a dataset of {@code numClasses} class ids. */
    public int channels(int numClasses) {
        return this == ONE_HOT ? numClasses : 1;
    }
}
