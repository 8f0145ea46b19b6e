package io.github.mdunet.data.folder;

import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.validate.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Pairs the files of two folders by stem, reporting folder-level problems: a missing or empty folder, an input
 * without a target (naming every file name looked for), two inputs with one stem, two targets matching one input,
 * and (as a warning) targets without an input.
 *
 * <p>A target name is matched exactly first; a target whose name differs only in case (an image {@code IMG_1.JPG}
 * with the mask {@code img_1.png}) is taken when it is the only such file. When several files differ from the name
 * looked for only in case ({@code Cat.png} and {@code cat.png} for {@code CAT.png}) that is an error naming them,
 * not a pick that depends on the listing order. Folders and files are compared as normalised absolute paths, so
 * {@code root} and {@code root/.} are the same folder and no file is paired with itself.
 */
public final class FolderScanner {

    /** File extensions tried for targets, in order of preference. */
    private static final List<String> TARGET_EXTENSIONS = List.of("png", "bmp", "jpg", "jpeg");

    private FolderScanner() {
    }

    /**
     * The pairs found, sorted by stem, and the problems.
     *
     * @param pairs    usable pairs (their files are not opened yet)
     * @param problems what is wrong with the folders
     */
    public record Scan(List<SamplePair> pairs, List<Problem> problems) {
        public Scan {
            pairs = List.copyOf(pairs);
            problems = List.copyOf(problems);
        }
    }

    /**
     * Pairs {@code inputs/<stem>.<ext>} with {@code targets/<stem><suffix>.<ext>}.
     *
     * @param inputKind  what inputs are called in messages ("image", "input")
     * @param targetKind what targets are called in messages ("mask", "target")
     */
    public static Scan pairByStem(Path inputs, Path targets, List<String> suffixes, String inputKind,
                                  String targetKind) {
        List<Problem> problems = new ArrayList<>();
        List<Path> inputFiles = listImages(inputs, inputKind, problems);
        if (inputFiles == null) {
            return new Scan(List.of(), problems);
        }
        boolean shared = samePath(inputs, targets);
        if (shared) {
            inputFiles = inputFiles.stream().filter(f -> suffixes.stream()
                    .noneMatch(s -> !s.isEmpty() && ImageFiles.stem(f).endsWith(s))).toList();
        }
        if (inputFiles.isEmpty()) {
            problems.add(Problem.error(inputs, "no " + inputKind + " files (" + extensions() + ") in this folder;"
                    + " expected at least one"));
            return new Scan(List.of(), problems);
        }
        if (!Files.isDirectory(targets)) {
            problems.add(Problem.error(targets, "folder not found; expected the folder of " + targetKind + "s"));
            return new Scan(List.of(), problems);
        }
        List<Path> targetFiles;
        try (Stream<Path> files = Files.list(targets)) {
            targetFiles = files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            problems.add(Problem.error(targets, "cannot list the folder: " + e.getMessage()));
            return new Scan(List.of(), problems);
        }
        Map<String, Path> targetsByName = new HashMap<>();
        Map<String, List<Path>> targetsByLowerCaseName = new HashMap<>();
        for (Path file : targetFiles) {
            String name = file.getFileName().toString();
            targetsByName.put(name, file);
            targetsByLowerCaseName.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(file);
        }
        Set<Path> inputSet = new HashSet<>();
        inputFiles.forEach(f -> inputSet.add(normalized(f)));
        Map<String, List<Path>> inputsByStem = new LinkedHashMap<>();
        for (Path file : inputFiles) {
            inputsByStem.computeIfAbsent(ImageFiles.stem(file), s -> new ArrayList<>()).add(file);
        }
        List<SamplePair> pairs = new ArrayList<>();
        Set<Path> usedTargets = new HashSet<>();
        for (Map.Entry<String, List<Path>> entry : inputsByStem.entrySet()) {
            String stem = entry.getKey();
            List<Path> sameStem = entry.getValue();
            if (sameStem.size() > 1) {
                problems.add(Problem.error(sameStem.get(0), sameStem.size() + " " + inputKind + "s share the stem '"
                        + stem + "' (" + names(sameStem) + "); expected one per stem, so the " + targetKind
                        + " is not ambiguous"));
                continue;
            }
            Path input = sameStem.get(0);
            List<Path> found = new ArrayList<>();
            List<String> lookedFor = new ArrayList<>();
            List<Path> caseOnly = List.of();
            String caseOnlyName = "";
            for (String suffix : suffixes) {
                for (String extension : TARGET_EXTENSIONS) {
                    String name = stem + suffix + "." + extension;
                    if (extension.equals("png")) {
                        lookedFor.add(Problem.shortName(targets.resolve(name)));
                    }
                    // The exact name first; another case only when it is the one file of that name in any case.
                    Path exact = targetsByName.get(name);
                    List<Path> anyCase = exact != null ? List.of(exact)
                            : targetsByLowerCaseName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
                    List<Path> matches = anyCase.stream().filter(f -> !samePath(f, input)).toList();
                    if (matches.size() > 1) {
                        caseOnly = matches;
                        caseOnlyName = name;
                    } else {
                        found.addAll(matches);
                    }
                }
            }
            if (!caseOnly.isEmpty()) {
                problems.add(Problem.error(input, caseOnly.size() + " " + targetKind + "s differ from " + caseOnlyName
                        + " only in case: " + names(caseOnly) + "; expected one (name the " + targetKind + " exactly "
                        + caseOnlyName + ", or rename or remove the others)"));
                usedTargets.addAll(caseOnly);
                usedTargets.addAll(found);
            } else if (found.isEmpty()) {
                problems.add(Problem.error(input, "has no " + targetKind + ": looked for "
                        + String.join(", ", lookedFor) + " (also ."
                        + String.join(", .", TARGET_EXTENSIONS.subList(1, TARGET_EXTENSIONS.size())) + ")"));
            } else if (found.size() > 1) {
                problems.add(Problem.error(input, found.size() + " " + targetKind + "s match: " + names(found)
                        + "; expected exactly one"));
                usedTargets.addAll(found);
            } else {
                pairs.add(new SamplePair(stem, input, found.get(0)));
                usedTargets.add(found.get(0));
            }
        }
        targetFiles.stream()
                .filter(f -> !usedTargets.contains(f) && !inputSet.contains(normalized(f)))
                .filter(f -> TARGET_EXTENSIONS.contains(ImageFiles.extension(f)))
                .forEach(f -> problems.add(Problem.warning(f, "a " + targetKind + " without an " + inputKind
                        + " (no " + Problem.shortName(inputs.resolve(ImageFiles.stem(f))) + ".* for any suffix "
                        + suffixes + "); ignored")));
        return new Scan(pairs, problems);
    }

    /** Whether two spellings name the same folder or file: {@code root} and {@code root/.} do. */
    public static boolean samePath(Path a, Path b) {
        return normalized(a).equals(normalized(b));
    }

    private static Path normalized(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private static List<Path> listImages(Path folder, String kind, List<Problem> problems) {
        if (!Files.isDirectory(folder)) {
            problems.add(Problem.error(folder, "folder not found; expected a folder of " + kind + " files ("
                    + extensions() + ")"));
            return null;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> ImageFiles.IMAGE_EXTENSIONS.contains(ImageFiles.extension(f)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add(Problem.error(folder, "cannot list the folder: " + e.getMessage()));
            return null;
        }
    }

    private static String extensions() {
        return new TreeSet<>(ImageFiles.IMAGE_EXTENSIONS).stream().map(e -> "." + e).collect(Collectors.joining(", "));
    }

    private static String names(List<Path> files) {
        return files.stream().map(Problem::shortName).collect(Collectors.joining(", "));
    }
}
