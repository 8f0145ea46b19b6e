package io.github.mdunet.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;

/** What every {@code -D} setting's {@code parse} must do with the values a user may type. */
public final class SettingParsing {

    private SettingParsing() {
    }

    /**
     * {@code parse} reads an unset ({@code null}) or blank value as {@code unset}, and each of {@code spellings} (in
     * any case, with spaces around) as the constant it maps to.
     */
    public static <T> void assertReadsUnsetBlankAndAnyCase(Function<String, T> parse, T unset,
            Map<String, T> spellings) {
        assertThat(parse.apply(null)).as("unset").isEqualTo(unset);
        assertThat(parse.apply(" ")).as("blank").isEqualTo(unset);
        spellings.forEach((spelling, value) -> assertThat(parse.apply(spelling)).as("'%s'", spelling)
                .isEqualTo(value));
    }
}
