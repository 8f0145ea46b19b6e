package io.github.mdunet.core.files;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Writes files so that a reader, a crash or a power loss sees the old content or the new, never a mix: the content
 * goes to a private partial directory beside the target ({@code .<name>.<random>.partial/}), is synced, renamed over
 * the target in one atomic step, and the target's directory is synced. Whatever a killed write leaves behind is named
 * {@code .*.partial} and removed by {@link #deletePartials}.
 *
 * <p>The partial directory, rather than a partial file, also holds the temporary files of whatever the writer uses
 * (a zip file system rewrites its archive through a temporary file beside it), so a kill leaves nothing elsewhere.
 */
public final class AtomicFiles {

    /** Ends the name of everything a write in progress (or killed) keeps beside its target. */
    public static final String PARTIAL_SUFFIX = ".partial";

    private static final AtomicFiles DURABLE = new AtomicFiles(Durability.fsync());

    private final Durability durability;

    /** Writes that sync with {@code durability} (tests pass a recorder). */
    public AtomicFiles(Durability durability) {
        if (durability == null) {
            throw new IllegalArgumentException("AtomicFiles.durability must be set, e.g. Durability.fsync()");
        }
        this.durability = durability;
    }

    /** Writes synced with {@code fsync}. */
    public static AtomicFiles durable() {
        return DURABLE;
    }

    /** Writes the content of a file to the path it is given. */
    @FunctionalInterface
    public interface Content {
        /** Writes the whole content to {@code file} (which does not exist yet, in an existing directory). */
        void writeTo(Path file) throws IOException;
    }

    /**
     * Replaces {@code target} with what {@code content} writes, atomically and durably.
     *
     * @throws IOException from the content or the file system; {@code target} is then as it was
     */
    public void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        Path partial = directory.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + PARTIAL_SUFFIX);
        Files.createDirectory(partial);
        try {
            Path file = partial.resolve(absolute.getFileName());
            content.writeTo(file);
            durability.syncFile(file);
            Files.move(file, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            durability.syncDirectory(directory);
        } catch (Throwable e) {
            // The write's own failure is what the caller needs; one in cleaning up after it is added to it.
            try {
                deleteRecursively(partial);
            } catch (IOException | RuntimeException cleanUp) {
                e.addSuppressed(cleanUp);
            }
            throw e;
        }
        deleteRecursively(partial);
    }

    /** Replaces {@code target} with {@code text} in UTF-8, atomically and durably. */
    public void writeString(Path target, CharSequence text) throws IOException {
        write(target, file -> Files.writeString(file, text, StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code target} with {@code image} as a PNG, atomically and durably.
     *
     * @throws IOException also when no PNG writer takes the image's type (ImageIO's {@code false})
     */
    public void writePng(Path target, RenderedImage image) throws IOException {
        write(target, file -> {
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IOException(target + ": no PNG writer takes an image of " + image.getColorModel()
                        + " (draw it into a BufferedImage of TYPE_INT_RGB, TYPE_BYTE_GRAY or TYPE_USHORT_GRAY)");
            }
        });
    }

    /** Copies {@code source} over {@code target}, atomically and durably. */
    public void copy(Path source, Path target) throws IOException {
        write(target, file -> Files.copy(source, file));
    }

    /**
     * Renames {@code source} (a complete, synced file) over {@code target} in the same directory, atomically, and
     * syncs the directory.
     */
    public void move(Path source, Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.move(source, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        durability.syncDirectory(absolute.getParent());
    }

    /** Whether {@code path} is something a write in progress, or a killed one, left ({@code .*.partial}). */
    public static boolean isPartial(Path path) {
        String name = path.getFileName().toString();
        return name.startsWith(".") && name.endsWith(PARTIAL_SUFFIX);
    }

    /**
     * Deletes every {@code .*.partial} file or directory directly in {@code directory}: what killed writes left. Call
     * it only while no other process writes there (e.g. holding a {@link DirectoryLock}).
     *
     * @return the deleted paths
     */
    public static List<Path> deletePartials(Path directory) throws IOException {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return deleted;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, AtomicFiles::isPartial)) {
            for (Path entry : entries) {
                deleteRecursively(entry);
                deleted.add(entry);
            }
        }
        return deleted;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(path);
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path entry : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
