package io.github.mdunet.examples.evaluate;

import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.metrics.SegmentationEvaluation;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes an evaluation to a folder: {@code evaluation.txt} (the tables as printed), {@code per-class.csv},
 * {@code confusion-matrix.csv} and {@code confusion-matrix.png}, {@code per-image.csv}, and the worst images' overlays
 * in {@code worst/} (image | truth | prediction), named by rank and stem; no {@code worst/} when none is drawn.
 */
public final class EvaluationFiles {

    private static final String TABLES = "evaluation.txt";
    private static final String PER_CLASS = "per-class.csv";
    private static final String CONFUSION_TABLE = "confusion-matrix.csv";
    private static final String CONFUSION_PICTURE = "confusion-matrix.png";
    private static final String PER_IMAGE = "per-image.csv";
    /** The files {@link #write} puts in its folder, beside {@code worst/}. */
    private static final List<String> FILES = List.of(TABLES, PER_CLASS, CONFUSION_TABLE, CONFUSION_PICTURE,
            PER_IMAGE);
    private static final String WORST = "worst";

    /** The overlays {@link #write} puts in {@code worst/}: {@code <rank>-<stem>.png}, a rank of two digits or more. */
    private static final Pattern WORST_PICTURE = Pattern.compile("\\d{2,}-.+\\.png");

    /**
     * What was drawn, for a report.
     *
     * @param confusion the confusion matrix picture
     * @param worst     the worst images' strips, worst first
     */
    public record Pictures(BufferedImage confusion, List<OverlayStrip.Picture> worst) {
    }

    private EvaluationFiles() {
    }

    /**
     * Writes every file; draws the {@code worst} lowest-scoring images with {@code evaluation}'s model first, so that a
     * failure while drawing (an image that can no longer be read) leaves an earlier evaluation in {@code directory}
     * as it was.
     */
    public static Pictures write(EvaluationResult result, FolderEvaluation evaluation, int worst, Path directory)
            throws IOException {
        List<OverlayStrip.Picture> strips = new ArrayList<>();
        for (ImageScore image : result.worst(worst)) {
            strips.add(evaluation.strip(image.sample()));
        }
        Files.createDirectories(directory);
        SegmentationEvaluation total = result.total();
        // Each file whole or not at all, as every file the apps write.
        AtomicFiles files = AtomicFiles.durable();
        files.writeString(directory.resolve(TABLES), total.stats());
        files.writeString(directory.resolve(PER_CLASS), perClassCsv(result));
        files.writeString(directory.resolve(CONFUSION_TABLE), confusionCsv(total.confusionMatrix(),
                result.classNames()));
        files.writeString(directory.resolve(PER_IMAGE), perImageCsv(result.images()));
        BufferedImage confusion = ConfusionMatrixImage.of(total.confusionMatrix(), result.classNames());
        files.writePng(directory.resolve(CONFUSION_PICTURE), confusion);
        Path worstDirectory = directory.resolve(WORST);
        removeEarlierOverlays(worstDirectory);
        if (!strips.isEmpty()) {
            Files.createDirectories(worstDirectory);
        } else if (Files.isDirectory(worstDirectory, LinkOption.NOFOLLOW_LINKS) && isEmpty(worstDirectory)) {
            Files.delete(worstDirectory);
        }
        for (int rank = 0; rank < strips.size(); rank++) {
            OverlayStrip.Picture strip = strips.get(rank);
            files.writePng(worstDirectory.resolve(String.format(Locale.ROOT, "%02d-%s.png", rank + 1,
                    strip.name())), strip.image());
        }
        return new Pictures(confusion, strips);
    }

    /**
     * The files of an earlier {@link #write} that {@code directory} holds, with {@code others} (the app's own, e.g.
     * its HTML page), as names relative to it: what a new evaluation there replaces.
     */
    public static List<String> earlierFiles(Path directory, List<String> others) throws IOException {
        List<String> found = new ArrayList<>();
        for (String name : Stream.concat(FILES.stream(), others.stream()).toList()) {
            if (Files.isRegularFile(directory.resolve(name))) {
                found.add(name);
            }
        }
        Path worstDirectory = directory.resolve(WORST);
        if (Files.isDirectory(worstDirectory)) {
            try (DirectoryStream<Path> overlays = Files.newDirectoryStream(worstDirectory, file ->
                    Files.isRegularFile(file) && WORST_PICTURE.matcher(file.getFileName().toString()).matches())) {
                List<String> pictures = new ArrayList<>();
                overlays.forEach(overlay -> pictures.add(WORST + "/" + overlay.getFileName()));
                pictures.stream().sorted().forEach(found::add);
            }
        }
        return found;
    }

    /** Deletes the overlays an earlier {@link #write} left in {@code worstDirectory}, and nothing else. */
    private static void removeEarlierOverlays(Path worstDirectory) throws IOException {
        if (!Files.isDirectory(worstDirectory)) {
            return;
        }
        try (DirectoryStream<Path> overlays = Files.newDirectoryStream(worstDirectory, file -> Files.isRegularFile(file)
                && WORST_PICTURE.matcher(file.getFileName().toString()).matches())) {
            for (Path overlay : overlays) {
                Files.delete(overlay);
            }
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    static String perClassCsv(EvaluationResult result) {
        SegmentationEvaluation total = result.total();
        long[][] confusion = total.confusionMatrix();
        StringBuilder csv = new StringBuilder("class,name,iou,dice,label_pixels,predicted_pixels,precision,recall\n");
        for (int k = 0; k < total.numClasses(); k++) {
            csv.append(String.format(Locale.ROOT, "%d,%s,%.6f,%.6f,%d,%d,%.6f,%.6f%n", k,
                    csvField(result.classNames().get(k)),
                    total.iou(k), total.dice(k), labelPixels(confusion, k), predictedPixels(confusion, k),
                    total.precision(k), total.recall(k)));
        }
        return csv.toString();
    }

    /** The pixels whose label is class {@code k}: row {@code k} of the confusion matrix (rows: actual class). */
    public static long labelPixels(long[][] confusion, int k) {
        long label = 0;
        for (long count : confusion[k]) {
            label += count;
        }
        return label;
    }

    /** The pixels predicted as class {@code k}: column {@code k} of the confusion matrix. */
    public static long predictedPixels(long[][] confusion, int k) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[k];
        }
        return predicted;
    }

    static String confusionCsv(long[][] confusion, List<String> classNames) {
        StringBuilder csv = new StringBuilder("actual\\predicted");
        classNames.forEach(name -> csv.append(',').append(csvField(name)));
        csv.append('\n');
        for (int a = 0; a < confusion.length; a++) {
            csv.append(csvField(classNames.get(a)));
            for (long count : confusion[a]) {
                csv.append(',').append(count);
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    /**
     * {@code value} as one CSV field (RFC 4180): in double quotes, inner quotes doubled, when it holds a comma, a quote
     * or a line break (a file named {@code dog, brown.png}); as it is otherwise.
     */
    static String csvField(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    static String perImageCsv(List<ImageScore> images) {
        StringBuilder csv = new StringBuilder("image,mask,mean_iou,pixel_accuracy\n");
        for (ImageScore score : images) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%.6f,%.6f%n",
                    csvField(score.sample().input().getFileName().toString()),
                    csvField(score.sample().target().getFileName().toString()), score.meanIoU(),
                    score.pixelAccuracy()));
        }
        return csv.toString();
    }
}
