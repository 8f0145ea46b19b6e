package io.github.mdunet.examples.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The uploads folders DL4J's UI server makes in {@code java.io.tmpdir} each time it starts ({@code DL4JUI_<millis>},
 * in M2.1's {@code VertxUIServer.start}) and never deletes: the dashboard removes the one its start made, when it is
 * still empty, so that every run does not leave a folder behind.
 */
final class UploadFolders {

    /** The name DL4J's UI server gives the folder, before the start time in milliseconds. */
    static final String PREFIX = "DL4JUI_";

    private final Path parent;
    private final Set<Path> before;

    private UploadFolders(Path parent, Set<Path> before) {
        this.parent = parent;
        this.before = before;
    }

    /** The folders in {@code java.io.tmpdir} before a server starts. */
    static UploadFolders beforeStart() {
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        return new UploadFolders(parent, list(parent));
    }

    /**
     * Deletes the folders made since {@link #beforeStart()} whose start time lies in {@code [fromMillis,
     * toMillis]} and that are still empty; a folder that holds files is left alone.
     */
    void deleteEmptyNew(long fromMillis, long toMillis) {
        Set<Path> made = new HashSet<>(list(parent));
        made.removeAll(before);
        for (Path folder : made) {
            if (startMillis(folder) < fromMillis || startMillis(folder) > toMillis) {
                continue;
            }
            try {
                Files.deleteIfExists(folder);
            } catch (DirectoryNotEmptyException holdsUploads) {
                // an upload reached it: not ours to delete
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the training UI's empty uploads folder " + folder, e);
            }
        }
    }

    private static long startMillis(Path folder) {
        try {
            return Long.parseLong(folder.getFileName().toString().substring(PREFIX.length()));
        } catch (NumberFormatException notTheServers) {
            return Long.MIN_VALUE;
        }
    }

    private static Set<Path> list(Path parent) {
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the temporary folder " + parent, e);
        }
    }
}
