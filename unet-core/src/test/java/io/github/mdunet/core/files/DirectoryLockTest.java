package io.github.mdunet.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.runtime.process.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {

    @TempDir
    Path directory;

    @Test
    void aSecondHolderInThisProcessIsRefusedUntilTheFirstReleases() throws IOException {
        try (DirectoryLock first = DirectoryLock.acquire(directory, "run.lock", "training run")) {
            assertThatThrownBy(() -> DirectoryLock.acquire(directory, "run.lock", "training run"))
                    .isInstanceOf(DirectoryInUseException.class)
                    .hasMessageStartingWith(directory.toRealPath() + " is in use by another training run"
                            + " (this process)")
                    .hasMessageContaining("give this run another directory");
        }
        DirectoryLock.acquire(directory, "run.lock", "training run").close();
    }

    /**
     * Writing the holder line fails after the lock was taken (a full disk): the attempt throws that failure and
     * leaves nothing locked, so the next attempt in this process gets the lock.
     */
    @Test
    void aFailedWriteOfTheHolderLineReleasesTheLock() throws IOException {
        IOException diskFull = new IOException("No space left on device");
        assertThatThrownBy(() -> DirectoryLock.acquire(directory, "run.lock", "training run",
                file -> new FailingWritesChannel(DirectoryLock.READ_WRITE.open(file), diskFull)))
                .isSameAs(diskFull);
        DirectoryLock.acquire(directory, "run.lock", "training run").close();
    }

    /** Another process holds the lock: refused, naming it; once it is killed, the lock is free without clean-up. */
    @Test
    @Timeout(60)
    void aLockHeldByAnotherProcessIsRefusedAndFreedByItsDeath() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Process holder = new ChildJvm("the lock holder", List.of(), LockHolder.class, List.of(directory.toString()),
                Duration.ofMinutes(2)).start(lines::add);
        try {
            assertThat(lines.poll(60, TimeUnit.SECONDS)).isEqualTo("locked");
            assertThatThrownBy(() -> DirectoryLock.acquire(directory, "run.lock", "training run"))
                    .isInstanceOf(DirectoryInUseException.class)
                    .hasMessageContaining("is in use by another training run (process " + holder.pid() + ", started ");
        } finally {
            holder.destroyForcibly().waitFor();
        }
        DirectoryLock.acquire(directory, "run.lock", "training run").close();
    }

    /** The other process of {@link #aLockHeldByAnotherProcessIsRefusedAndFreedByItsDeath}: holds it until killed. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            DirectoryLock.acquire(Path.of(args[0]), "run.lock", "training run");
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
