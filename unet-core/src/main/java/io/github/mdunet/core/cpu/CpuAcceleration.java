package io.github.mdunet.core.cpu;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the fastest nd4j-native build for the CPU it runs on and switches DL4J's built-in
 * {@code ConvolutionLayer}, {@code BatchNormalization} and {@code SubsamplingLayer} over to oneDNN, with no JVM
 * flag from the user.
 *
 * <p>Call {@link #configure()} before anything loads ND4J (first line of {@code main}; the tests do it from a
 * JUnit {@code LauncherSessionListener}). It reads the CPU flags from {@code /proc/cpuinfo} and sets:
 * <ul>
 *   <li>{@code org.bytedeco.javacpp.platform.extension}: {@code -onednn-avx512} when the CPU has every AVX-512
 *       subset that libnd4j's AVX-512 binary checks for, else {@code -onednn-avx2} with AVX2, else the empty
 *       string, which pins the plain build. The pin matters: with the oneDNN jars on the classpath and no value,
 *       JavaCPP loads {@code -onednn-avx2} by itself, and that binary calls {@code exit(119)} on a CPU without
 *       AVX2. A build whose jar is missing from the classpath is skipped for the next one that is there.</li>
 *   <li>{@code org.eclipse.deeplearning4j.helpers.disable=false} when a oneDNN build is chosen: DL4J leaves its
 *       oneDNN layer helpers off unless told otherwise. They also need the shim
 *       {@link org.nd4j.nativeblas.Nd4jCpu}, which is in this module.</li>
 * </ul>
 * A value that the user already set, with {@code -D} or otherwise, is never changed. {@code -Dmdunet.onednn=off}
 * (or the environment variable {@code MDUNET_ONEDNN=off}; the property wins) pins the plain build and leaves the
 * helpers as DL4J has them.
 *
 * <p>JavaCPP copies the system properties into a cache when its {@code Loader} class is initialised, which any
 * JavaCPP class does (ND4J's, OpenBLAS's, OpenCV's), and ignores later changes. {@code configure()} sets the
 * property before it touches {@code Loader} and then also writes the extension into that cache, so it is still
 * in time after, say, OpenCV was loaded, as long as ND4J's own library is not loaded yet. When it is,
 * {@code configure()} says so in its {@link Status} and log and only switches the helpers on, which DL4J reads
 * whenever a layer is created.
 *
 * <p>After ND4J has loaded, {@link #nativeReport()} tells which build was really loaded and whether DL4J's layers
 * use oneDNN.
 */
public final class CpuAcceleration {

    /** {@code off} keeps the plain nd4j-native build and DL4J's default helpers; {@code auto} (the default) chooses. */
    public static final String OPT_OUT_PROPERTY = "mdunet.onednn";
    /** The environment-variable form of {@link #OPT_OUT_PROPERTY}; the system property wins when both are set. */
    public static final String OPT_OUT_ENVIRONMENT_VARIABLE = "MDUNET_ONEDNN";
    /** JavaCPP's classifier suffix of the native jar to load, e.g. {@code -onednn-avx2}; empty for the plain build. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    /** DL4J's switch for its cuDNN/oneDNN layer helpers; {@code true} (helpers off) unless set. */
    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    static final String JAVACPP_PLATFORM_PROPERTY = "org.bytedeco.javacpp.platform";
    static final String JAVACPP_LOADER = "org.bytedeco.javacpp.Loader";
    /** JavaCPP's name for ND4J's JNI library, as a key of {@code Loader.getLoadedLibraries()}. */
    static final String ND4J_JNI_LIBRARY = "jnind4jcpu";
    static final String BINDINGS_RESOURCE_DIRECTORY = "org/nd4j/linalg/cpu/nativecpu/bindings/";
    static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    private static final Logger log = LoggerFactory.getLogger(CpuAcceleration.class);

    /** The first call's result; guarded by the class lock. */
    private static Status configured;

    private CpuAcceleration() {
    }

    /** An nd4j-native build, in order of preference. */
    public enum NativeBuild {
        /** oneDNN, compiled for Skylake-SP; libnd4j refuses to run without all of these flags. */
        ONEDNN_AVX512("-onednn-avx512", true, "avx", "avx2", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"),
        /** oneDNN, compiled for AVX2 (Haswell and later, Zen). */
        ONEDNN_AVX2("-onednn-avx2", true, "avx", "avx2"),
        /** oneDNN for any CPU of the platform; not in this project's pom, used when someone adds its jar. */
        ONEDNN("-onednn", true),
        /** The default build: OpenBLAS and libnd4j's own kernels, no oneDNN. */
        PLAIN("", false);

        private final String extension;
        private final boolean oneDnn;
        private final Set<String> requiredCpuFlags;

        NativeBuild(String extension, boolean oneDnn, String... requiredCpuFlags) {
            this.extension = extension;
            this.oneDnn = oneDnn;
            this.requiredCpuFlags = Set.of(requiredCpuFlags);
        }

        /** The value of {@link #EXTENSION_PROPERTY} that selects this build; empty for {@link #PLAIN}. */
        public String extension() {
            return extension;
        }

        /** Whether this build has oneDNN compiled in. */
        public boolean oneDnn() {
            return oneDnn;
        }

        /** The {@code /proc/cpuinfo} flags that the build needs. */
        public Set<String> requiredCpuFlags() {
            return requiredCpuFlags;
        }

        /** The Maven classifier of this build's jar, e.g. {@code linux-x86_64-onednn-avx2}. */
        public String classifier(String platform) {
            return platform + extension;
        }

        /** The build that an {@link #EXTENSION_PROPERTY} value selects, if it is one of these. */
        public static Optional<NativeBuild> fromExtension(String extension) {
            return Arrays.stream(values()).filter(b -> b.extension.equals(extension)).findFirst();
        }
    }

    /**
     * The CPU's feature flags, as the kernel lists them in {@code /proc/cpuinfo}.
     *
     * @param flags lower-case flag names such as {@code avx2} or {@code avx512f}; empty when unknown
     */
    public record CpuFeatures(Set<String> flags) {

        /** No flags known (not Linux, or {@code /proc/cpuinfo} unreadable): only flag-free builds qualify. */
        public static final CpuFeatures UNKNOWN = new CpuFeatures(Set.of());

        public CpuFeatures {
            flags = Set.copyOf(flags);
        }

        /**
         * Parses the text of {@code /proc/cpuinfo}: the flags common to every {@code flags} line, so that one odd
         * core never gets code it cannot run.
         */
        public static CpuFeatures parse(String cpuInfo) {
            Set<String> common = null;
            for (String line : cpuInfo.split("\\R")) {
                int colon = line.indexOf(':');
                if (colon < 0 || !line.substring(0, colon).trim().equals("flags")) {
                    continue;
                }
                Set<String> flags = Arrays.stream(line.substring(colon + 1).trim().split("\\s+"))
                        .filter(f -> !f.isEmpty())
                        .map(f -> f.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toCollection(LinkedHashSet::new));
                if (common == null) {
                    common = flags;
                } else {
                    common.retainAll(flags);
                }
            }
            return common == null ? UNKNOWN : new CpuFeatures(common);
        }

        /** Whether this CPU runs the given build. */
        public boolean supports(NativeBuild build) {
            return flags.containsAll(build.requiredCpuFlags());
        }

        /** A short name of the best vector extension: {@code AVX-512}, {@code AVX2}, {@code no AVX2} or unknown. */
        public String simdLevel() {
            if (flags.isEmpty()) {
                return "unknown CPU flags";
            }
            if (supports(NativeBuild.ONEDNN_AVX512)) {
                return "AVX-512";
            }
            return supports(NativeBuild.ONEDNN_AVX2) ? "AVX2" : "no AVX2";
        }
    }

    /**
     * Everything {@link #decide} looks at, gathered from the JVM by {@link #fromSystem()} or given by a test.
     *
     * @param optOutProperty     value of {@link #OPT_OUT_PROPERTY}, or null
     * @param optOutEnvironment  value of {@link #OPT_OUT_ENVIRONMENT_VARIABLE}, or null
     * @param userExtension      value of {@link #EXTENSION_PROPERTY} before {@code configure()}, or null
     * @param userHelpersDisable value of {@link #HELPERS_DISABLE_PROPERTY} before {@code configure()}, or null
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
            String platform = javaCppPlatform();
            return new Inputs(
                    System.getProperty(OPT_OUT_PROPERTY),
                    System.getenv(OPT_OUT_ENVIRONMENT_VARIABLE),
                    System.getProperty(EXTENSION_PROPERTY),
                    System.getProperty(HELPERS_DISABLE_PROPERTY),
                    readCpuFeatures(CPU_INFO),
                    platform,
                    findAvailableBuilds(platform, CpuAcceleration.class.getClassLoader()));
        }
    }

    /**
     * What {@code configure()} does.
     *
     * @param build               the build expected to load; null when unknown (an unrecognised user value, or
     *                            no nd4j-native library on the classpath)
     * @param extensionToSet      the value to give {@link #EXTENSION_PROPERTY}, or null to leave it alone
     * @param helpersDisableToSet the value to give {@link #HELPERS_DISABLE_PROPERTY}, or null to leave it alone
     * @param reason              why, in one sentence, for the log
     * @param warnings            problems worth a WARN line (a bad opt-out value, no runnable build, ...)
     */
    record Decision(
            NativeBuild build, String extensionToSet, String helpersDisableToSet, String reason, List<String> warnings) {

        Decision {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * What {@link #configure()} chose and why.
     *
     * @param build            the nd4j-native build chosen, or null when unknown
     * @param extension        {@link #EXTENSION_PROPERTY} after configuring; null when unset
     * @param helpersEnabled   whether DL4J will create its layer helpers ({@link #HELPERS_DISABLE_PROPERTY} not
     *                         {@code true})
     * @param cpu              the CPU's vector extension, e.g. {@code AVX-512}
     * @param reason           why this build
     * @param nd4jAlreadyLoaded ND4J's native library was loaded before {@code configure()}, too late to choose
     */
    public record Status(
            NativeBuild build,
            String extension,
            boolean helpersEnabled,
            String cpu,
            String reason,
            boolean nd4jAlreadyLoaded) {

        /** One line for a log or a benchmark's output. */
        public String describe() {
            return "nd4j-native build " + (build == null ? "unknown" : build)
                    + ", " + EXTENSION_PROPERTY + "=" + (extension == null ? "(unset)" : "'" + extension + "'")
                    + ", DL4J layer helpers " + (helpersEnabled ? "on" : "off")
                    + ", CPU " + cpu + ": " + reason;
        }
    }

    /**
     * What ND4J really loaded, read after it has loaded.
     *
     * @param backend            ND4J's backend, {@code CPU} or {@code CUDA}
     * @param nativeLibrary      the file of ND4J's JNI library, or null if JavaCPP does not tell
     * @param loadedBuild        the build that file belongs to, or null when not an nd4j-native CPU build
     * @param builtWithOneDnn    libnd4j's build information lists {@code HAVE_ONEDNN}
     * @param oneDnnSwitchOn     libnd4j's run-time switch {@code Environment.isUseONEDNN()}
     * @param helpersEnabled     DL4J creates layer helpers ({@link #HELPERS_DISABLE_PROPERTY} not {@code true}) and
     *                           ND4J allows them
     */
    public record NativeReport(
            String backend,
            String nativeLibrary,
            NativeBuild loadedBuild,
            boolean builtWithOneDnn,
            boolean oneDnnSwitchOn,
            boolean helpersEnabled) {

        /** Whether DL4J's ConvolutionLayer, BatchNormalization and SubsamplingLayer run on oneDNN. */
        public boolean dl4jLayersUseOneDnn() {
            return builtWithOneDnn && oneDnnSwitchOn && helpersEnabled;
        }

        /** One line for a log or a benchmark's output. */
        public String describe() {
            return "backend " + backend
                    + ", loaded build " + (loadedBuild == null ? "unknown" : loadedBuild)
                    + " (" + (nativeLibrary == null ? "library path unknown" : nativeLibrary) + ")"
                    + ", oneDNN compiled in: " + builtWithOneDnn
                    + ", oneDNN switch: " + oneDnnSwitchOn
                    + ", DL4J helpers: " + helpersEnabled
                    + " => DL4J conv/BN/pooling on oneDNN: " + dl4jLayersUseOneDnn();
        }
    }

    /**
     * Chooses the nd4j-native build and switches the oneDNN layer helpers on, once per JVM; later calls return the
     * first result. Safe to call from several threads. Must run before ND4J loads to choose the build.
     */
    public static synchronized Status configure() {
        return configured != null ? configured : configure(Inputs.fromSystem());
    }

    /** {@link #configure()} with given inputs, for tests that play another CPU in a child JVM. */
    static synchronized Status configure(Inputs inputs) {
        if (configured == null) {
            configured = apply(inputs);
        }
        return configured;
    }

    /** The result of {@link #configure()} if it has run. */
    public static synchronized Optional<Status> status() {
        return Optional.ofNullable(configured);
    }

    /**
     * Loads ND4J if it is not loaded yet and reports which build it loaded and whether DL4J's layers use oneDNN.
     * Call {@link #configure()} first, or the report shows JavaCPP's own choice.
     */
    public static NativeReport nativeReport() {
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
        String library = javaCppLoadedLibraries().get(ND4J_JNI_LIBRARY);
        NativeBuild build = library == null ? null : buildOfLibrary(library, javaCppPlatform()).orElse(null);
        org.nd4j.nativeblas.Nd4jCpu.Environment shim = org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance();
        boolean helpers = helpersEnabled() && Nd4j.getEnvironment().helpersAllowed();
        return new NativeReport(backend, library, build, shim.isBuiltWithOneDnn(), shim.isUseONEDNN(), helpers);
    }

    /** The pure decision behind {@link #configure()}. */
    static Decision decide(Inputs in) {
        List<String> warnings = new ArrayList<>();
        boolean optedOut = optedOut(in.optOutProperty(), in.optOutEnvironment(), warnings);
        boolean userSetHelpers = in.userHelpersDisable() != null;

        if (in.userExtension() != null) {
            NativeBuild build = NativeBuild.fromExtension(in.userExtension()).orElse(null);
            boolean enableHelpers = !optedOut && !userSetHelpers && build != null && build.oneDnn();
            if (build != null && !in.availableBuilds().isEmpty() && !in.availableBuilds().contains(build)) {
                warnings.add(EXTENSION_PROPERTY + "='" + in.userExtension() + "' but nd4j-native's "
                        + build.classifier(in.platform()) + " jar is not on the classpath; JavaCPP falls back to "
                        + "the plain build if that is there");
            }
            return new Decision(build, null, enableHelpers ? "false" : null,
                    EXTENSION_PROPERTY + "='" + in.userExtension() + "' was set by the user and is kept", warnings);
        }
        if (in.availableBuilds().isEmpty()) {
            return new Decision(null, null, null, "no nd4j-native native library for " + in.platform()
                    + " on the classpath (CUDA backend or another platform): nothing to choose", warnings);
        }
        if (optedOut) {
            if (!in.availableBuilds().contains(NativeBuild.PLAIN)) {
                warnings.add("opt-out asks for the plain build, but nd4j-native's "
                        + NativeBuild.PLAIN.classifier(in.platform()) + " jar is not on the classpath; JavaCPP chooses");
                return new Decision(null, null, null, "opted out, plain build missing", warnings);
            }
            return new Decision(NativeBuild.PLAIN, NativeBuild.PLAIN.extension(), null,
                    "opted out (" + OPT_OUT_PROPERTY + "=off or " + OPT_OUT_ENVIRONMENT_VARIABLE
                            + "=off): pinned the plain build, DL4J helpers left as they are", warnings);
        }

        List<String> skipped = new ArrayList<>();
        for (NativeBuild build : NativeBuild.values()) {
            if (!in.cpu().supports(build)) {
                continue;
            }
            if (!in.availableBuilds().contains(build)) {
                if (build != NativeBuild.ONEDNN) { // not in the pom: its absence is normal
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
        String source = property != null ? OPT_OUT_PROPERTY : OPT_OUT_ENVIRONMENT_VARIABLE;
        String value = property != null ? property : environment;
        if (value == null) {
            return false;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "off", "false", "no", "0", "disabled":
                return true;
            case "", "auto", "on", "true", "yes", "1", "enabled":
                return false;
            default:
                warnings.add(source + " must be 'off' or 'auto' but was '" + value + "'; using auto");
                return false;
        }
    }

    /** The build a loaded library file belongs to, from its directory {@code bindings/<platform><extension>/}. */
    static Optional<NativeBuild> buildOfLibrary(String libraryPath, String platform) {
        String marker = BINDINGS_RESOURCE_DIRECTORY + platform;
        int at = libraryPath.replace('\\', '/').lastIndexOf(marker);
        if (at < 0) {
            return Optional.empty();
        }
        String rest = libraryPath.replace('\\', '/').substring(at + marker.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? Optional.empty() : NativeBuild.fromExtension(rest.substring(0, slash));
    }

    /**
     * Sets the properties. Order matters: initialising JavaCPP's {@code Loader} class fills its property cache (its
     * static initialiser loads JavaCPP's own JNI library), so the extension is set before anything here touches
     * {@code Loader}, and only then is {@code Loader} asked whether ND4J is loaded already.
     */
    private static Status apply(Inputs inputs) {
        Decision decision = decide(inputs);
        String extensionBefore = System.getProperty(EXTENSION_PROPERTY);
        if (decision.extensionToSet() != null) {
            System.setProperty(EXTENSION_PROPERTY, decision.extensionToSet());
        }
        boolean alreadyLoaded = javaCppLoadedLibraries().containsKey(ND4J_JNI_LIBRARY);
        if (alreadyLoaded) {
            restore(EXTENSION_PROPERTY, extensionBefore); // too late to matter for ND4J; leave the JVM as it was
            decision = decideAfterLoad(inputs);
        } else if (decision.extensionToSet() != null) {
            alignJavaCppPropertyCache(decision.extensionToSet());
        }
        decision.warnings().forEach(log::warn);
        if (decision.helpersDisableToSet() != null) {
            System.setProperty(HELPERS_DISABLE_PROPERTY, decision.helpersDisableToSet());
        }
        Status status = new Status(decision.build(), System.getProperty(EXTENSION_PROPERTY), helpersEnabled(),
                inputs.cpu().simdLevel(), decision.reason(), alreadyLoaded);
        log.info("CPU acceleration: {}", status.describe());
        return status;
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }

    /** ND4J is loaded already: the build is fixed, but DL4J's helpers can still be switched on for later layers. */
    private static Decision decideAfterLoad(Inputs in) {
        String library = javaCppLoadedLibraries().get(ND4J_JNI_LIBRARY);
        NativeBuild loaded = library == null ? null : buildOfLibrary(library, in.platform()).orElse(null);
        List<String> warnings = new ArrayList<>();
        boolean optedOut = optedOut(in.optOutProperty(), in.optOutEnvironment(), warnings);
        boolean enableHelpers = !optedOut && in.userHelpersDisable() == null
                && org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN();
        warnings.add("CpuAcceleration.configure() ran after ND4J had loaded " + library
                + "; call it first thing in main() to choose the build for this CPU");
        return new Decision(loaded, null, enableHelpers ? "false" : null,
                "ND4J was already loaded, build not chosen", warnings);
    }

    /**
     * {@code Loader.loadProperties()} returns JavaCPP's property cache (filled when {@code Loader} was initialised);
     * when that happened before {@code configure()}, the extension is written into it too.
     */
    private static void alignJavaCppPropertyCache(String extension) {
        try {
            Class<?> loader = Class.forName(JAVACPP_LOADER, true, CpuAcceleration.class.getClassLoader());
            Properties cached = (Properties) loader.getMethod("loadProperties").invoke(null);
            if (!extension.equals(cached.getProperty("platform.extension"))) {
                log.info("JavaCPP had read its platform properties before configure() (another JavaCPP library was "
                        + "loaded first); setting platform.extension='{}' in its cache", extension);
                cached.setProperty("platform.extension", extension);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.debug("JavaCPP is not available, nothing to align", e);
        }
    }

    private static boolean helpersEnabled() {
        return !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE_PROPERTY, "true"));
    }

    /** JavaCPP's {@code Loader.getLoadedLibraries()}: library name to file; empty without JavaCPP. */
    @SuppressWarnings("unchecked")
    static Map<String, String> javaCppLoadedLibraries() {
        try {
            Class<?> loader = Class.forName(JAVACPP_LOADER, true, CpuAcceleration.class.getClassLoader());
            Method method = loader.getMethod("getLoadedLibraries");
            return Collections.unmodifiableMap(new HashMap<>((Map<String, String>) method.invoke(null)));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Map.of();
        }
    }

    /**
     * JavaCPP's platform name ({@code linux-x86_64}, ...): {@code org.bytedeco.javacpp.platform} if set, else
     * derived from {@code os.name} and {@code os.arch} as JavaCPP's {@code Loader} does for the desktop and server
     * platforms, without touching {@code Loader} (see {@link #apply}).
     */
    static String javaCppPlatform() {
        String configured = System.getProperty(JAVACPP_PLATFORM_PROPERTY);
        return configured != null ? configured
                : platformOf(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    static String platformOf(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("mac os x") || os.startsWith("darwin")) {
            os = "macosx";
        } else if (os.contains(" ")) {
            os = os.substring(0, os.indexOf(' '));
        }
        String arch = osArch.toLowerCase(Locale.ROOT);
        arch = switch (arch) {
            case "amd64", "x86-64", "x64" -> "x86_64";
            case "i386", "i486", "i586", "i686" -> "x86";
            case "aarch64", "armv8", "arm64" -> "arm64";
            default -> arch;
        };
        return os + "-" + arch;
    }

    /** The builds whose JNI library JavaCPP would find on this class loader for the platform. */
    static Set<NativeBuild> findAvailableBuilds(String platform, ClassLoader classLoader) {
        Set<NativeBuild> found = EnumSet.noneOf(NativeBuild.class);
        String library = System.mapLibraryName(ND4J_JNI_LIBRARY);
        for (NativeBuild build : NativeBuild.values()) {
            String resource = BINDINGS_RESOURCE_DIRECTORY + build.classifier(platform) + "/" + library;
            if (classLoader != null && classLoader.getResource(resource) != null) {
                found.add(build);
            }
        }
        return found;
    }

    static CpuFeatures readCpuFeatures(Path cpuInfo) {
        try {
            return CpuFeatures.parse(Files.readString(cpuInfo, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot read {}: {}", cpuInfo, e.toString());
            return CpuFeatures.UNKNOWN;
        }
    }

    private static String classifiers(Collection<NativeBuild> builds, String platform) {
        return builds.stream().map(b -> b.classifier(platform)).collect(Collectors.joining(", "));
    }
}
