package io.github.mdunet.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.runtime.process.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark's scratch data is gone once its JVM has exited. */
class ScratchFoldersTest {

    private static final String PREFIX = "SCRATCH ";

    /** The child: makes a scratch folder with a file two levels down, prints its path and exits. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            Path folder = ScratchFolders.deletedAtExit("mdunet-scratch-test");
            Files.createDirectories(folder.resolve("images"));
            Files.writeString(folder.resolve("images/a.txt"), "data");
            System.out.println(PREFIX + folder);
        }
    }

    @Test
    void aScratchFolderAndItsContentsAreDeletedWhenTheJvmExits() throws Exception {
        String line = new ChildJvm("a benchmark making scratch data", List.of("-Xmx64m"), Child.class, List.of(),
                Duration.ofMinutes(1)).run(PREFIX).line();
        Path folder = Path.of(line.substring(PREFIX.length()).strip());
        assertThat(folder.getFileName().toString()).startsWith("mdunet-scratch-test");
        assertThat(folder).doesNotExist();
    }

    @Test
    void deleteTreeRemovesNestedFilesAndToleratesAMissingRoot(@TempDir Path directory)
            throws IOException {
        Path root = Files.createDirectories(directory.resolve("root/a/b"));
        Files.writeString(root.resolve("c.txt"), "x");
        ScratchFolders.deleteTree(directory.resolve("root"));
        assertThat(directory.resolve("root")).doesNotExist();
        ScratchFolders.deleteTree(directory.resolve("root"));
    }
}
