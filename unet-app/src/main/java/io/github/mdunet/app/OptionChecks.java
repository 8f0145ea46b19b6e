package io.github.mdunet.app;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.model.UNet;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The option checks the apps share, each failure a {@link CommandLine.ParameterException} ({@link ExitCode#BAD_OPTION})
 * that names the option, its value and, when given, the fix.
 */
public final class OptionChecks {

    private OptionChecks() {
    }

    /** Refuses {@code value < minimum}: "OPTION must be >= MINIMUM but was VALUE". */
    public static void atLeast(CommandLine command, String option, int value, int minimum) {
        if (value < minimum) {
            throw new CommandLine.ParameterException(command, option + " must be >= " + minimum + " but was " + value);
        }
    }

    /** Refuses {@code value < minimum}: "OPTION must be >= MINIMUM but was VALUE (HINT)". */
    public static void atLeast(CommandLine command, String option, int value, int minimum, String hint) {
        if (value < minimum) {
            throw new CommandLine.ParameterException(command, option + " must be >= " + minimum + " but was " + value
                    + " (" + hint + ")");
        }
    }

    /**
     * Whether {@code command}'s command line gave {@code option} (its field may hold the same value as its default,
     * so the field cannot tell): for options that only mean something together with another.
     */
    public static boolean given(CommandLine command, String option) {
        CommandLine.ParseResult parsed = command.getParseResult();
        return parsed != null && parsed.hasMatchedOption(option);
    }

    /**
     * "e.g. OPTION DEFAULT": the fix that suggests the option's default as {@code command}'s {@code --help} shows it
     * (the value the option's field held when the command line was made).
     */
    public static String defaultExample(CommandLine command, String option) {
        return "e.g. " + option + " " + command.getCommandSpec().findOption(option).defaultValueString();
    }

    /**
     * Refuses a value that is not a finite positive number: "OPTION must be a positive number but was VALUE (HINT)".
     */
    public static void positive(CommandLine command, String option, double value, String hint) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new CommandLine.ParameterException(command, option + " must be a positive number but was " + value
                    + " (" + hint + ")");
        }
    }

    /**
     * Refuses an output folder that cannot be one, before anything is read or written: {@code folder}, or the
     * nearest of its parents that exists, is a file (or something else that is not a folder). A folder that does not
     * exist yet is fine: the app makes it.
     */
    public static void outputFolder(CommandLine command, String option, Path folder) {
        Path given = folder.toAbsolutePath().normalize();
        for (Path path = given; path != null; path = path.getParent()) {
            if (Files.isDirectory(path)) {
                return;
            }
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                String what = Files.isRegularFile(path) ? " is a file, not a folder" : " is not a folder";
                throw new CommandLine.ParameterException(command, option + " " + folder
                        + (path.equals(given) ? what : ": " + path + what)
                        + ": give a folder (it is made when missing)");
            }
        }
    }

    /**
     * The configuration {@code build} makes, checked by {@link UNet#plan} (the input size against the encoder, nothing
     * allocated): one that cannot be built or planned is a bad option ({@link ExitCode#BAD_OPTION}) naming
     * {@code options}, the options that gave it (e.g. {@code "--encoder CLASSIC, --height 4, --width 4"}).
     */
    public static UNetConfig validUNet(CommandLine command, Supplier<UNetConfig> build, String options) {
        try {
            UNetConfig config = build.get();
            UNet.plan(config);
            return config;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, "the options give no valid U-Net (" + options + "): "
                    + e.getMessage());
        }
    }

    /**
     * Refuses {@code --significant-bits} outside 1 to 16 (the bits of a 16-bit image's samples that hold its value).
     */
    public static void significantBits(CommandLine command, int bits) {
        try {
            Checks.significantBits("--significant-bits", bits);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, e.getMessage());
        }
    }
}
