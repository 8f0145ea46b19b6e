package io.github.mdunet.core.checks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The checks of settings that every module's configurations, builders and layers share, so that each failure reads
 * the same way: "{@code field} must be set (hint) but was null", "{@code field} must be >= min but was value".
 */
public final class Checks {

    private Checks() {
    }

    /**
     * The choices of a variant type as a message lists them: the records (or classes) a sealed type permits,
     * through sealed sub-types, or the constants of an enum, e.g. "one of PixelShuffle, Transposed, BilinearConv,
     * Bilinear". Read from the type, so a new variant is listed without editing a message.
     */
    public static String oneOf(Class<?> variantType) {
        return "one of " + String.join(", ", choiceNames(variantType));
    }

    private static List<String> choiceNames(Class<?> type) {
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants()).map(constant -> ((Enum<?>) constant).name()).toList();
        }
        if (!type.isSealed()) {
            return List.of(type.getSimpleName());
        }
        return Arrays.stream(type.getPermittedSubclasses()).flatMap(sub -> choiceNames(sub).stream()).toList();
    }

    /**
     * The constant of {@code unset}'s enum that {@code value}, the setting of the system property {@code property},
     * names in lower case (read in any case, blanks around it ignored), or {@code unset} when the property is missing
     * or blank. Any other value is refused with an {@link IllegalArgumentException} "-D{@code property} must be 'a'
     * or 'b' but was '{@code value}'; {@code hint}", the hint saying what each choice does.
     */
    public static <E extends Enum<E>> E propertyChoice(String property, String value, E unset, String hint) {
        if (value == null || value.isBlank()) {
            return unset;
        }
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        List<E> choices = List.of(unset.getDeclaringClass().getEnumConstants());
        for (E choice : choices) {
            if (propertyName(choice).equals(wanted)) {
                return choice;
            }
        }
        List<String> quoted = choices.stream().map(choice -> "'" + propertyName(choice) + "'").toList();
        throw new IllegalArgumentException("-D" + property + " must be "
                + String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1)
                + " but was '" + value + "'; " + hint);
    }

    private static String propertyName(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Throws an {@link IllegalArgumentException} "{@code field} must be set ({@code hint}) but was null" when
     * {@code value} is null.
     */
    public static void requireSet(String field, Object value, String hint) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be set (" + hint + ") but was null");
        }
    }

    /**
     * As {@link #requireSet(String, Object, String)}, the hint listing the choices of {@code variantType}
     * ({@link #oneOf}), read only when {@code value} is null.
     */
    public static void requireSet(String field, Object value, Class<?> variantType) {
        if (value == null) {
            requireSet(field, null, oneOf(variantType));
        }
    }

    /** Throws an {@link IllegalArgumentException} "{@code field} must be >= {@code min} but was {@code value}". */
    public static void atLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " but was " + value);
        }
    }

    /**
     * As {@link #atLeast(String, long, long)}, with what the bound means: "{@code field} must be >= {@code min}
     * ({@code meaning}) but was {@code value}".
     */
    public static void atLeast(String field, long value, long min, String meaning) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " (" + meaning + ") but was " + value);
        }
    }

    /**
     * Checks a setting of the bits of a 16-bit image sample that hold its value (16 for 0-65535, 12 for the 0-4095 of
     * a 12-bit camera): 1 to 16, or an {@link IllegalArgumentException} naming {@code field} and the value.
     */
    public static void significantBits(String field, int bits) {
        if (bits < 1 || bits > 16) {
            throw new IllegalArgumentException(field + " must be 1 to 16 (the bits of a 16-bit sample that hold its"
                    + " value: 16 for 0-65535, 12 for 0-4095) but was " + bits);
        }
    }
}
