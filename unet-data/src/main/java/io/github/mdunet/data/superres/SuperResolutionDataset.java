package io.github.mdunet.data.superres;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.folder.Splits;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.SampleDepth;
import io.github.mdunet.data.pipeline.LabelFormat;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A folder of photographs for self-supervised super-resolution, split into training and held-out photographs.
 * Photographs with a side shorter than the patch cannot be cropped, and those of a depth that is not read (more than
 * 16 bits per sample: 32-bit and floating-point TIFFs) cannot be read: both are left out (listed in
 * {@link #skipped()}, with the reason). Only headers are read when opening, except that at fewer than 16
 * significant bits each 16-bit photograph is decoded once, to leave out those with samples above the range.
 */
public final class SuperResolutionDataset {

    private final Path folder;
    private final List<Path> training;
    private final List<Path> validation;
    private final List<String> skipped;
    private final int significantBits;

    private SuperResolutionDataset(Path folder, List<Path> training, List<Path> validation, List<String> skipped,
                                   int significantBits) {
        this.folder = folder;
        this.significantBits = significantBits;
        this.training = List.copyOf(training);
        this.validation = List.copyOf(validation);
        this.skipped = List.copyOf(skipped);
    }

    /**
     * Lists the images of {@code folder} ({@link ImageFiles#IMAGE_EXTENSIONS}; not its subfolders), sorted by name,
     * and holds out a fraction of them, chosen with {@code seed}.
     *
     * @param validationFraction in (0, 1): at least one photograph is held out and one kept for training
     * @param minimumSide        photographs whose width or height is smaller are left out (as are those of more than
     *                           16 bits per sample)
     * @throws IllegalArgumentException when fewer than two usable photographs remain, naming the folder
     */
    public static SuperResolutionDataset open(Path folder, double validationFraction, long seed, int minimumSide) {
        return open(folder, validationFraction, seed, minimumSide, SampleDepth.SIXTEEN_BIT.bits());
    }

    /**
     * As {@link #open(Path, double, long, int)}, reading 16-bit photographs as values of {@code significantBits}
     * bits (12: a 12-bit camera's 0-4095 over the whole 0-255 scale; {@link ImageFiles#readImage(Path, int, int)}).
     * A 16-bit photograph with a sample above that range is left out, with the bits its values need.
     *
     * @param significantBits 1 to 16 (16: samples read as 0-65535)
     * @throws IllegalArgumentException as {@link #open(Path, double, long, int)}, and for bits outside 1 to 16
     */
    public static SuperResolutionDataset open(Path folder, double validationFraction, long seed, int minimumSide,
                                              int significantBits) {
        Checks.significantBits("significantBits", significantBits);
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 1) but was " + validationFraction);
        }
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no folder " + folder.toAbsolutePath() + " of photographs");
        }
        List<Path> usable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).filter(ImageFiles::isListedImage).sorted().toList()) {
                try {
                    ImageFiles.Header header = ImageFiles.readHeader(file);
                    Optional<String> depth = ImageFiles.depthProblem(header);
                    if (depth.isPresent()) {
                        // Refused by ImageFiles.readImage: found here, not in the middle of training.
                        skipped.add(file.getFileName() + " (" + depth.get() + ")");
                    } else if (header.width() < minimumSide || header.height() < minimumSide) {
                        skipped.add(file.getFileName() + " (" + header.width() + "x" + header.height()
                                + ", smaller than " + minimumSide + ")");
                    } else {
                        if (significantBits < SampleDepth.SIXTEEN_BIT.bits() && header.bitsPerSample() == 16) {
                            ImageFiles.readImage(file, 1, significantBits); // refuses samples above the range
                        }
                        usable.add(file);
                    }
                } catch (BadFileException e) {
                    skipped.add(file.getFileName() + " (" + e.problem() + ")");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        if (usable.size() < 2) {
            throw new IllegalArgumentException(folder.toAbsolutePath() + " has " + usable.size() + " usable"
                    + " photographs (" + ImageFiles.imageExtensionList() + " of at least " + minimumSide + "x"
                    + minimumSide + "), but"
                    + " training and validation need at least one each" + (skipped.isEmpty() ? ""
                    : "; left out: " + skipped));
        }
        // Ranked by file name and seed alone: a photograph added, fixed or left out moves at most one other across.
        List<Path> ranked = Splits.inHoldOutOrder(usable, file -> file.getFileName().toString(), seed);
        int held = Splits.heldOutCount(usable.size(), validationFraction);
        List<Path> validation = new ArrayList<>(ranked.subList(0, held));
        List<Path> training = new ArrayList<>(ranked.subList(held, ranked.size()));
        Collections.sort(validation);
        Collections.sort(training);
        return new SuperResolutionDataset(folder, training, validation, skipped, significantBits);
    }

    public Path folder() {
        return folder;
    }

    /** The training photographs, sorted. */
    public List<Path> training() {
        return training;
    }

    /** The held-out photographs, sorted. */
    public List<Path> validation() {
        return validation;
    }

    /** Files left out, each with the reason. */
    public List<String> skipped() {
        return skipped;
    }

    /** The bits of a 16-bit photograph's samples that hold its value, as the photographs are read (16 by default). */
    public int significantBits() {
        return significantBits;
    }

    /**
     * Shuffled batches of random patches of the training photographs, {@code cropsPerImage} per photograph and
     * epoch, with random flips.
     */
    public PairedDataSetIterator trainIterator(Degradation degradation, ImageShape patch,
            InputNormalization normalization, int batchSize, int cropsPerImage, long seed) {
        return iterator(new SuperResolutionSource(training, degradation, patch, normalization, true, cropsPerImage,
                        significantBits),
                normalization, batchSize, true, seed);
    }

    /** Batches of the centre patch of each held-out photograph, in order, the same every epoch. */
    public PairedDataSetIterator validationIterator(Degradation degradation, ImageShape patch,
            InputNormalization normalization, int batchSize) {
        return iterator(new SuperResolutionSource(validation, degradation, patch, normalization, false, 1,
                        significantBits),
                normalization, batchSize, false, 0);
    }

    private static PairedDataSetIterator iterator(SuperResolutionSource source, InputNormalization normalization,
            int batchSize, boolean shuffle, long seed) {
        // The source crops and flips by itself: the pipeline's augmentation and label format are not used.
        PipelineConfig pipeline = new PipelineConfig(source.featureShape(), normalization, LabelFormat.CLASS_ID,
                AugmentConfig.NONE, batchSize, shuffle, seed, 2, 1);
        return new PairedDataSetIterator(source, pipeline);
    }
}
