package io.github.mdunet.examples.dashboard;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uploads folders DL4J's UI server makes in {@code java.io.tmpdir} each time it starts ({@code DL4JUI_<millis>},
 * in M2.1's {@code VertxUIServer.start}) and never deletes: the dashboard removes the one its start made, when it is
 * still empty, so that every run does not leave a folder behind. A clean-up that cannot run (an unreadable temporary
 * folder) is logged and never fails the run; when two folders appeared in the start's window (another process's
 * server started then too), neither is touched.
 */
final class UploadFolders {

    /** The name DL4J's UI server gives the folder, before the start time in milliseconds. */
    static final String PREFIX = "DL4JUI_";

    private static final Logger LOG = LoggerFactory.getLogger(UploadFolders.class);

    private final Path parent;
    private final Set<Path> before; // null when the folder could not be listed
    private final long fromMillis;
    private final long toMillis;

    private UploadFolders(Path parent, Set<Path> before, long fromMillis, long toMillis) {
        this.parent = parent;
        this.before = before;
        this.fromMillis = fromMillis;
        this.toMillis = toMillis;
    }

    /** The folders in {@code java.io.tmpdir} as a server starts. */
    static UploadFolders beforeStart() {
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        long now = System.currentTimeMillis();
        try {
            return new UploadFolders(parent, list(parent), now, Long.MAX_VALUE);
        } catch (IOException e) {
            LOG.warn("cannot list the temporary folder {}: the training UI's uploads folder stays there", parent, e);
            return new UploadFolders(parent, null, now, Long.MAX_VALUE);
        }
    }

    /** These folders with the start's window closed now, once the server has started (or failed to). */
    UploadFolders started() {
        return new UploadFolders(parent, before, fromMillis, System.currentTimeMillis());
    }

    /**
     * Deletes the one folder made in the start's window, when it is still empty; a folder that holds files, and two
     * folders made in the window, are left alone.
     */
    void deleteEmptyNew() {
        if (before == null) {
            return;
        }
        Path folder = parent;
        try {
            List<Path> made = list(parent).stream().filter(candidate -> !before.contains(candidate)
                    && startMillis(candidate) >= fromMillis && startMillis(candidate) <= toMillis).toList();
            if (made.size() != 1) {
                return; // none, or another server's beside ours: not knowably ours
            }
            folder = made.get(0);
            Files.deleteIfExists(folder);
        } catch (DirectoryNotEmptyException holdsUploads) {
            // an upload reached it: its files are not ours to delete
        } catch (IOException e) {
            LOG.warn("cannot delete the training UI's empty uploads folder in {}", folder, e);
        }
    }

    private static long startMillis(Path folder) {
        try {
            return Long.parseLong(folder.getFileName().toString().substring(PREFIX.length()));
        } catch (NumberFormatException notTheServers) {
            return Long.MIN_VALUE;
        }
    }

    private static Set<Path> list(Path parent) throws IOException {
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
                    .collect(Collectors.toSet());
        }
    }
}
