package io.github.mdunet.app;

import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.validate.BadSamplePolicy;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How an app reads the masks of a labelled folder: class-id PNGs or, with {@code --mask-palette}, colour PNGs; and
 * whether {@code --skip-bad-files} skips unreadable or inconsistent samples. A picocli mixin, so the apps that train
 * on a folder ({@link SegmentationFolderOptions}) and {@code evaluate}, which scores on one, read it alike.
 */
public final class MaskFileOptions {

    @Option(names = "--mask-palette", paramLabel = "FILE|ID=#RRGGBB,...", converter = MaskPaletteConverter.class,
            description = "Colour masks: the colour of each class id, inline (e.g. " + MaskPaletteConverter.EXAMPLE
                    + ") or a file of such entries (one or more a line, # comments). Default: masks hold class ids.")
    private MaskEncoding.Palette maskPalette;

    @Option(names = "--skip-bad-files", description = "Skip and report unreadable or inconsistent samples instead of"
            + " stopping.")
    private boolean skipBadFiles;

    /** Whether {@code --mask-palette} was given. */
    public boolean hasPalette() {
        return maskPalette != null;
    }

    /** The encoding of the masks: the palette's colours, or class ids. */
    public MaskEncoding encoding() {
        return maskPalette != null ? maskPalette : new MaskEncoding.ClassIds();
    }

    /** What reading the folder does with a bad sample: skip and report it, or stop. */
    public BadSamplePolicy badSamples() {
        return skipBadFiles ? BadSamplePolicy.SKIP : BadSamplePolicy.FAIL;
    }

    /** Refuses a palette that maps a colour to a class id of {@code classes} or more. */
    public void check(CommandLine command, int classes) {
        if (maskPalette == null) {
            return;
        }
        maskPalette.idByRgb().entrySet().stream().filter(entry -> entry.getValue() >= classes).findFirst()
                .ifPresent(entry -> {
                    int highest = maskPalette.idByRgb().values().stream().mapToInt(Integer::intValue).max()
                            .orElse(0);
                    throw new CommandLine.ParameterException(command, String.format(Locale.ROOT,
                            "--mask-palette maps colour #%06X to class %d, but there are %d classes (ids 0 to %d):"
                                    + " give %d classes or fix the palette", entry.getKey(), entry.getValue(), classes,
                            classes - 1, highest + 1));
                });
    }
}
