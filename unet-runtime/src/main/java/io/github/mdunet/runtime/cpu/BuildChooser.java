package io.github.mdunet.runtime.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The decision behind {@link CpuAcceleration#configure()}, free of side effects: from the CPU's flags, the builds on
 * the classpath and the user's settings ({@link Inputs}) to the build and the properties to set ({@link Decision}).
 */
final class BuildChooser {

    /** The builds this project's pom does not put on the classpath: that their jar is missing is normal. */
    private static final Set<NativeBuild> NOT_IN_THE_POM = Set.of(NativeBuild.ONEDNN, NativeBuild.AVX512,
            NativeBuild.AVX2);

    private BuildChooser() {
    }

    /**
     * Everything {@link #decide} looks at, gathered from the JVM by {@link #fromSystem()} or given by a test.
     *
     * @param optOutProperty     value of {@link CpuAcceleration#OPT_OUT_PROPERTY}, or null
     * @param optOutEnvironment  value of {@link CpuAcceleration#OPT_OUT_ENVIRONMENT_VARIABLE}, or null
     * @param userExtension      value of {@link CpuAcceleration#EXTENSION_PROPERTY} before {@code configure()}, or null
     * @param userHelpersDisable value of {@link CpuAcceleration#HELPERS_DISABLE_PROPERTY} before {@code configure()},
     *                           or null
     * @param cpu                the CPU's flags ({@link CpuFeatures#UNKNOWN} when they cannot be read)
     * @param platform           JavaCPP's platform name, e.g. {@code linux-x86_64}
     * @param availableBuilds    the builds whose native library is on the classpath for that platform
     */
    record Inputs(
            String optOutProperty,
            String optOutEnvironment,
            String userExtension,
            String userHelpersDisable,
            CpuFeatures cpu,
            String platform,
            Set<NativeBuild> availableBuilds) {

        Inputs {
            availableBuilds = availableBuilds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(availableBuilds));
        }

        static Inputs fromSystem() {
            String platform = JavaCpp.platform();
            return new Inputs(
                    System.getProperty(CpuAcceleration.OPT_OUT_PROPERTY),
                    System.getenv(CpuAcceleration.OPT_OUT_ENVIRONMENT_VARIABLE),
                    System.getProperty(CpuAcceleration.EXTENSION_PROPERTY),
                    System.getProperty(CpuAcceleration.HELPERS_DISABLE_PROPERTY),
                    CpuFeatures.read(CpuFeatures.CPU_INFO),
                    platform,
                    JavaCpp.findAvailableBuilds(platform, BuildChooser.class.getClassLoader()));
        }
    }

    /**
     * What {@code configure()} does.
     *
     * @param build               the build expected to load; null when unknown (an unrecognised user value, or
     *                            no nd4j-native library on the classpath)
     * @param extensionToSet      the value to give {@link CpuAcceleration#EXTENSION_PROPERTY}, or null to leave it
     *                            alone
     * @param helpersDisableToSet the value to give {@link CpuAcceleration#HELPERS_DISABLE_PROPERTY}, or null to leave
     *                            it alone
     * @param reason              why, in one sentence, for the log
     * @param warnings            problems worth a WARN line (a bad opt-out value, no runnable build, ...)
     */
    record Decision(
            NativeBuild build, String extensionToSet, String helpersDisableToSet, String reason,
            List<String> warnings) {

        Decision {
            warnings = List.copyOf(warnings);
        }
    }

    /** The pure decision behind {@link CpuAcceleration#configure()}: which build, which properties, and why. */
    static Decision decide(Inputs in) {
        List<String> warnings = new ArrayList<>();
        boolean optedOut = optedOut(in.optOutProperty(), in.optOutEnvironment(), warnings);
        boolean userSetHelpers = in.userHelpersDisable() != null;

        if (in.userExtension() != null) {
            NativeBuild build = NativeBuild.fromExtension(in.userExtension()).orElse(null);
            boolean enableHelpers = !optedOut && !userSetHelpers && build != null && build.oneDnn();
            if (build != null && !in.availableBuilds().isEmpty() && !in.availableBuilds().contains(build)) {
                warnings.add(CpuAcceleration.EXTENSION_PROPERTY + "='" + in.userExtension() + "' but nd4j-native's "
                        + build.classifier(in.platform()) + " jar is not on the classpath; JavaCPP falls back to "
                        + "the plain build if that is there");
            }
            if (build != null && in.cpu().known() && !in.cpu().supports(build)) {
                warnings.add(unsupportedUserBuild(in, build));
            }
            return new Decision(build, null, enableHelpers ? "false" : null,
                    CpuAcceleration.EXTENSION_PROPERTY + "='" + in.userExtension()
                            + "' was set by the user and is kept", warnings);
        }
        if (in.availableBuilds().isEmpty()) {
            return new Decision(null, null, null, "no nd4j-native native library for " + in.platform()
                    + " on the classpath (CUDA backend or another platform): nothing to choose", warnings);
        }
        if (optedOut) {
            if (!in.availableBuilds().contains(NativeBuild.PLAIN)) {
                warnings.add("opt-out asks for the plain build, but nd4j-native's "
                        + NativeBuild.PLAIN.classifier(in.platform())
                        + " jar is not on the classpath; JavaCPP chooses");
                return new Decision(null, null, null, "opted out, plain build missing", warnings);
            }
            return new Decision(NativeBuild.PLAIN, NativeBuild.PLAIN.extension(), null,
                    "opted out (" + CpuAcceleration.OPT_OUT_PROPERTY + "=" + CpuAcceleration.OPT_OUT_OFF + " or "
                            + CpuAcceleration.OPT_OUT_ENVIRONMENT_VARIABLE + "=" + CpuAcceleration.OPT_OUT_OFF
                            + "): pinned the plain build, DL4J helpers left as they are", warnings);
        }

        List<String> skipped = new ArrayList<>();
        for (NativeBuild build : NativeBuild.values()) {
            if (!in.cpu().supports(build)) {
                continue;
            }
            if (!in.availableBuilds().contains(build)) {
                if (!NOT_IN_THE_POM.contains(build)) {
                    skipped.add(build.classifier(in.platform()));
                }
                continue;
            }
            String reason = "CPU has " + in.cpu().simdLevel() + ", chose " + build.classifier(in.platform())
                    + (skipped.isEmpty() ? "" : " (the better " + String.join(", ", skipped)
                            + " is not on the classpath)")
                    + (build.oneDnn() ? "" : "; pinned so that JavaCPP does not load a oneDNN build this CPU lacks");
            if (!skipped.isEmpty()) {
                warnings.add("nd4j-native " + String.join(", ", skipped) + " would run faster on this CPU but is not "
                        + "on the classpath; using " + build.classifier(in.platform()));
            }
            if (!in.cpu().known() && !build.oneDnn()) {
                unknownCpuWithoutOneDnn(in, build).ifPresent(warnings::add);
            }
            boolean enableHelpers = build.oneDnn() && !userSetHelpers;
            return new Decision(build, build.extension(), enableHelpers ? "false" : null, reason, warnings);
        }
        warnings.add("no nd4j-native build on the classpath runs on this CPU (" + in.cpu().simdLevel()
                + "; available: " + classifiers(in.availableBuilds(), in.platform())
                + "); add nd4j-native's " + NativeBuild.PLAIN.classifier(in.platform()) + " jar");
        return new Decision(null, null, null, "no runnable nd4j-native build on the classpath", warnings);
    }

    /** Whether the user opted out; an unknown value is reported and treated as {@code auto}. */
    static boolean optedOut(String property, String environment, List<String> warnings) {
        String source = property != null ? CpuAcceleration.OPT_OUT_PROPERTY
                : CpuAcceleration.OPT_OUT_ENVIRONMENT_VARIABLE;
        String value = property != null ? property : environment;
        if (value == null) {
            return false;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case CpuAcceleration.OPT_OUT_OFF, "false", "no", "0", "disabled":
                return true;
            case "", CpuAcceleration.OPT_OUT_AUTO, "on", "true", "yes", "1", "enabled":
                return false;
            default:
                warnings.add(source + " must be '" + CpuAcceleration.OPT_OUT_OFF + "' or '"
                        + CpuAcceleration.OPT_OUT_AUTO + "' but was '" + value + "'; using "
                        + CpuAcceleration.OPT_OUT_AUTO);
                return false;
        }
    }

    /**
     * The warning for a user's extension whose build needs CPU flags this CPU lacks: libnd4j checks the AVX ones when
     * it loads and stops the JVM with exit status 119; its code uses the others ({@link NativeBuild#requiredCpuFlags}).
     */
    private static String unsupportedUserBuild(Inputs in, NativeBuild build) {
        Set<String> missing = new TreeSet<>(build.requiredCpuFlags());
        missing.removeAll(in.cpu().flags());
        String supported = Arrays.stream(NativeBuild.values())
                .filter(b -> in.cpu().supports(b) && in.availableBuilds().contains(b))
                .findFirst().orElse(NativeBuild.PLAIN).extension();
        return CpuAcceleration.EXTENSION_PROPERTY + "='" + in.userExtension() + "' asks for nd4j-native's "
                + build.classifier(in.platform()) + ", but this CPU (" + in.cpu().simdLevel() + ") lacks "
                + String.join(", ", missing) + ", which that build needs: its native library stops the JVM with exit "
                + "status 119 when ND4J loads, or dies on an illegal instruction later. Kept as set; remove the "
                + "property to let CpuAcceleration choose, or set it to '" + supported + "'";
    }

    /**
     * The warning for a CPU whose flags are unknown (no {@code /proc/cpuinfo}: Windows, macOS) when the plain build
     * was chosen over oneDNN builds that are on the classpath; empty when there are none.
     */
    private static Optional<String> unknownCpuWithoutOneDnn(Inputs in, NativeBuild chosen) {
        List<String> options = Arrays.stream(NativeBuild.values())
                .filter(b -> b.oneDnn() && in.availableBuilds().contains(b))
                .map(b -> "-D" + CpuAcceleration.EXTENSION_PROPERTY + "=" + b.extension() + " (needs "
                        + String.join(", ", new TreeSet<>(b.requiredCpuFlags())) + ")")
                .toList();
        if (options.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the CPU's features are unknown (no flags from /proc/cpuinfo: not Linux, or not readable), "
                + "so CpuAcceleration chose the plain nd4j-native build " + chosen.classifier(in.platform())
                + ", without oneDNN, the one every CPU runs. To use oneDNN on a CPU that has the flags, choose its "
                + "build yourself: " + String.join(" or ", options));
    }

    private static String classifiers(Collection<NativeBuild> builds, String platform) {
        return builds.stream().map(b -> b.classifier(platform)).collect(Collectors.joining(", "));
    }
}
