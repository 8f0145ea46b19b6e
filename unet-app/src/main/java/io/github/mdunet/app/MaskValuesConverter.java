package io.github.mdunet.app;

import io.github.mdunet.data.image.MaskEncoding;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * {@code --mask-values}: greyscale masks whose grey values map to class ids, {@code VALUE=ID} entries separated by
 * commas ({@code 0=0,255=1}, a binary mask stored as black and white). A malformed entry, a value outside 0-255 or a
 * value given twice is a bad option naming the entry.
 */
public final class MaskValuesConverter implements CommandLine.ITypeConverter<MaskEncoding.ValueMap> {

    /** What the option's help and errors show as an example: a binary mask stored as 0/255. */
    public static final String EXAMPLE = "0=0,255=1";

    private static final Pattern ENTRY = Pattern.compile("(\\d{1,5})=(\\d{1,5})");

    @Override
    public MaskEncoding.ValueMap convert(String value) {
        Map<Integer, Integer> idByValue = new LinkedHashMap<>();
        for (String entry : ClassIdEntries.split(value)) {
            Matcher matcher = ENTRY.matcher(entry);
            if (!matcher.matches()) {
                throw new CommandLine.TypeConversionException("'" + entry + "' is not an entry VALUE=ID (a grey"
                        + " value 0-255 of the masks, then its class id), e.g. " + EXAMPLE);
            }
            int grey = Integer.parseInt(matcher.group(1));
            int id = Integer.parseInt(matcher.group(2));
            if (grey > 255) {
                throw new CommandLine.TypeConversionException("'" + entry + "': grey value " + grey + " is not in"
                        + " 0-255 (values are 8-bit grey levels as viewers show them; a 16-bit mask holds class ids"
                        + " itself: drop --mask-values)");
            }
            ClassIdEntries.putOnce(idByValue, grey, id, "grey value " + grey, "value");
        }
        ClassIdEntries.requireEntries(idByValue, "'" + value + "'", "VALUE=ID", EXAMPLE);
        return new MaskEncoding.ValueMap(idByValue);
    }
}
