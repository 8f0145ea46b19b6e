package io.github.mdunet.reference.torch.train;

import io.github.mdunet.reference.torch.npy.NpyArray;
import java.util.Map;

/** Where a training run's starting weights come from. */
public sealed interface InitialWeights permits InitialWeights.Drawn, InitialWeights.Given {

    /** How results.json names it. */
    String describe();

    /** The init schemes of network.json, drawn from a libtorch CPU generator seeded with the run's seed. */
    record Drawn() implements InitialWeights {
        @Override
        public String describe() {
            return "own";
        }
    }

    /** The same weights for every seed (the seed then changes only data order and augmentation). */
    record Given(String source, Map<String, NpyArray> arrays) implements InitialWeights {
        public Given {
            arrays = Map.copyOf(arrays);
        }

        @Override
        public String describe() {
            return source;
        }
    }
}
