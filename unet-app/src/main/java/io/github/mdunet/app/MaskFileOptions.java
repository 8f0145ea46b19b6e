package io.github.mdunet.app;

import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.validate.BadSamplePolicy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How an app reads the masks of a labelled folder: class-id PNGs or, with {@code --mask-palette}, colour PNGs; which
 * values or colours {@code --mask-ignore} leaves out of loss and metrics; and whether {@code --skip-bad-files}
 * ({@link SkipBadFilesOption}) skips unreadable or inconsistent samples. A picocli mixin, so the apps that train on a
 * folder ({@link SegmentationFolderOptions}) and {@code evaluate}, which scores on one, read it alike.
 */
public final class MaskFileOptions {

    private static final Pattern VALUE = Pattern.compile("\\d{1,5}");
    private static final Pattern COLOUR = Pattern.compile("#?[0-9a-fA-F]{6}");

    @Option(names = "--mask-palette", paramLabel = "FILE|ID=#RRGGBB,...", converter = MaskPaletteConverter.class,
            description = "Colour masks: the colour of each class id, inline (e.g. " + MaskPaletteConverter.EXAMPLE
                    + ") or a file of such entries (one or more a line, # comments). Default: masks hold class ids.")
    private MaskEncoding.Palette maskPalette;

    // The description says the default in words: picocli's own would add "Default: []".
    @Option(names = "--mask-ignore", split = ",", paramLabel = "VALUE|#RRGGBB", showDefaultValue = Visibility.NEVER,
            description = "Mask values (class-id masks, 0-65535, e.g. 255 for Pascal VOC's borders) or, with"
                    + " --mask-palette, colours (e.g. #E0E0C0) whose pixels count in neither the loss nor the metrics,"
                    + " as PyTorch's ignore_index. Default: every pixel counts.")
    private List<String> maskIgnore = List.of();

    @Mixin
    private SkipBadFilesOption skipBadFiles = new SkipBadFilesOption();

    /** Whether {@code --mask-palette} was given. */
    public boolean hasPalette() {
        return maskPalette != null;
    }

    /** The encoding of the masks: the palette's colours, or class ids; either with the ignored values or colours. */
    public MaskEncoding encoding() {
        Set<Integer> ignored = ignored();
        return maskPalette != null ? new MaskEncoding.Palette(maskPalette.idByRgb(), ignored)
                : new MaskEncoding.ClassIds(ignored);
    }

    /**
     * {@code --mask-ignore}'s values (0-65535: 8- or 16-bit masks) or, with a palette, colours ({@code #RRGGBB}).
     *
     * @throws IllegalArgumentException for an entry of the wrong kind, out of range, or a colour the palette maps
     */
    private Set<Integer> ignored() {
        Set<Integer> ignored = new LinkedHashSet<>();
        for (String entry : maskIgnore) {
            String text = entry.strip();
            if (maskPalette != null) {
                if (!COLOUR.matcher(text).matches()) {
                    throw new IllegalArgumentException("--mask-ignore '" + entry + "' is not a colour: with"
                            + " --mask-palette the masks are colour PNGs, so give colours #RRGGBB, e.g. #E0E0C0");
                }
                int rgb = Integer.parseInt(text.replace("#", ""), 16);
                Integer id = maskPalette.idByRgb().get(rgb);
                if (id != null) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "--mask-ignore %s: --mask-palette"
                            + " maps colour #%06X to class %d; a colour is either a class or ignored", entry, rgb, id));
                }
                ignored.add(rgb);
            } else {
                if (!VALUE.matcher(text).matches() || Integer.parseInt(text) > 65535) {
                    throw new IllegalArgumentException("--mask-ignore '" + entry + "' is not a mask value 0-65535:"
                            + " class-id masks are greyscale PNGs (give e.g. 255); for colour masks give"
                            + " --mask-palette and colours #RRGGBB");
                }
                ignored.add(Integer.parseInt(text));
            }
        }
        return ignored;
    }

    /** What reading the folder does with a bad sample: skip and report it, or stop. */
    public BadSamplePolicy badSamples() {
        return skipBadFiles.policy();
    }

    /**
     * Refuses a palette that maps a colour to a class id of {@code classes} or more, and {@code --mask-ignore}
     * entries that are not values 0-255 (class-id masks) or colours the palette does not map.
     */
    public void check(CommandLine command, int classes) {
        try {
            ignored();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, e.getMessage());
        }
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
