package io.github.mdunet.examples.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary folders for a benchmark's own data (synthetic images, checkpoints), deleted with their contents when the
 * JVM exits, so that repeated runs do not fill the temporary directory.
 */
final class ScratchFolders {

    private ScratchFolders() {
    }

    /** A new folder in the temporary directory, named from {@code prefix}, deleted when this JVM exits. */
    static Path deletedAtExit(String prefix) throws IOException {
        Path folder = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(folder), "delete " + folder));
        return folder;
    }

    /** Deletes {@code root} and everything in it, as far as it can: what cannot be deleted stays. */
    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // Left for the system's cleaning of its temporary directory.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // The tree is gone already, or cannot be read: nothing more to do at exit.
        }
    }
}
