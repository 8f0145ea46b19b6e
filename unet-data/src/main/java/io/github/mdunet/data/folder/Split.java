package io.github.mdunet.data.folder;

import java.nio.file.Path;

/** How the samples are divided into training and validation sets. */
public sealed interface Split {

    /** Everything is training data; there is no validation set. */
    record None() implements Split {
    }

    /**
     * A random fraction of the samples (sorted by stem, then shuffled with {@code seed}) is held out for
     * validation; the same seed and files always give the same split.
     *
     * @param validationFraction in (0, 1)
     * @param seed               the shuffle seed
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
