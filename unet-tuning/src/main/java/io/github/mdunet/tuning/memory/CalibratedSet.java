package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.DecoderWidths;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.Encoder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the cases the shipped correction ({@link MemoryCorrection#CPU_CALIBRATED}) was fitted on,
 * {@link MemoryCalibration#DEFAULT_CASES}, cover and show, per encoder and layer path: which encoders were measured,
 * at which input sizes, channel reductions and mid scales (the classic encoder also at which depths and widths), and
 * for which encoder the fit is low on every case; and, whatever the encoder, at which batch sizes and up to which peak.
 * {@link MemoryEstimator} notes an encoder, input size, reduction, mid scale, batch size or total outside them, with
 * what was measured for it after the fit, and raises the estimate of an encoder whose cases the fit estimates low
 * ({@link #shortfall}).
 */
final class CalibratedSet {

    /** An encoder as the calibration tells encoders apart, on one layer path. */
    record Family(String encoder, BlockLayers layers) {

        /** {@code classic} for a classic encoder of any depth and width, {@code zoo:NAME} for a zoo backbone. */
        static Family of(Encoder encoder, BlockLayers layers) {
            return new Family(EncoderShorthand.family(encoder), layers);
        }

        /** True for the classic encoders' family, of any depth and width. */
        boolean classic() {
            return encoder.equals(EncoderShorthand.CLASSIC);
        }

        /** The same encoder on the other layer path. */
        Family otherPath() {
            return new Family(encoder, layers == BlockLayers.FUSED ? BlockLayers.STOCK : BlockLayers.FUSED);
        }

        String path() {
            return switch (layers) {
                case FUSED -> "the fused blocks";
                case STOCK -> "DL4J's stock layers";
            };
        }
    }

    /** The values of one quantity the calibrated cases of a family were measured at, from least to most. */
    private record Span(int min, int max) {

        Span with(int value) {
            return new Span(Math.min(min, value), Math.max(max, value));
        }

        boolean contains(int value) {
            return value >= min && value <= max;
        }

        @Override
        public String toString() {
            return min == max ? Integer.toString(min) : min + " to " + max;
        }
    }

    /** The mid scales the calibrated cases of a family were measured at, from least to most. */
    private record ScaleSpan(double min, double max) {

        ScaleSpan with(ScaleSpan other) {
            return new ScaleSpan(Math.min(min, other.min), Math.max(max, other.max));
        }

        boolean contains(double scale) {
            return scale >= min && scale <= max;
        }

        @Override
        public String toString() {
            return min == max ? scale(min) : scale(min) + " to " + scale(max);
        }
    }

    /**
     * The input sizes (square), channel reductions and mid scales of a family's calibrated cases, and for the classic
     * encoder its depths and widths ({@code null} for any other encoder, which has neither).
     */
    private record Covered(Span sizes, Set<ChannelReduction> reductions, ScaleSpan midScales, Span depths,
                           Span widths) {

        static Covered of(CalibrationCase c, Encoder encoder) {
            ClassicEncoder classic = encoder instanceof ClassicEncoder e ? e : null;
            return new Covered(new Span(c.size(), c.size()), EnumSet.of(c.reduction()),
                    new ScaleSpan(c.midScale(), c.midScale()),
                    classic == null ? null : new Span(classic.depth(), classic.depth()),
                    classic == null ? null : new Span(classic.baseWidth(), classic.baseWidth()));
        }

        Covered with(Covered other) {
            Set<ChannelReduction> both = EnumSet.copyOf(reductions);
            both.addAll(other.reductions);
            return new Covered(sizes.with(other.sizes.min).with(other.sizes.max), both,
                    midScales.with(other.midScales),
                    depths == null ? null : depths.with(other.depths.min).with(other.depths.max),
                    widths == null ? null : widths.with(other.widths.min).with(other.widths.max));
        }
    }

    /**
     * A family whose every calibrated case the fit estimates low, beyond the 15% the calibration aims at: its
     * estimates are raised to the fit's times {@code factor}, the largest measured / estimated of those cases.
     *
     * @param factor   measured / fitted estimate of the case the fit is furthest below, above 1
     * @param evidence what was measured and estimated, and why the fit misses it where that is known
     */
    record Shortfall(double factor, String evidence) {
    }

    /** What the calibrated cases cover, per family, in the order of the cases. */
    private static final Map<Family, Covered> COVERED = covered();

    /** The batch sizes of the calibrated cases, whatever their family. */
    private static final Span BATCHES = MemoryCalibration.DEFAULT_CASES.stream()
            .map(c -> new Span(c.batch(), c.batch())).reduce((a, b) -> a.with(b.min).with(b.max)).orElseThrow();

    /**
     * The largest peak the calibration measured and its case (MemoryCalibrationTest checks both against the recorded
     * measurements): an estimate above it is extrapolated.
     */
    static final long LARGEST_MEASURED_BYTES = 14_960_967_680L;
    static final String LARGEST_MEASURED_CASE = "zoo:RESNET50_DL4J/512/8/EQ_SKIP/1.0";

    /**
     * The families whose calibrated cases the fit estimates low on every case, by more than the 15% the calibration
     * aims at (MemoryCalibrationTest checks this table against the recorded measurements).
     */
    private static final Map<Family, Shortfall> SHORTFALLS = Map.of(
            new Family("zoo:SQUEEZENET", BlockLayers.FUSED), new Shortfall(1.682, "its calibrated case,"
                    + " zoo:SQUEEZENET/128/8/EQ_SKIP/1.0/FUSED, measured 869.7 MiB where the fit estimates 517.4 MiB"
                    + " (40.5% below; 886.8, 862.0, 864.6 and 858 MiB in earlier measurements): its fire modules'"
                    + " convolutions carry no batch norm, unlike every other fused case, and the fit has no term for"
                    + " them"));

    private CalibratedSet() {
    }

    private static Map<Family, Covered> covered() {
        Map<Family, Covered> covered = new LinkedHashMap<>();
        for (CalibrationCase c : MemoryCalibration.DEFAULT_CASES) {
            Encoder encoder = EncoderShorthand.parse(c.encoder());
            covered.merge(Family.of(encoder, c.layers()), Covered.of(c, encoder), Covered::with);
        }
        return covered;
    }

    /**
     * One note per way {@code config}'s encoder, input size or decoder lies outside the calibrated cases on its layer
     * path: an encoder never calibrated there, a classic encoder's depth or width, an input side outside the sizes its
     * encoder was calibrated at, a channel reduction its encoder was not calibrated with, a mid scale outside those it
     * was calibrated at; each "not measured", or measured on the encoder's other layer path only.
     */
    static List<String> notes(UNetConfig config) {
        Encoder encoder = config.encoder();
        Family family = Family.of(encoder, config.layers());
        Covered covered = COVERED.get(family);
        List<String> notes = new ArrayList<>();
        if (covered == null) {
            notes.add(encoderNote(family, EncoderShorthand.nameOf(encoder)));
            return notes;
        }
        if (encoder instanceof ClassicEncoder classic
                && !(covered.depths.contains(classic.depth()) && covered.widths.contains(classic.baseWidth()))) {
            notes.add(String.format(Locale.ROOT, "%s is outside the calibration's classic encoders on %s (depths %s,"
                            + " widths %s): not measured", EncoderShorthand.nameOf(encoder), family.path(),
                    covered.depths, covered.widths));
        }
        int height = config.input().height();
        int width = config.input().width();
        String encoderName = family.classic() ? "classic encoders were" : family.encoder + " was";
        if (!covered.sizes.contains(height) || !covered.sizes.contains(width)) {
            notes.add(String.format(Locale.ROOT, "input %d x %d is outside the sizes %s calibrated at on %s (%s px"
                    + " square): not measured", height, width, encoderName, family.path(), covered.sizes));
        }
        String reductions = covered.reductions.stream().map(Enum::name).collect(Collectors.joining(", "));
        Optional<Covered> otherPath = Optional.ofNullable(COVERED.get(family.otherPath()));
        if (config.decoderWidths() instanceof DecoderWidths.ByRule byRule) {
            if (!covered.reductions.contains(byRule.rule())) {
                boolean there = otherPath.map(other -> other.reductions.contains(byRule.rule())).orElse(false);
                notes.add(String.format(Locale.ROOT, "reduction %s is outside those %s calibrated with on %s (%s):"
                                + " %s", byRule.rule(), encoderName, family.path(), reductions,
                        measuredOnOtherPath(family, there)));
            }
        } else {
            // DecoderWidths.Explicit: every calibrated case has its widths by a rule.
            notes.add(String.format(Locale.ROOT, "%s is outside the calibration, whose decoder widths all come from"
                    + " a reduction rule (for %s on %s: %s): not measured", config.decoderWidths(),
                    family.classic() ? "classic encoders" : family.encoder, family.path(), reductions));
        }
        if (!covered.midScales.contains(config.midChannelScale())) {
            boolean there = otherPath.map(other -> other.midScales.contains(config.midChannelScale())).orElse(false);
            notes.add(String.format(Locale.ROOT, "mid scale %s is outside those %s calibrated at on %s (%s): %s",
                    scale(config.midChannelScale()), encoderName, family.path(), covered.midScales,
                    measuredOnOtherPath(family, there)));
        }
        return notes;
    }

    /** How a value outside a family's cases was measured: on the encoder's other layer path, or not at all. */
    private static String measuredOnOtherPath(Family family, boolean there) {
        return there ? "measured on " + family.otherPath().path() + " only" : "not measured";
    }

    /** The note of a batch size outside those of every calibrated case, if {@code batchSize} is. */
    static Optional<String> batchNote(int batchSize) {
        return BATCHES.contains(batchSize) ? Optional.empty() : Optional.of(String.format(Locale.ROOT, "batch %d is"
                + " outside the batch sizes the calibration measured (%s): not measured", batchSize, BATCHES));
    }

    /** The note of an estimate above the largest measurement, if {@code total} is. */
    static Optional<String> totalNote(long total) {
        return total <= LARGEST_MEASURED_BYTES ? Optional.empty() : Optional.of("an estimate above "
                + MemoryBudget.format(LARGEST_MEASURED_BYTES) + ", the largest peak the calibration measured ("
                + LARGEST_MEASURED_CASE + "), is extrapolated: not measured");
    }

    /** A mid scale as notes write it: to 4 decimals, at least 1 ({@code 2.0}, {@code 0.5}, {@code 1.125}). */
    private static String scale(double midScale) {
        BigDecimal scale = BigDecimal.valueOf(midScale).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
        return (scale.scale() < 1 ? scale.setScale(1) : scale).toPlainString();
    }

    private static String encoderNote(Family family, String name) {
        Family otherPath = family.otherPath();
        if (COVERED.containsKey(otherPath)) {
            return "encoder " + name + " is calibrated on " + otherPath.path() + " only, not on " + family.path()
                    + ": not measured";
        }
        String calibrated = COVERED.keySet().stream().filter(f -> f.layers == family.layers)
                .map(f -> f.classic() ? EncoderShorthand.CLASSIC_FORM : f.encoder)
                .collect(Collectors.joining(", "));
        return "encoder " + name + " is outside the calibration (on " + family.path() + ": " + calibrated
                + "): not measured";
    }

    /** The shortfall of {@code config}'s encoder on its layer path, if the calibration showed one. */
    static Optional<Shortfall> shortfall(UNetConfig config) {
        return Optional.ofNullable(SHORTFALLS.get(Family.of(config.encoder(), config.layers())));
    }

    /** The note of an estimate raised for {@code shortfall} of {@code config}'s encoder. */
    static String shortfallNote(UNetConfig config, Shortfall shortfall) {
        Family family = Family.of(config.encoder(), config.layers());
        return String.format(Locale.ROOT, "%s on %s is estimated low by the calibration's fit: %s; so this estimate is"
                + " the fit's x %.3f", family.encoder, family.path(), shortfall.evidence, shortfall.factor);
    }
}
