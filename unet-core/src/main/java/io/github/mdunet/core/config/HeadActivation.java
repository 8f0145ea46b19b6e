package io.github.mdunet.core.config;

import org.nd4j.shade.jackson.annotation.JsonSubTypes;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/** The activation of the head (applied per pixel over the output channels) and the loss it pairs with. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = HeadActivation.Softmax.class, name = "softmax"),
        @JsonSubTypes.Type(value = HeadActivation.Sigmoid.class, name = "sigmoid"),
        @JsonSubTypes.Type(value = HeadActivation.Identity.class, name = "identity"),
        @JsonSubTypes.Type(value = HeadActivation.SigmoidRange.class, name = "sigmoidRange"),
        @JsonSubTypes.Type(value = HeadActivation.Residual.class, name = "residual")
})
public sealed interface HeadActivation permits HeadActivation.Classification, HeadActivation.Regression {

    /** A head that classifies pixels: softmax or sigmoid, with segmentation losses. */
    sealed interface Classification extends HeadActivation permits Softmax, Sigmoid {
        @Override
        default boolean regresses() {
            return false;
        }

        @Override
        default boolean addsInput() {
            return false;
        }
    }

    /** A head that regresses values (image-to-image), with regression losses. */
    sealed interface Regression extends HeadActivation permits Identity, SigmoidRange, Residual {
        @Override
        default boolean regresses() {
            return true;
        }

        @Override
        default boolean exclusiveClasses() {
            return false;
        }
    }

    /** Softmax over the classes; multi-class segmentation with one-hot labels, cross-entropy loss. */
    record Softmax() implements Classification {
        @Override
        public boolean exclusiveClasses() {
            return true;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.softmax(this);
        }
    }

    /** Independent sigmoid per channel; binary or multi-label segmentation, binary cross-entropy loss. */
    record Sigmoid() implements Classification {
        @Override
        public boolean exclusiveClasses() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.sigmoid(this);
        }
    }

    /** No activation; regression (image-to-image), mean squared error loss. */
    record Identity() implements Regression {
        @Override
        public boolean addsInput() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.identity(this);
        }
    }

    /**
     * {@code low + (high - low) * sigmoid(x)}, fastai's {@code y_range}: regression into a known range, mean squared
     * error loss.
     */
    record SigmoidRange(double low, double high) implements Regression {
        public SigmoidRange {
            if (!(low < high) || !Double.isFinite(low) || !Double.isFinite(high)) {
                throw new IllegalArgumentException("SigmoidRange needs finite low < high but was low=" + low
                        + ", high=" + high);
            }
        }

        @Override
        public boolean addsInput() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.sigmoidRange(this);
        }
    }

    /**
     * No activation, and the input image is added to the head's output: the network predicts a correction of its
     * input (image-to-image, e.g. super-resolution of an image already upscaled to the output size). The head's
     * convolution starts small (normal, standard deviation 0.01), so an untrained network returns almost its input.
     * Needs {@code numClasses} equal to the input's channels; regression losses (mean squared error by default).
     */
    record Residual() implements Regression {
        @Override
        public boolean addsInput() {
            return true;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.residual(this);
        }
    }

    /** Whether this head regresses values (image-to-image) rather than classifying pixels: a {@link Regression}. */
    boolean regresses();

    /**
     * Whether each pixel belongs to exactly one class (softmax: the scores sum to 1, so at least two classes), rather
     * than each channel being its own yes-or-no (sigmoid); false for regression heads. Each classifying head says.
     */
    boolean exclusiveClasses();

    /**
     * Whether the head adds the input image to its output (the {@link Residual} head: numClasses must then equal the
     * input's channels); false for classifying heads. Each regression head says.
     */
    boolean addsInput();

    /**
     * Calls the method of {@code visitor} for this variant: the exhaustive dispatch over heads (Java 17 has no
     * pattern switch). A new variant must implement this, and every visitor must then handle it, before anything
     * compiles.
     */
    <R> R accept(Visitor<R> visitor);

    /** One method per head variant. */
    interface Visitor<R> {
        R softmax(Softmax head);

        R sigmoid(Sigmoid head);

        R identity(Identity head);

        R sigmoidRange(SigmoidRange head);

        R residual(Residual head);
    }
}
