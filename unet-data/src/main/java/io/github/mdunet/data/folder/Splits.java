package io.github.mdunet.data.folder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Applies a {@link Split} to validated pairs. */
public final class Splits {

    /** SplittableRandom's golden-ratio increment: keeps a seed of 0 away from mix64's fixed point. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

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
     *
     * <p>{@link Split.BySeed} ranks every stem by {@link #rank(long, String)}, a hash of the seed and the stem alone,
     * and holds out the first {@code round(fraction * n)} (at least 1 and at most {@code n - 1}).
     * A stem's rank does not depend on the other files, so a file that is added, removed or left out as bad moves at
     * most one other stem across the split (the one at the boundary), not most of the validation set.
     *
     * @throws IllegalArgumentException when a {@code BySeed} split gets fewer than 2 pairs: one would leave no
     *                                  validation sample (a fraction below 0.5) or no training sample (0.5 or more).
     *                                  A dataset refuses this when it opens, naming the folders
     *                                  ({@link io.github.mdunet.data.validate.ValidationReport#usableParts})
     */
    public static Parts apply(Split split, List<SamplePair> pairs, List<SamplePair> validationFolderPairs) {
        List<SamplePair> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.comparing(SamplePair::stem));
        return split.accept(new Split.Visitor<>() {
            @Override
            public Parts none(Split.None none) {
                return new Parts(sorted, List.of());
            }

            @Override
            public Parts bySeed(Split.BySeed bySeed) {
                return heldOut(sorted, bySeed);
            }

            @Override
            public Parts byFolder(Split.ByFolder byFolder) {
                List<SamplePair> validation = new ArrayList<>(validationFolderPairs);
                validation.sort(Comparator.comparing(SamplePair::stem));
                return new Parts(sorted, validation);
            }
        });
    }

    /** {@code sorted} split by {@code bySeed}: the held-out stems validate, the rest train, both in stem order. */
    private static Parts heldOut(List<SamplePair> sorted, Split.BySeed bySeed) {
        if (sorted.size() < 2) {
            throw new IllegalArgumentException("Split.BySeed needs 2 or more samples, one to train on and one to"
                    + " validate on, but had " + sorted.size() + " (validationFraction "
                    + bySeed.validationFraction() + " would hold out "
                    + heldOutCount(sorted.size(), bySeed.validationFraction()) + "); add samples, or use"
                    + " Split.ByFolder for separate validation folders (Split.None() for no validation)");
        }
        int held = heldOutCount(sorted.size(), bySeed.validationFraction());
        List<SamplePair> ranked = inHoldOutOrder(sorted, SamplePair::stem, bySeed.seed());
        List<SamplePair> validation = new ArrayList<>(ranked.subList(0, held));
        List<SamplePair> training = new ArrayList<>(ranked.subList(held, ranked.size()));
        validation.sort(Comparator.comparing(SamplePair::stem));
        training.sort(Comparator.comparing(SamplePair::stem));
        return new Parts(training, validation);
    }

    /**
     * How many of {@code n} samples a split holding out {@code fraction} of them validates on: {@code round(fraction
     * * n)}, at least 1 and at most {@code n - 1} when {@code n >= 2} (for one sample 0 or 1, which no split takes).
     */
    public static int heldOutCount(int n, double fraction) {
        int held = (int) Math.round(n * fraction);
        return n >= 2 ? Math.max(1, Math.min(n - 1, held)) : held;
    }

    /**
     * {@code items} in the order a {@link Split.BySeed} split with {@code seed} holds them out: by
     * {@link #rank(long, String)} of each item's {@code key} (its stem or file name), ties by key. The order of
     * {@code items} does not matter, and adding or removing one item does not reorder the others.
     */
    public static <T> List<T> inHoldOutOrder(Collection<T> items, Function<T, String> key, long seed) {
        Map<T, Long> ranks = new HashMap<>();
        for (T item : items) {
            ranks.put(item, rank(seed, key.apply(item)));
        }
        List<T> ranked = new ArrayList<>(items);
        ranked.sort(Comparator.comparingLong((T item) -> ranks.get(item)).thenComparing(key));
        return ranked;
    }

    /**
     * Where {@code stem} falls in the order of a {@link Split.BySeed} split with {@code seed}: SplittableRandom's
     * 64-bit mix of the seed and a 64-bit hash of the stem's characters (FNV-1a), so that it depends on nothing but
     * the two. Lower ranks are held out first; equal ranks are broken by stem.
     */
    static long rank(long seed, String stem) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < stem.length(); i++) {
            hash = (hash ^ stem.charAt(i)) * 0x100000001b3L;
        }
        return mix64(mix64(seed + GOLDEN_GAMMA) + hash);
    }

    /** SplittableRandom's finaliser (Stafford's variant 13): a bijection on longs that spreads every input bit. */
    private static long mix64(long value) {
        long z = (value ^ (value >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
