package io.github.mdunet.core.config;

import java.util.List;
import org.nd4j.shade.jackson.annotation.JsonSubTypes;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * The training loss. {@link HeadDefault} pairs with the head (cross-entropy for softmax, binary cross-entropy for
 * sigmoid, MSE for regression heads); the others are segmentation losses for softmax or sigmoid heads, computed per
 * example. Class weights: empty for none, else one non-negative weight per output channel.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Loss.HeadDefault.class, name = "headDefault"),
        @JsonSubTypes.Type(value = Loss.Dice.class, name = "dice"),
        @JsonSubTypes.Type(value = Loss.Focal.class, name = "focal"),
        @JsonSubTypes.Type(value = Loss.CrossEntropyDice.class, name = "crossEntropyDice")
})
public sealed interface Loss {

    /** Per-class weights; empty for none. */
    List<Double> classWeights();

    /** The loss that pairs with the head activation. */
    record HeadDefault() implements Loss {
        @Override
        public List<Double> classWeights() {
            return List.of();
        }
    }

    /** Soft Dice (1 - Dice), averaged over classes with the class weights. */
    record Dice(List<Double> classWeights) implements Loss {
        public Dice {
            classWeights = checked("Dice", classWeights);
        }
    }

    /**
     * Focal loss (Lin et al. 2017).
     *
     * @param gamma focusing parameter, >= 0 (0 is cross-entropy; 2 is the paper's choice)
     */
    record Focal(double gamma, List<Double> classWeights) implements Loss {
        public Focal {
            if (!(gamma >= 0) || !Double.isFinite(gamma)) {
                throw new IllegalArgumentException("Focal.gamma must be a finite number >= 0 but was " + gamma);
            }
            classWeights = checked("Focal", classWeights);
        }
    }

    /** {@code crossEntropyWeight * cross-entropy (mean per pixel) + diceWeight * (1 - Dice)}. */
    record CrossEntropyDice(double crossEntropyWeight, double diceWeight, List<Double> classWeights) implements Loss {
        public CrossEntropyDice {
            if (!(crossEntropyWeight >= 0) || !(diceWeight >= 0) || crossEntropyWeight + diceWeight == 0) {
                throw new IllegalArgumentException("CrossEntropyDice weights must be >= 0 and not both 0 but were "
                        + crossEntropyWeight + " and " + diceWeight);
            }
            classWeights = checked("CrossEntropyDice", classWeights);
        }
    }

    private static List<Double> checked(String loss, List<Double> weights) {
        List<Double> copy = weights == null ? List.of() : List.copyOf(weights);
        for (int i = 0; i < copy.size(); i++) {
            if (!(copy.get(i) >= 0) || !Double.isFinite(copy.get(i))) {
                throw new IllegalArgumentException(loss + ".classWeights[" + i + "] must be a finite number >= 0 but was "
                        + copy.get(i));
            }
        }
        return copy;
    }
}
