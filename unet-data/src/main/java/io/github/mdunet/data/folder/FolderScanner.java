package io.github.mdunet.data.folder;

import io.github.mdunet.data.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Pairs the files of two folders by stem, reporting folder-level problems: a missing or empty folder, an input
 * without a target (naming every file name looked for), two inputs with one stem, two targets matching one input,
 * and (as a warning) targets without an input, naming the inputs they could have belonged to.
 *
 * <p>A target name is matched exactly first; a target whose name differs only in case (an image {@code IMG_1.JPG}
 * with the mask {@code img_1.png}) is taken when it is the only such file, no input's stem names it exactly and no
 * other input matches it only in case: {@code A.png} does not take {@code a.png}'s mask, and that is an error naming
 * both images. When several files differ from the name looked for only in case ({@code Cat.png} and
 * {@code cat.png} for {@code CAT.png}) that is an error naming them, not a pick that depends on the listing order.
 * Folders and files are compared as normalised absolute paths, so {@code root} and {@code root/.} are the same folder
 * and no file is paired with itself.
 */
public final class FolderScanner {

    /** File extensions tried for targets, in order of preference. */
    private static final List<String> TARGET_EXTENSIONS = ImageFiles.MASK_EXTENSIONS;

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
     * Pairs {@code inputs/<stem>.<ext>} with {@code targets/<stem><suffix>.<ext>}. Hidden files (names starting
     * with '.', e.g. macOS's {@code ._a.png}) are skipped in both folders ({@link ImageFiles#isListedImage}).
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
            problems.add(Problem.error(inputs, "no " + inputKind + " files (" + ImageFiles.imageExtensionList()
                    + ") in this folder; expected at least one"));
            return new Scan(List.of(), problems);
        }
        if (!Files.isDirectory(targets)) {
            problems.add(Problem.error(targets, "folder not found; expected the folder of " + targetKind + "s"));
            return new Scan(List.of(), problems);
        }
        List<Path> targetFiles;
        try (Stream<Path> files = Files.list(targets)) {
            // hidden files (macOS's ._a.png beside a.png) are no masks, as in the inputs' listing
            targetFiles = files.filter(Files::isRegularFile).filter(f -> !ImageFiles.isHidden(f)).sorted().toList();
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
        // Every stem's candidates first: a mask found only by ignoring case is taken only when no image's stem names
        // it exactly and no other image finds it that way too.
        Map<String, Candidates> candidatesByStem = new HashMap<>();
        Map<Path, List<Path>> exactOwners = new HashMap<>();
        Map<Path, List<Path>> caseOnlyFinders = new HashMap<>();
        for (Map.Entry<String, List<Path>> entry : inputsByStem.entrySet()) {
            Candidates candidates = candidates(entry.getKey(), entry.getValue(), suffixes, targetsByName,
                    targetsByLowerCaseName);
            candidatesByStem.put(entry.getKey(), candidates);
            for (Path target : candidates.exact()) {
                exactOwners.computeIfAbsent(target, t -> new ArrayList<>()).addAll(entry.getValue());
            }
            if (entry.getValue().size() == 1) {
                for (Path target : candidates.caseOnly().keySet()) {
                    caseOnlyFinders.computeIfAbsent(target, t -> new ArrayList<>()).add(entry.getValue().get(0));
                }
            }
        }
        List<SamplePair> pairs = new ArrayList<>();
        Set<Path> usedTargets = new HashSet<>();
        for (Map.Entry<String, List<Path>> entry : inputsByStem.entrySet()) {
            String stem = entry.getKey();
            List<Path> sameStem = entry.getValue();
            Candidates candidates = candidatesByStem.get(stem);
            if (sameStem.size() > 1) {
                problems.add(Problem.error(sameStem.get(0), sameStem.size() + " " + inputKind + "s share the stem '"
                        + stem + "' (" + names(sameStem) + "); expected one per stem, so the " + targetKind
                        + " is not ambiguous"));
                usedTargets.addAll(candidates.all()); // their mask is named by this error, not a mask without one
                continue;
            }
            Path input = sameStem.get(0);
            List<Path> found = new ArrayList<>(candidates.exact());
            List<String> conflicts = new ArrayList<>();
            for (Path target : candidates.exact()) {
                List<Path> others = exactOwners.get(target).stream().filter(owner -> !owner.equals(input)).toList();
                if (!others.isEmpty()) {
                    conflicts.add(Problem.shortName(target) + " is the " + targetKind + " of " + names(others)
                            + " too, by the suffixes " + suffixes + "; expected one " + targetKind + " per "
                            + inputKind + " (rename one of the " + inputKind + "s, or pass only the suffix the "
                            + targetKind + "s use)");
                }
            }
            candidates.caseOnly().forEach((target, name) -> {
                List<Path> owners = exactOwners.getOrDefault(target, List.of());
                List<Path> finders = caseOnlyFinders.get(target);
                String expected = Problem.shortName(targets.resolve(name));
                if (!owners.isEmpty()) {
                    conflicts.add("has no " + targetKind + " of its own: " + Problem.shortName(target) + " differs"
                            + " from " + name + " only in case and is the " + targetKind + " of " + names(owners)
                            + " by its exact name; expected " + expected + " (add it, or rename "
                            + Problem.shortName(input) + ")");
                } else if (finders.size() > 1) {
                    conflicts.add(Problem.shortName(target) + " matches " + finders.size() + " " + inputKind + "s"
                            + " only by ignoring case (" + names(finders) + "); expected one " + targetKind + " per "
                            + inputKind + ", named exactly as its " + inputKind + " (" + expected + ")");
                } else {
                    found.add(target);
                }
            });
            if (!candidates.ambiguous().isEmpty()) {
                List<Path> caseOnly = candidates.ambiguous();
                String caseOnlyName = candidates.ambiguousName();
                problems.add(Problem.error(input, caseOnly.size() + " " + targetKind + "s differ from " + caseOnlyName
                        + " only in case: " + names(caseOnly) + "; expected one (name the " + targetKind + " exactly "
                        + caseOnlyName + ", or rename or remove the others)"));
                usedTargets.addAll(candidates.all());
            } else if (!conflicts.isEmpty()) {
                conflicts.forEach(conflict -> problems.add(Problem.error(input, conflict)));
                usedTargets.addAll(candidates.all());
            } else if (found.isEmpty()) {
                problems.add(Problem.error(input, "has no " + targetKind + ": looked for "
                        + candidates.lookedFor().stream().map(n -> Problem.shortName(targets.resolve(n)))
                        .collect(Collectors.joining(", ")) + " (also ."
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
                        + " (" + possibleInputs(f, inputs, suffixes, inputKind) + "); ignored")));
        return new Scan(pairs, problems);
    }

    /**
     * What the target names of one stem find: {@code exact}, the files named exactly {@code <stem><suffix>.<ext>};
     * {@code caseOnly}, for a name no file has exactly, the one file that differs from it only in case (with the name
     * looked for); {@code ambiguous}, the files of a name that several files match only in case.
     */
    private record Candidates(List<Path> exact, Map<Path, String> caseOnly, List<Path> ambiguous,
                              String ambiguousName, List<String> lookedFor) {

        List<Path> all() {
            List<Path> all = new ArrayList<>(exact);
            all.addAll(caseOnly.keySet());
            all.addAll(ambiguous);
            return all;
        }
    }

    private static Candidates candidates(String stem, List<Path> inputsOfStem, List<String> suffixes,
                                         Map<String, Path> targetsByName,
                                         Map<String, List<Path>> targetsByLowerCaseName) {
        List<Path> exact = new ArrayList<>();
        Map<Path, String> caseOnly = new LinkedHashMap<>();
        List<Path> ambiguous = List.of();
        String ambiguousName = "";
        List<String> lookedFor = new ArrayList<>();
        for (String suffix : suffixes) {
            for (String extension : TARGET_EXTENSIONS) {
                String name = stem + suffix + "." + extension;
                if (extension.equals("png")) {
                    lookedFor.add(name);
                }
                Path exactMatch = targetsByName.get(name);
                if (exactMatch != null) {
                    if (inputsOfStem.stream().noneMatch(input -> samePath(input, exactMatch))) {
                        exact.add(exactMatch);
                    }
                    continue;
                }
                List<Path> anyCase = targetsByLowerCaseName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of())
                        .stream().filter(f -> inputsOfStem.stream().noneMatch(input -> samePath(input, f))).toList();
                if (anyCase.size() > 1) {
                    ambiguous = anyCase;
                    ambiguousName = name;
                } else if (anyCase.size() == 1) {
                    caseOnly.put(anyCase.get(0), name);
                }
            }
        }
        return new Candidates(exact, caseOnly, ambiguous, ambiguousName, lookedFor);
    }

    /**
     * The inputs that a target without one could have belonged to: its stem with each suffix it ends in taken off
     * (the longest first), or why none can.
     */
    private static String possibleInputs(Path target, Path inputs, List<String> suffixes, String inputKind) {
        String stem = ImageFiles.stem(target);
        List<String> stems = suffixes.stream()
                .filter(s -> stem.length() >= s.length()
                        && stem.regionMatches(true, stem.length() - s.length(), s, 0, s.length()))
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(s -> stem.substring(0, stem.length() - s.length()))
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
        if (stems.isEmpty()) {
            return "its name ends in none of the suffixes " + suffixes + ", so no " + inputKind + " matches it";
        }
        return "no " + stems.stream().map(s -> Problem.shortName(inputs.resolve(s)) + ".*")
                .collect(Collectors.joining(" or "));
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
                    + ImageFiles.imageExtensionList() + ")"));
            return null;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(ImageFiles::isListedImage)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add(Problem.error(folder, "cannot list the folder: " + e.getMessage()));
            return null;
        }
    }


    private static String names(List<Path> files) {
        return files.stream().map(Problem::shortName).collect(Collectors.joining(", "));
    }
}
