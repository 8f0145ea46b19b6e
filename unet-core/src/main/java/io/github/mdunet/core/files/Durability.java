package io.github.mdunet.core.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * How written data is made to survive a power loss: a file's content is synced before it is renamed into place, and
 * its directory after, so the new name never points to an empty or half-written file. {@link #fsync()} is the real
 * thing; tests substitute a recorder.
 */
public interface Durability {

    /** Forces {@code file}'s content and metadata to the storage device. */
    void syncFile(Path file) throws IOException;

    /** Forces {@code directory}'s entries (a rename into it) to the storage device. */
    void syncDirectory(Path directory) throws IOException;

    /**
     * {@code fsync(2)} through {@link FileChannel#force}. Windows cannot open a directory for syncing (and its renames
     * are journaled by NTFS), so there the directory sync is skipped.
     */
    static Durability fsync() {
        return Fsync.INSTANCE;
    }

    /** The real sync. */
    enum Fsync implements Durability {
        INSTANCE;

        private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
                .startsWith("windows");

        @Override
        public void syncFile(Path file) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            if (WINDOWS) {
                return;
            }
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }
}
