package io.github.mdunet.app;

import java.util.function.Function;
import picocli.CommandLine;

/**
 * An option's type converter that hands the value to a parser whose {@link IllegalArgumentException} names the value
 * and the accepted forms: picocli shows that message as the option's error ({@link ExitCode#BAD_OPTION}).
 *
 * @param <T> the option's type
 */
public abstract class ParsingConverter<T> implements CommandLine.ITypeConverter<T> {

    private final Function<String, T> parser;

    protected ParsingConverter(Function<String, T> parser) {
        this.parser = parser;
    }

    @Override
    public final T convert(String value) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
