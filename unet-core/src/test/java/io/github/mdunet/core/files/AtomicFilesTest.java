package io.github.mdunet.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path directory;

    /** Records what is synced, checking at each sync what a power loss at that moment would leave. */
    private final class Recorder implements Durability {
        final List<String> events = new ArrayList<>();
        final Path target;

        Recorder(Path target) {
            this.target = target;
        }

        @Override
        public void syncFile(Path file) throws IOException {
            events.add("file " + file.getFileName() + " = " + Files.readString(file) + ", target "
                    + (Files.exists(target) ? Files.readString(target) : "absent"));
        }

        @Override
        public void syncDirectory(Path synced) throws IOException {
            events.add("directory " + directory.relativize(synced) + ", target " + Files.readString(target));
        }
    }

    @Test
    void writeSyncsTheNewContentBeforeTheRenameAndTheDirectoryAfter() throws IOException {
        Path target = Files.writeString(directory.resolve("state.json"), "old");
        Recorder recorder = new Recorder(target);
        new AtomicFiles(recorder).write(target, file -> Files.writeString(file, "new"));
        assertThat(recorder.events).containsExactly("file state.json = new, target old", "directory , target new");
        assertThat(target).hasContent("new");
        assertDirectoryHoldsOnly(target);
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNothingElse() throws IOException {
        Path target = Files.writeString(directory.resolve("model.zip"), "old");
        assertThatThrownBy(() -> AtomicFiles.durable().write(target, file -> {
            Files.writeString(file, "half");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(target).hasContent("old");
        assertDirectoryHoldsOnly(target);
    }

    @Test
    void writePngAndWriteStringReplaceTheTargetAndLeaveNothingElse() throws IOException {
        Path picture = Files.writeString(directory.resolve("mask.png"), "old");
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(2, 1, 0, 300);
        AtomicFiles.durable().writePng(picture, image);
        assertThat(ImageIO.read(picture.toFile()).getRaster().getSample(2, 1, 0)).isEqualTo(300);
        Path text = Files.writeString(directory.resolve("list.txt"), "old");
        AtomicFiles.durable().writeString(text, "a_mask.png\n");
        assertThat(text).hasContent("a_mask.png");
        assertDirectoryHoldsOnly(picture, text);
    }

    @Test
    void moveRenamesAndSyncsTheDirectory() throws IOException {
        Path staged = Files.writeString(directory.resolve(".staged"), "new");
        Path target = directory.resolve("last.zip");
        Recorder recorder = new Recorder(target);
        new AtomicFiles(recorder).move(staged, target);
        assertThat(recorder.events).containsExactly("directory , target new");
        assertThat(staged).doesNotExist();
    }

    /** What killed writes leave, of this version (a directory) and of the first (a file), and nothing else. */
    @Test
    void deletePartialsRemovesWhatKilledWritesLeftAndOnlyThat() throws IOException {
        Path partialDirectory = Files.createDirectory(directory.resolve(".best.zip.1b2c.partial"));
        Files.writeString(partialDirectory.resolve("best.zip"), "half a model");
        Files.writeString(partialDirectory.resolve("zipfstmp123.tmp"), "half a rewrite");
        Path partialFile = Files.writeString(directory.resolve(".last.zip.9f8e.partial"), "half a model");
        Path model = Files.writeString(directory.resolve("last.zip"), "a model");
        Path named = Files.writeString(directory.resolve("notes.partial"), "a user's file");

        assertThat(AtomicFiles.deletePartials(directory)).containsExactlyInAnyOrder(partialDirectory, partialFile);
        assertDirectoryHoldsOnly(model, named);
    }

    /** The directory holds exactly these files (in any order), nothing left behind. */
    private void assertDirectoryHoldsOnly(Path... files) throws IOException {
        try (var entries = Files.list(directory)) {
            assertThat(entries).containsExactlyInAnyOrder(files);
        }
    }
}
