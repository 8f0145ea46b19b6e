package io.github.mdunet.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on a directory for one run at a time: an operating-system lock on a file in it, so a killed
 * process releases it by dying and no stale lock has to be cleared by hand. The lock file holds the holder's process
 * id and start time, for the message a second run gets. It stays in the directory after {@link #close()}: deleting it
 * would let two runs lock two different files of the same name.
 */
public final class DirectoryLock implements AutoCloseable {

    /**
     * Lock files held by this process. Checked before opening the file again: closing any channel of a locked file
     * would release the process's operating-system lock on it.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    /** How {@link #acquire(Path, String, String)} opens the lock file. */
    static final LockFileOpener READ_WRITE = file -> FileChannel.open(file, StandardOpenOption.CREATE,
            StandardOpenOption.READ, StandardOpenOption.WRITE);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code directory} through its file {@code lockFileName} (created when missing).
     *
     * @param what the kind of run, for the message, e.g. {@code "training run"}
     * @throws DirectoryInUseException when another run, in this process or another, holds the lock
     */
    public static DirectoryLock acquire(Path directory, String lockFileName, String what) throws IOException {
        return acquire(directory, lockFileName, what, READ_WRITE);
    }

    /** {@link #acquire(Path, String, String)} with the lock file opened by {@code opener}. */
    static DirectoryLock acquire(Path directory, String lockFileName, String what, LockFileOpener opener)
            throws IOException {
        Files.createDirectories(directory);
        Path file = directory.toRealPath().resolve(lockFileName);
        if (!HELD.add(file)) {
            throw inUse(directory, what, "this process", lockFileName);
        }
        try {
            return lock(directory, file, what, lockFileName, opener.open(file));
        } catch (IOException | RuntimeException | Error e) {
            HELD.remove(file);
            throw e;
        }
    }

    /**
     * Takes the operating-system lock on {@code channel} and writes the holder line. When either fails the channel is
     * closed, which releases a lock taken on it: otherwise this process would keep the lock and refuse its own next
     * attempt as "another run (process [its own id])".
     */
    private static DirectoryLock lock(Path directory, Path file, String what, String lockFileName,
                                      FileChannel channel) throws IOException {
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw inUse(directory, what, holder(channel), lockFileName);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("process " + ProcessHandle.current().pid() + ", started "
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new DirectoryLock(file, channel, lock);
        } catch (IOException | RuntimeException | Error e) {
            try {
                channel.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private static DirectoryInUseException inUse(Path directory, String what, String holder, String lockFileName) {
        return new DirectoryInUseException(directory, directory + " is in use by another " + what
                + (holder.isEmpty() ? "" : " (" + holder + ")") + ": two runs in one directory would overwrite each"
                + " other's files. Wait for it to finish, or give this run another directory. (The lock is "
                + lockFileName + "; the operating system releases it when that process ends.)");
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(200);
            channel.read(buffer, 0);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD.remove(file);
            }
        }
    }

    /** Opens the lock file for reading and writing; tests give one whose channel fails. */
    @FunctionalInterface
    interface LockFileOpener {
        FileChannel open(Path file) throws IOException;
    }
}
