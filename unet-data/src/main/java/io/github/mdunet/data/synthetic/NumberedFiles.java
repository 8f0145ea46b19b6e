package io.github.mdunet.data.synthetic;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a generator numbers, {@code <prefix>_00000.png} on (more digits past 99999): their names, and the removal
 * of those an earlier, longer call left beyond the count, so that a folder holds exactly the files last asked for.
 */
final class NumberedFiles {

    private final String prefix;
    private final Pattern names;

    /** Files named {@code <prefix>_<number>.png}. */
    NumberedFiles(String prefix) {
        this.prefix = prefix;
        this.names = Pattern.compile(Pattern.quote(prefix) + "_(\\d{5,9})\\.png");
    }

    /** The name of file {@code index} without its extension: {@code <prefix>_00042}. */
    String stem(int index) {
        return String.format(Locale.ROOT, "%s_%05d", prefix, index);
    }

    /** The name of file {@code index}: {@code <prefix>_00042.png}. */
    String name(int index) {
        return stem(index) + ".png";
    }

    /** Deletes the numbered files of {@code folder} whose number is {@code first} or more; other files stay. */
    void deleteFrom(Path folder, int first) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, prefix + "_*.png")) {
            for (Path file : files) {
                Matcher numbered = names.matcher(file.getFileName().toString());
                if (numbered.matches() && Long.parseLong(numbered.group(1)) >= first && Files.isRegularFile(file)) {
                    Files.delete(file);
                }
            }
        }
    }
}
