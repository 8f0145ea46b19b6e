package io.github.mdunet.data.folder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/** Applies a {@link Split} to validated pairs. */
public final class Splits {

    private Splits() {
    }

    /**
     * Training and validation pairs.
     *
     * @param training   training pairs, sorted by stem
     * @param validation validation pairs, sorted by stem
     */
    public record Parts(List<SamplePair> training, List<SamplePair> validation) {
        public Parts {
            training = List.copyOf(training);
            validation = List.copyOf(validation);
        }
    }

    /**
     * Splits {@code pairs} (the training folders' pairs) by {@code split}; {@code validationFolderPairs} are the
     * pairs of the validation folders for {@link Split.ByFolder}.
     */
    public static Parts apply(Split split, List<SamplePair> pairs, List<SamplePair> validationFolderPairs) {
        List<SamplePair> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.comparing(SamplePair::stem));
        if (split instanceof Split.BySeed bySeed) {
            SplittableRandom random = new SplittableRandom(bySeed.seed());
            List<SamplePair> shuffled = new ArrayList<>(sorted);
            for (int i = shuffled.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                shuffled.set(j, shuffled.set(i, shuffled.get(j)));
            }
            int held = (int) Math.round(shuffled.size() * bySeed.validationFraction());
            if (shuffled.size() >= 2) {
                held = Math.max(1, Math.min(shuffled.size() - 1, held));
            }
            List<SamplePair> validation = new ArrayList<>(shuffled.subList(0, held));
            List<SamplePair> training = new ArrayList<>(shuffled.subList(held, shuffled.size()));
            validation.sort(Comparator.comparing(SamplePair::stem));
            training.sort(Comparator.comparing(SamplePair::stem));
            return new Parts(training, validation);
        }
        if (split instanceof Split.ByFolder) {
            List<SamplePair> validation = new ArrayList<>(validationFolderPairs);
            validation.sort(Comparator.comparing(SamplePair::stem));
            return new Parts(sorted, validation);
        }
        return new Parts(sorted, List.of());
    }
}
