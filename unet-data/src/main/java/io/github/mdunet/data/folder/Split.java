package io.github.mdunet.data.folder;

import java.nio.file.Path;

/** How the samples are divided into training and validation sets. */
public sealed interface Split {

    /** Everything is training data; there is no validation set. */
    record None() implements Split {
    }

    /**
     * A random fraction of the samples is held out for validation: {@code round(validationFraction * n)} of the
     * {@code n} usable samples (at least 1 and at most {@code n - 1} when {@code n >= 2}), those whose stems rank
     * first by a hash of {@code seed} and the stem. The same seed and files always give the same split, another
     * seed another one; since a stem's rank depends on nothing else, adding, removing or skipping one file moves at
     * most one other sample across the split. A split that would leave no training sample (one usable sample and a
     * fraction of 0.5 or more) is refused when the dataset is opened.
     *
     * @param validationFraction in (0, 1)
     * @param seed               chooses which stems are held out
     */
    record BySeed(double validationFraction, long seed) implements Split {
        public BySeed {
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("Split.BySeed.validationFraction must be in (0, 1) but was "
                        + validationFraction);
            }
        }
    }

    /**
     * Validation samples come from their own folders, laid out like the training folders.
     *
     * @param inputs  validation images (or image-to-image inputs)
     * @param targets validation masks (or image-to-image targets)
     */
    record ByFolder(Path inputs, Path targets) implements Split {
        public ByFolder {
            if (inputs == null || targets == null) {
                throw new IllegalArgumentException("Split.ByFolder needs both folders but was inputs=" + inputs
                        + ", targets=" + targets);
            }
        }
    }
}
