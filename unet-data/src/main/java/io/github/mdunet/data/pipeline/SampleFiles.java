package io.github.mdunet.data.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How the sample sources name a file in a sample's identity ({@link SampleSource#identity}). */
public final class SampleFiles {

    private SampleFiles() {
    }

    /** {@code name.png (1234 bytes)}, or {@code name.png (missing)}. */
    public static String nameAndSize(Path file) {
        try {
            return file.getFileName() + " (" + Files.size(file) + " bytes)";
        } catch (IOException e) {
            return file.getFileName() + " (missing)";
        }
    }
}
