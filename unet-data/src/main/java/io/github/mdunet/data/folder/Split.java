package io.github.mdunet.data.folder;

import java.nio.file.Path;

/** How the samples are divided into training and validation sets. */
public sealed interface Split {

    /** Calls the visitor's method for this split; a new split fails to compile until every visitor handles it. */
    <R> R accept(Visitor<R> visitor);

    /** Everything is training data; there is no validation set. */
    record None() implements Split {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.none(this);
        }
    }

    /**
     * A random fraction of the samples is held out for validation: {@code round(validationFraction * n)} of the
     * {@code n} usable samples (at least 1 and at most {@code n - 1}), those whose stems rank first by a hash of
     * {@code seed} and the stem. The same seed and files always give the same split, another seed another one; since
     * a stem's rank depends on nothing else, adding, removing or skipping one file moves at most one other sample
     * across the split. Fewer than 2 usable samples cannot be split (one would leave no validation sample below a
     * fraction of 0.5, no training sample from 0.5 on): the dataset refuses them when it opens, with a
     * {@link io.github.mdunet.data.validate.DatasetValidationException}.
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

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.bySeed(this);
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

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.byFolder(this);
        }
    }

    /** One method per split. */
    interface Visitor<R> {
        R none(None split);

        R bySeed(BySeed split);

        R byFolder(ByFolder split);
    }
}
