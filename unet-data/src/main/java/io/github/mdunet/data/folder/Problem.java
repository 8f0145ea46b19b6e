package io.github.mdunet.data.folder;

import io.github.mdunet.data.image.BadFileException;
import java.nio.file.Path;

/**
 * One thing wrong with a dataset: the file (or folder) it concerns, what was expected and what was found.
 *
 * @param file     the offending file or folder
 * @param message  what was expected and found, without the file name
 * @param severity {@link Severity#ERROR} makes the sample (or the dataset) unusable; a warning does not
 * @param cause    the failure the problem was read from, when reading the file failed (an app words its own fix
 *                 from it, e.g. from a {@link io.github.mdunet.data.image.ClassIdRangeException}); null otherwise
 */
public record Problem(Path file, String message, Severity severity, BadFileException cause) {

    /** A problem found without a failure to read. */
    public Problem(Path file, String message, Severity severity) {
        this(file, message, severity, null);
    }

    /** How bad a problem is. */
    public enum Severity {
        /** The sample cannot be used (or, for a folder, the dataset cannot). */
        ERROR,
        /** Worth knowing, nothing is skipped (e.g. a mask without an image). */
        WARNING
    }

    public static Problem error(Path file, String message) {
        return new Problem(file, message, Severity.ERROR);
    }

    public static Problem warning(Path file, String message) {
        return new Problem(file, message, Severity.WARNING);
    }

    /** The error of a file that failed to read, as {@code failure} words it. */
    public static Problem of(BadFileException failure) {
        return new Problem(failure.file(), failure.problem(), Severity.ERROR, failure);
    }

    /** This problem worded as {@code value} (e.g. with an app's fix). */
    public Problem withMessage(String value) {
        return new Problem(file, value, severity, cause);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The file as {@code folder/name}, which is how messages show it. */
    public static String shortName(Path file) {
        Path name = file.getFileName();
        Path parent = file.getParent();
        if (name == null) {
            return file.toString();
        }
        return parent == null || parent.getFileName() == null ? name.toString()
                : parent.getFileName() + "/" + name;
    }

    /** Files as {@code folder/name}, folders with their full path (a folder name alone says too little). */
    @Override
    public String toString() {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        boolean isFile = name.contains(".") && !java.nio.file.Files.isDirectory(file);
        return (severity == Severity.WARNING ? "warning: " : "") + (isFile ? shortName(file) : file.toString()) + ": "
                + message;
    }
}
