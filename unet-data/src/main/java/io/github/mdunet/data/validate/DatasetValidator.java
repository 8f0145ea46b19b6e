package io.github.mdunet.data.validate;

import io.github.mdunet.data.folder.FolderScanner;
import io.github.mdunet.data.folder.ImageToImageFolderConfig;
import io.github.mdunet.data.folder.PairSizes;
import io.github.mdunet.data.folder.Problem;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.LabelMask;
import io.github.mdunet.data.stats.MaskClassCounts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The fast pass before training: pairs the folders, then opens every file (in parallel) and checks what the
 * pipeline will rely on. For segmentation: every image decodes (8 or 16 bits); every mask decodes as a lossless mask
 * of the declared encoding, with every class id in {@code 0..numClasses-1}, and has its image's size; one warning
 * names the photos whose orientation tag turns them without a change of size ({@link MaskOrientations}); each mask's
 * class pixels are counted ({@link ValidationReport#maskCounts()}). For
 * image-to-image: both decode, the target is {@code scaleFactor} times the input. Each problem names the file, what
 * was expected and what was found; the report lists all of them.
 */
public final class DatasetValidator {

    private DatasetValidator() {
    }

    /** Validates a segmentation dataset (and its validation folders with {@link Split.ByFolder}). */
    public static ValidationReport validate(SegmentationFolderConfig config) {
        Map<Path, MaskClassCounts> counts = new ConcurrentHashMap<>();
        ValidationReport report = run(config.images(), config.masks(), config.split(),
                folderPair -> FolderScanner.pairByStem(folderPair[0], folderPair[1], config.maskSuffixes(), "image",
                        "mask"), pair -> checkSegmentation(pair, config, counts)).withMaskCounts(counts);
        List<SamplePair> usable = new ArrayList<>(report.training());
        usable.addAll(report.validation());
        return MaskOrientations.unconfirmed(config.images(), usable).map(report::withFolderProblem).orElse(report);
    }

    /** Validates an image-to-image dataset (and its validation folders with {@link Split.ByFolder}). */
    public static ValidationReport validate(ImageToImageFolderConfig config) {
        return run(config.inputs(), config.targets(), config.split(), folderPair -> FolderScanner.pairByStem(
                folderPair[0], folderPair[1], List.of(""), "input", "target"), pair -> checkImageToImage(pair, config));
    }

    private static ValidationReport run(Path inputs, Path targets, Split split,
                                        Function<Path[], FolderScanner.Scan> scanner,
                                        Function<SamplePair, List<Problem>> check) {
        long start = System.nanoTime();
        List<Problem> problems = new ArrayList<>();
        FolderScanner.Scan training = scanner.apply(new Path[] {inputs, targets});
        FolderScanner.Scan validation = split instanceof Split.ByFolder byFolder
                ? scanner.apply(new Path[] {byFolder.inputs(), byFolder.targets()})
                : new FolderScanner.Scan(List.of(), List.of());
        problems.addAll(training.problems());
        problems.addAll(validation.problems());
        List<SamplePair> usableTraining = new ArrayList<>();
        List<SamplePair> usableValidation = new ArrayList<>();
        checkAll(training.pairs(), check, usableTraining, problems);
        checkAll(validation.pairs(), check, usableValidation, problems);
        return new ValidationReport(usableTraining, usableValidation, problems,
                training.pairs().size() + validation.pairs().size(), (System.nanoTime() - start) / 1_000_000);
    }

    private static void checkAll(List<SamplePair> pairs, Function<SamplePair, List<Problem>> check,
                                 List<SamplePair> usable, List<Problem> problems) {
        List<List<Problem>> results = pairs.parallelStream().map(check).toList();
        for (int i = 0; i < pairs.size(); i++) {
            List<Problem> found = results.get(i);
            problems.addAll(found);
            if (found.stream().noneMatch(Problem::isError)) {
                usable.add(pairs.get(i));
            }
        }
    }

    /** The problems of one pair; the class pixels of its mask, when it reads, go into {@code counts}. */
    private static List<Problem> checkSegmentation(SamplePair pair, SegmentationFolderConfig config,
                                                   Map<Path, MaskClassCounts> counts) {
        List<Problem> problems = new ArrayList<>(0);
        DecodedImage image = readOrRecord(() -> ImageFiles.readImage(pair.input(), config.imageChannels(),
                config.significantBits()), problems);
        LabelMask mask = readOrRecord(() -> ImageFiles.readMask(pair.target(), config.encoding(), config.numClasses()),
                problems);
        if (mask != null) {
            counts.put(pair.target(), MaskClassCounts.of(mask, config.numClasses()));
        }
        if (image != null && mask != null) {
            PairSizes.maskProblem(mask.width(), mask.height(), pair.input(), Problem.shortName(pair.input()),
                    image.width(), image.height())
                    .ifPresent(problem -> problems.add(Problem.error(pair.target(), problem)));
        }
        return problems;
    }

    private static List<Problem> checkImageToImage(SamplePair pair, ImageToImageFolderConfig config) {
        List<Problem> problems = new ArrayList<>(0);
        DecodedImage input = readOrRecord(() -> ImageFiles.readImage(pair.input(), config.inputChannels(),
                config.significantBits()), problems);
        DecodedImage target = readOrRecord(() -> ImageFiles.readImage(pair.target(), config.targetChannels(),
                config.significantBits()), problems);
        if (input != null && target != null) {
            PairSizes.targetProblem(target.width(), target.height(), Problem.shortName(pair.input()), input.width(),
                    input.height(), config.scaleFactor())
                    .ifPresent(problem -> problems.add(Problem.error(pair.target(), problem)));
        }
        return problems;
    }

    /** What {@code read} returns, or null with its {@link BadFileException} recorded as an error. */
    private static <T> T readOrRecord(Supplier<T> read, List<Problem> problems) {
        try {
            return read.get();
        } catch (BadFileException e) {
            problems.add(Problem.of(e));
            return null;
        }
    }
}
