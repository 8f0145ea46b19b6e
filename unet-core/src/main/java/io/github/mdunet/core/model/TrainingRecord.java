package io.github.mdunet.core.model;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.predict.Mirror;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a trainer recorded about how a U-Net's training inputs were made, so that prediction makes its inputs alike:
 * the {@code framing} of whole images, the {@code scale} its training crops showed images at, the {@code mirrors} its
 * augmentation showed them in, the {@code upscale} factor a super-resolution model's inputs were enlarged by and the
 * {@code significantBits} of a 16-bit sample that held its value. Each is empty when none was recorded (a model built
 * but not trained, or a file saved before the field existed). A {@link UNet} carries one and its file keeps it.
 *
 * @param framing         how whole images were framed for training
 * @param scale           with {@link ImageFraming#TILES}: the scale training crops showed images at on average (the
 *                        validation crops' scale; 0.5 after {@code --zoom 0.5,0.5}), positive; prediction tiles images
 *                        resampled by it
 * @param mirrors         the mirror images the training augmentation showed (flips, and the half turn that quarter
 *                        turns or both flips include); empty: none; test-time augmentation averages over these
 * @param upscale         the factor the inputs were upscaled by, at least 1 (1: the model reads the image itself)
 * @param significantBits the bits of a 16-bit sample that held its value, 1 to 16 (12 for 0-4095)
 */
public record TrainingRecord(Optional<ImageFraming> framing, OptionalDouble scale, Optional<Set<Mirror>> mirrors,
                             OptionalInt upscale, OptionalInt significantBits) {

    /** Nothing recorded. */
    public static final TrainingRecord NONE = new TrainingRecord(Optional.empty(), OptionalDouble.empty(),
            Optional.empty(), OptionalInt.empty(), OptionalInt.empty());

    /**
     * @throws IllegalArgumentException naming {@code trainedScale} not positive and finite, {@code trainedUpscale}
     *                                  below 1 or {@code trainedSignificantBits} outside 1 to 16
     */
    public TrainingRecord {
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(mirrors, "mirrors");
        Objects.requireNonNull(upscale, "upscale");
        Objects.requireNonNull(significantBits, "significantBits");
        if (scale.isPresent() && !(scale.getAsDouble() > 0 && Double.isFinite(scale.getAsDouble()))) {
            throw new IllegalArgumentException("trainedScale must be positive and finite but was "
                    + scale.getAsDouble() + " (1: training crops showed images at their own scale)");
        }
        mirrors = mirrors.map(Set::copyOf);
        if (upscale.isPresent() && upscale.getAsInt() < 1) {
            throw new IllegalArgumentException("trainedUpscale must be >= 1 but was " + upscale.getAsInt()
                    + " (1: the model reads the image itself)");
        }
        significantBits.ifPresent(bits -> Checks.significantBits("trainedSignificantBits", bits));
    }

    /** This record with {@code value} as its framing. */
    public TrainingRecord withFraming(ImageFraming value) {
        return new TrainingRecord(Optional.of(Objects.requireNonNull(value, "framing")), scale, mirrors, upscale,
                significantBits);
    }

    /** This record with {@code value} as its scale. */
    public TrainingRecord withScale(double value) {
        return new TrainingRecord(framing, OptionalDouble.of(value), mirrors, upscale, significantBits);
    }

    /** This record with {@code value} as its mirror images (empty: the augmentation showed none). */
    public TrainingRecord withMirrors(Set<Mirror> value) {
        return new TrainingRecord(framing, scale, Optional.of(Objects.requireNonNull(value, "mirrors")), upscale,
                significantBits);
    }

    /** This record with {@code factor} as its upscale. */
    public TrainingRecord withUpscale(int factor) {
        return new TrainingRecord(framing, scale, mirrors, OptionalInt.of(factor), significantBits);
    }

    /** This record with {@code bits} as its significant bits. */
    public TrainingRecord withSignificantBits(int bits) {
        return new TrainingRecord(framing, scale, mirrors, upscale, OptionalInt.of(bits));
    }

    /** This record, taking each field it lacks from {@code other} (a run checkpointed before a field was recorded). */
    public TrainingRecord filledFrom(TrainingRecord other) {
        return new TrainingRecord(framing.or(other::framing), scale.isPresent() ? scale : other.scale,
                mirrors.or(other::mirrors), upscale.isPresent() ? upscale : other.upscale,
                significantBits.isPresent() ? significantBits : other.significantBits);
    }

    /**
     * The fields that {@code now} records otherwise than this record, one line each naming the field and both
     * values ({@code "trained upscale (UNet.trainedUpscale): x2 in the checkpoint, x4 now"}); a field either leaves
     * empty is no change. This record is the checkpoint's: continuing a run with another record would train its
     * remaining epochs on inputs made otherwise.
     */
    public List<String> changesTo(TrainingRecord now) {
        List<String> changes = new ArrayList<>();
        if (framing.isPresent() && now.framing.isPresent() && framing.get() != now.framing.get()) {
            changes.add("trained framing (UNet.trainedFraming): " + framing.get() + " in the checkpoint, "
                    + now.framing.get() + " now");
        }
        if (scale.isPresent() && now.scale.isPresent() && scale.getAsDouble() != now.scale.getAsDouble()) {
            changes.add("trained scale (TrainingRecord.scale): " + scale.getAsDouble() + " in the checkpoint, "
                    + now.scale.getAsDouble() + " now");
        }
        if (mirrors.isPresent() && now.mirrors.isPresent() && !mirrors.get().equals(now.mirrors.get())) {
            changes.add("trained mirror images (TrainingRecord.mirrors): " + sorted(mirrors.get())
                    + " in the checkpoint, " + sorted(now.mirrors.get()) + " now");
        }
        numberChange("trained upscale (UNet.trainedUpscale)", "x", upscale, now.upscale).ifPresent(changes::add);
        numberChange("trained significant bits (UNet.trainedSignificantBits)", "", significantBits,
                now.significantBits).ifPresent(changes::add);
        return changes;
    }

    /** {@code mirrors} in their declared order. */
    public static List<Mirror> sorted(Set<Mirror> mirrors) {
        return mirrors.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(mirrors));
    }

    private static Optional<String> numberChange(String what, String prefix, OptionalInt saved, OptionalInt now) {
        if (saved.isPresent() && now.isPresent() && saved.getAsInt() != now.getAsInt()) {
            return Optional.of(what + ": " + prefix + saved.getAsInt() + " in the checkpoint, " + prefix
                    + now.getAsInt() + " now");
        }
        return Optional.empty();
    }
}
