package io.github.mdunet.data.validate;

import java.nio.file.Path;

/**
 * One thing wrong with a dataset: the file (or folder) it concerns, what was expected and what was found.
 *
 * @param file     the offending file or folder
 * @param message  what was expected and found, without the file name
 * @param severity {@link Severity#ERROR} makes the sample (or the dataset) unusable; a warning does not
 */
public record Problem(Path file, String message, Severity severity) {

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
