package io.github.mdunet.app;

import io.github.mdunet.data.image.MaskEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * {@code --mask-palette}: colour masks whose colours map to class ids, given inline ({@code 0=#000000,1=#FF0000}) or
 * as a file of the same entries, one or more a line, where a line starting with {@code #} is a comment. Each entry is
 * {@code ID=#RRGGBB} (the {@code #} may be left out); a malformed entry, a colour given twice or an unreadable file is
 * a bad option naming the entry (and the file and line).
 */
public final class MaskPaletteConverter implements CommandLine.ITypeConverter<MaskEncoding.Palette> {

    /** What the option's help and errors show as an example. */
    public static final String EXAMPLE = "0=#000000,1=#FF0000,2=#00FF00";

    private static final Pattern ENTRY = Pattern.compile("(\\d{1,4})=#?([0-9a-fA-F]{6})");

    @Override
    public MaskEncoding.Palette convert(String value) {
        Path file = Path.of(value);
        if (Files.isRegularFile(file)) {
            return fromFile(file);
        }
        if (!value.contains("=")) {
            throw new CommandLine.TypeConversionException("'" + value + "' is neither a palette file nor an inline"
                    + " palette: give a file of ID=#RRGGBB lines, or the entries themselves, e.g. " + EXAMPLE);
        }
        Map<Integer, Integer> idByRgb = new LinkedHashMap<>();
        for (String entry : ClassIdEntries.split(value)) {
            add(idByRgb, entry, "'" + value + "'");
        }
        return palette(idByRgb, "'" + value + "'");
    }

    private static MaskEncoding.Palette fromFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new CommandLine.TypeConversionException("palette file " + file + " cannot be read: " + e);
        }
        Map<Integer, Integer> idByRgb = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            for (String entry : ClassIdEntries.split(line)) {
                add(idByRgb, entry, "palette file " + file + ", line " + (i + 1));
            }
        }
        return palette(idByRgb, "palette file " + file);
    }

    private static void add(Map<Integer, Integer> idByRgb, String entry, String where) {
        Matcher matcher = ENTRY.matcher(entry);
        if (!matcher.matches()) {
            throw new CommandLine.TypeConversionException(where + ": '" + entry + "' is not an entry ID=#RRGGBB"
                    + " (class id, then the colour in hexadecimal), e.g. " + EXAMPLE);
        }
        int id = Integer.parseInt(matcher.group(1));
        int rgb = Integer.parseInt(matcher.group(2), 16);
        ClassIdEntries.putOnce(idByRgb, rgb, id, where + ": colour " + String.format(Locale.ROOT, "#%06X", rgb),
                "colour");
    }

    private static MaskEncoding.Palette palette(Map<Integer, Integer> idByRgb, String where) {
        ClassIdEntries.requireEntries(idByRgb, where, "ID=#RRGGBB", EXAMPLE);
        return new MaskEncoding.Palette(idByRgb);
    }
}
