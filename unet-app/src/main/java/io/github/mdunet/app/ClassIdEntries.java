package io.github.mdunet.app;

import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The rules that {@code --mask-values} and {@code --mask-palette} share for their tables of class ids by grey value
 * or colour: entries are separated by commas or white space, a key names one class, and a table has an entry. The
 * errors are bad option values that say which key or which option text failed.
 */
final class ClassIdEntries {

    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");

    private ClassIdEntries() {
    }

    /** The entries of {@code text}, split at commas and white space; none when it is blank. */
    static String[] split(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? new String[0] : SEPARATORS.split(stripped);
    }

    /**
     * Maps {@code key} to class {@code id} in {@code idByKey}, refusing a key it maps already:
     * "{@code keyText} is given twice (class 1 and class 2); a {@code noun} names one class".
     */
    static void putOnce(Map<Integer, Integer> idByKey, int key, int id, String keyText, String noun) {
        Integer earlier = idByKey.put(key, id);
        if (earlier != null) {
            throw new CommandLine.TypeConversionException(keyText + " is given twice (class " + earlier
                    + " and class " + id + "); a " + noun + " names one class");
        }
    }

    /**
     * Refuses a table without entries: "{@code where} has no entry; give {@code entryForm} entries, e.g.
     * {@code example}".
     */
    static void requireEntries(Map<Integer, Integer> idByKey, String where, String entryForm, String example) {
        if (idByKey.isEmpty()) {
            throw new CommandLine.TypeConversionException(where + " has no entry; give " + entryForm
                    + " entries, e.g. " + example);
        }
    }
}
