package io.github.mdunet.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.deeplearning4j.common.resources.DL4JResources;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * DL4J's resources directory (where the zoo's pretrained files are looked for) moved to an empty folder of its own for
 * each test, and put back and deleted afterwards: {@code @RegisterExtension final TemporaryDl4jResources resources =
 * new TemporaryDl4jResources();}, then {@link #directory()}.
 */
public final class TemporaryDl4jResources implements BeforeEachCallback, AfterEachCallback {

    private Path directory;

    /** The test's resources directory. */
    public Path directory() {
        return directory;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("dl4j-resources");
        DL4JResources.setBaseDirectory(directory.toFile());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        DL4JResources.resetBaseDirectoryLocation();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
