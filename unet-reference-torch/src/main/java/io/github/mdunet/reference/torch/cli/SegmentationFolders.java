package io.github.mdunet.reference.torch.cli;

import io.github.mdunet.reference.torch.data.SegmentationFolder;
import io.github.mdunet.reference.torch.data.SegmentationSet;
import io.github.mdunet.reference.torch.spec.NetworkSpec;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The training and held-out folders that {@code train} reads: a picocli mixin. */
final class SegmentationFolders {

    @Option(names = "--data", required = true, description = "training folder with images/*.png and masks/*.png")
    Path data;

    @Option(names = "--heldout", required = true, description = "held-out folder with images/ and masks/")
    Path heldout;

    /** Both folders, read at the network's input size with its input normalisation and classes. */
    Loaded load(NetworkSpec spec) throws IOException {
        return new Loaded(read(data, spec), read(heldout, spec));
    }

    private static SegmentationSet read(Path dir, NetworkSpec spec) throws IOException {
        return SegmentationFolder.load(dir, spec.input().shape(), spec.inputNormalization(), spec.classes());
    }

    /** The sets of {@code --data} and {@code --heldout}. */
    record Loaded(SegmentationSet train, SegmentationSet heldout) {
    }
}
