package io.github.mdunet.data.synthetic;

import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.folder.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A harder benchmark segmentation dataset: photograph-like scenes of pasted, tinted, textured objects, where the
 * class is the texture, not the colour or the outline.
 *
 * <p>Classes: {@code 0} background, {@code 1} grass (fine streaks along one direction, slowly bending),
 * {@code 2} cells (Voronoi cells of flat random brightness with dark borders), {@code 3} waves (parallel wavy
 * stripes). Each image has a background of smooth two-colour value noise under a brightness ramp, often with
 * distractor textures at the objects' frequencies (isotropic fine noise, soft blotches, broad ripples) over all or
 * part of it, and 0 to 3 partly transparent background-class shapes, flat or with a distractor texture. Then 1 to 4
 * objects: smooth blobs or polygons of 8% to 45% of the longer side, anywhere (cut by the border), later ones on
 * top. An object's texture has a random scale, angle and contrast, mild shading, and a tint from the same colour
 * distribution as the background's, so colour statistics of all classes overlap. Object edges are anti-aliased in
 * the image; the mask is hard (a pixel is the class of the topmost object containing its centre). Last, a random
 * 3 x 3 blur (or none) and sensor noise.
 *
 * <p>{@link #write} puts {@code train/images}, {@code train/masks}, {@code heldout/images} and
 * {@code heldout/masks} under one folder (stems {@code train_00000}, {@code heldout_00000}, ...; masks are 8-bit
 * grey PNGs of class ids). Same configuration, byte-identical files: every scene is a pure function of the seed,
 * its subset and its index, and the held-out subset draws from a stream of its own. It refuses a {@code train/} or
 * {@code heldout/} folder that is not empty, so an output never holds files of an earlier one.
 */
public final class TexturedScenes {

    /** Class names by id. */
    public static final List<String> CLASS_NAMES = List.of("background", "grass", "cells", "waves");
    /** Number of class ids. */
    public static final int NUM_CLASSES = CLASS_NAMES.size();

    private TexturedScenes() {
    }

    /** The two subsets, each with its folder and its own random stream. */
    public enum Subset {
        /** Training images, {@code train/}. */
        TRAIN,
        /** Held-out images for a final evaluation, {@code heldout/}. */
        HELDOUT;

        /** The folder name under the output folder, also the file stem's prefix. */
        public String folder() {
            return switch (this) {
                case TRAIN -> "train";
                case HELDOUT -> "heldout";
            };
        }

        /** How many images {@code config} asks of this subset. */
        public int images(TexturedScenesConfig config) {
            return switch (this) {
                case TRAIN -> config.trainImages();
                case HELDOUT -> config.heldoutImages();
            };
        }

        /** What the scene seed mixes in, so that each subset draws from a stream of its own. */
        private long salt() {
            return switch (this) {
                case TRAIN -> 0x5EEDL;
                case HELDOUT -> 0xB0A7L;
            };
        }
    }

    /**
     * One rendered scene.
     *
     * @param rgb      {@code width*height} pixels as {@code 0xRRGGBB}, row-major
     * @param classIds {@code width*height} class ids in 0..3, row-major
     */
    public record Scene(int width, int height, int[] rgb, int[] classIds) {
    }

    /**
     * What {@link #write} wrote.
     *
     * @param folder  reads {@code train/} with {@code heldout/} as its validation folders ({@link Split.ByFolder}),
     *                or with no split when there are no held-out images
     * @param train   class pixel counts of the training masks
     * @param heldout class pixel counts of the held-out masks
     */
    public record Written(SegmentationFolderConfig folder, ClassBalance train, ClassBalance heldout) {
    }

    /** Renders image {@code index} of {@code subset}: the same arguments always give the same scene. */
    public static Scene render(TexturedScenesConfig config, Subset subset, int index) {
        return SceneRenderer.render(config.width(), config.height(), new SplittableRandom(sceneSeed(config.seed(),
                subset, index)));
    }

    /**
     * Writes both subsets of {@code config} under {@code out} and counts their classes.
     *
     * @throws IllegalArgumentException naming the folder when {@code out/train} or {@code out/heldout} is not empty
     *                                  (see {@link #occupiedFolder}); nothing is written then
     */
    public static Written write(TexturedScenesConfig config, Path out) {
        Optional<Path> occupied = occupiedFolder(out);
        if (occupied.isPresent()) {
            throw new IllegalArgumentException("output folder " + occupied.get() + " is not empty: the dataset would"
                    + " mix with the files there (fewer images or no held-out subset would leave earlier ones"
                    + " behind): choose another output folder or remove " + occupied.get());
        }
        ClassBalance train = writeSubset(config, Subset.TRAIN, out);
        ClassBalance heldout = writeSubset(config, Subset.HELDOUT, out);
        SegmentationFolderConfig folder = SegmentationFolderConfig.of(out.resolve(Subset.TRAIN.folder()), NUM_CLASSES);
        if (config.heldoutImages() > 0) {
            Path heldoutRoot = out.resolve(Subset.HELDOUT.folder());
            folder = folder.withSplit(SegmentationFolderConfig.validationFolder(heldoutRoot));
        }
        return new Written(folder, train, heldout);
    }

    /**
     * The first of {@code out/train} and {@code out/heldout} that exists and is not an empty folder, if any.
     * {@link #write} refuses such an output: it writes every file of a subset but deletes nothing, so over an earlier
     * output a smaller count, or no held-out subset, would leave that output's files in the dataset.
     */
    public static Optional<Path> occupiedFolder(Path out) {
        for (Subset subset : Subset.values()) {
            Path folder = out.resolve(subset.folder());
            if (Files.isDirectory(folder)) {
                try (Stream<Path> entries = Files.list(folder)) {
                    if (entries.findAny().isPresent()) {
                        return Optional.of(folder);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list the output folder " + folder, e);
                }
            } else if (Files.exists(folder)) {
                return Optional.of(folder);
            }
        }
        return Optional.empty();
    }

    private static ClassBalance writeSubset(TexturedScenesConfig config, Subset subset, Path out) {
        int images = subset.images(config);
        List<int[]> masks = new ArrayList<>(images);
        SegmentationFolderWriter writer = images > 0 ? SegmentationFolderWriter.create(out.resolve(subset.folder()))
                : null;
        for (int i = 0; i < images; i++) {
            Scene scene = render(config, subset, i);
            writer.write(String.format("%s_%05d", subset.folder(), i), scene.width(), scene.height(), scene.rgb(),
                    scene.classIds());
            masks.add(scene.classIds());
        }
        return ClassBalance.count(CLASS_NAMES, masks);
    }

    /** Scrambles seed, subset and index (SplitMix64's finaliser), so that no two scenes share a stream. */
    static long sceneSeed(long seed, Subset subset, int index) {
        return mix(mix(mix(seed) ^ subset.salt()) + index);
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
