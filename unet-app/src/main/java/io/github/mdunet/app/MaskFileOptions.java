package io.github.mdunet.app;

import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.validate.BadSamplePolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How an app reads the masks of a labelled folder: class-id PNGs or, with one of {@code --mask-values} (grey values
 * mapped to class ids), {@code --mask-palette-indices} (an indexed PNG's palette index is the class id) and
 * {@code --mask-palette} (colours mapped to class ids), another {@link MaskEncoding}; which values, indices or colours
 * {@code --mask-ignore} leaves out of loss and metrics; and whether {@code --skip-bad-files}
 * ({@link SkipBadFilesOption}) skips unreadable or inconsistent samples. A picocli mixin, so the apps that train on a
 * folder ({@link SegmentationFolderOptions}) and {@code evaluate}, which scores on one, read it alike.
 */
public final class MaskFileOptions {

    private static final String PALETTE_OPTION = "--mask-palette";
    private static final String VALUES_OPTION = "--mask-values";
    private static final String PALETTE_INDICES_OPTION = "--mask-palette-indices";
    private static final Pattern VALUE = Pattern.compile("\\d{1,5}");
    private static final Pattern COLOUR = Pattern.compile("#?[0-9a-fA-F]{6}");

    @Option(names = PALETTE_OPTION, paramLabel = "FILE|ID=#RRGGBB,...", converter = MaskPaletteConverter.class,
            description = "Colour masks: the colour of each class id, inline (e.g. " + MaskPaletteConverter.EXAMPLE
                    + ") or a file of such entries (one or more a line, # comments). Default: masks hold class ids.")
    private MaskEncoding.Palette maskPalette;

    @Option(names = VALUES_OPTION, paramLabel = "VALUE=ID,...", converter = MaskValuesConverter.class,
            description = "Greyscale masks whose grey values (0-255) map to class ids, e.g. "
                    + MaskValuesConverter.EXAMPLE + " for binary masks stored as black and white (0/255: ISIC,"
                    + " Carvana); a value not listed is an error. Default: the grey value is the class id.")
    private MaskEncoding.ValueMap maskValues;

    @Option(names = PALETTE_INDICES_OPTION, description = "Indexed-colour (palette) PNG masks whose palette index"
            + " is the class id, whatever colour shows it (Pascal VOC's SegmentationClass, labelme), as PIL reads"
            + " them; with --mask-ignore 255 for VOC's borders. Default: a palette of colours is refused.")
    private boolean maskPaletteIndices;

    // The description says the default in words: picocli's own would add "Default: []".
    @Option(names = "--mask-ignore", split = ",", paramLabel = "VALUE|#RRGGBB", showDefaultValue = Visibility.NEVER,
            description = "Mask values (class-id masks, 0-65535, e.g. 255 for Pascal VOC's borders; grey values 0-255"
                    + " with --mask-values; indices with --mask-palette-indices) or, with --mask-palette, colours"
                    + " (e.g. #E0E0C0) whose pixels count in neither the loss nor the metrics, as PyTorch's"
                    + " ignore_index. Default: every pixel counts.")
    private List<String> maskIgnore = List.of();

    @Mixin
    private SkipBadFilesOption skipBadFiles = new SkipBadFilesOption();

    /**
     * The option that chose the masks' encoding ({@code --mask-values}, {@code --mask-palette-indices} or
     * {@code --mask-palette}), empty for class-id masks; an app without a folder of masks refuses it by this name.
     */
    public Optional<String> encodingOption() {
        return encodingOptions().stream().findFirst().map(EncodingOption::option);
    }

    /** An option that says what the masks' pixels are, with its meaning. */
    private enum EncodingOption {
        VALUES,
        PALETTE_INDICES,
        PALETTE;

        /** The option's name on the command line. */
        String option() {
            return switch (this) {
                case VALUES -> VALUES_OPTION;
                case PALETTE_INDICES -> PALETTE_INDICES_OPTION;
                case PALETTE -> PALETTE_OPTION;
            };
        }

        /** What the option says the masks' pixels are. */
        String meaning() {
            return switch (this) {
                case VALUES -> "grey values mapped to class ids";
                case PALETTE_INDICES -> "an indexed PNG's palette index is the class id";
                case PALETTE -> "colours mapped to class ids";
            };
        }
    }

    private List<EncodingOption> encodingOptions() {
        List<EncodingOption> given = new ArrayList<>(3);
        if (maskValues != null) {
            given.add(EncodingOption.VALUES);
        }
        if (maskPaletteIndices) {
            given.add(EncodingOption.PALETTE_INDICES);
        }
        if (maskPalette != null) {
            given.add(EncodingOption.PALETTE);
        }
        return given;
    }

    /**
     * The encoding of the masks: the value map's grey values, the palette indices, the palette's colours, or class
     * ids; each with the ignored values, indices or colours.
     *
     * @throws IllegalArgumentException when more than one encoding option is given, or for a bad {@code --mask-ignore}
     */
    public MaskEncoding encoding() {
        List<EncodingOption> given = encodingOptions();
        if (given.size() > 1) {
            throw new IllegalArgumentException(String.join(" and ", given.stream().map(EncodingOption::option)
                    .toList()) + " are exclusive: each says what the masks' pixels are (" + String.join("; ",
                    given.stream().map(option -> option.option() + ": " + option.meaning()).toList())
                    + "): give the one that fits the masks");
        }
        Set<Integer> ignored = ignored();
        if (maskPalette != null) {
            return new MaskEncoding.Palette(maskPalette.idByRgb(), ignored);
        }
        if (maskValues != null) {
            return new MaskEncoding.ValueMap(maskValues.idByValue(), ignored);
        }
        return maskPaletteIndices ? new MaskEncoding.PaletteIndices(ignored) : new MaskEncoding.ClassIds(ignored);
    }

    /**
     * {@code --mask-ignore}'s values (0-65535: 8- or 16-bit masks; 0-255 with a value map) or, with a palette, colours
     * ({@code #RRGGBB}).
     *
     * @throws IllegalArgumentException for an entry of the wrong kind, out of range, or a value or colour that is
     *                                  mapped to a class
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
            } else if (maskValues != null) {
                if (!VALUE.matcher(text).matches() || Integer.parseInt(text) > 255) {
                    throw new IllegalArgumentException("--mask-ignore '" + entry + "' is not a grey value 0-255:"
                            + " with --mask-values the masks are 8-bit greyscale PNGs (give e.g. 128)");
                }
                int grey = Integer.parseInt(text);
                Integer id = maskValues.idByValue().get(grey);
                if (id != null) {
                    throw new IllegalArgumentException("--mask-ignore " + entry + ": --mask-values maps grey value "
                            + grey + " to class " + id + "; a value is either a class or ignored");
                }
                ignored.add(grey);
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
     * Refuses more than one encoding option, a palette or value map that maps to a class id of {@code classes} or
     * more, and {@code --mask-ignore} entries of the wrong kind or that the palette or value map maps.
     */
    public void check(CommandLine command, int classes) {
        try {
            encoding();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, e.getMessage());
        }
        if (maskPalette != null) {
            refuseIdsBeyond(command, EncodingOption.PALETTE, "colour", "palette", maskPalette.idByRgb(),
                    rgb -> String.format(Locale.ROOT, "#%06X", rgb), classes);
        }
        if (maskValues != null) {
            refuseIdsBeyond(command, EncodingOption.VALUES, "grey value", "map", maskValues.idByValue(),
                    String::valueOf, classes);
        }
    }

    private static void refuseIdsBeyond(CommandLine command, EncodingOption option, String kind, String tableName,
                                        Map<Integer, Integer> table, IntFunction<String> format, int classes) {
        table.entrySet().stream().filter(entry -> entry.getValue() >= classes)
                .min(Map.Entry.comparingByKey())
                .ifPresent(entry -> {
                    int highest = table.values().stream().mapToInt(Integer::intValue).max().orElse(0);
                    throw new CommandLine.ParameterException(command, String.format(Locale.ROOT,
                            "%s maps %s %s to class %d, but there are %d classes (ids 0 to %d): give %d classes or"
                                    + " fix the %s", option.option(), kind, format.apply(entry.getKey()),
                            entry.getValue(), classes, classes - 1, highest + 1, tableName));
                });
    }
}
