package io.github.mdunet.runtime.cpu;

import io.github.mdunet.runtime.cpu.BuildChooser.Decision;
import io.github.mdunet.runtime.cpu.BuildChooser.Inputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 *   <li>{@code org.bytedeco.javacpp.platform.extension}: {@code -onednn-avx512} when the CPU has every flag
 *       libnd4j's AVX-512 binary needs (the AVX-512 subsets it checks for when it loads, and the FMA, F16C and BMI
 *       instructions its code uses: {@link NativeBuild#requiredCpuFlags}), else {@code -onednn-avx2} with AVX2, FMA
 *       and F16C, else the empty string, which pins the plain build. The pin matters: with the oneDNN jars on the
 *       classpath and no value, JavaCPP loads {@code -onednn-avx2} by itself, and that binary calls
 *       {@code exit(119)} on a CPU without AVX2. A build whose jar is missing from the classpath is skipped for the
 *       next one that is there ({@link NativeBuild} lists them in order, nd4j-native's {@code -avx512} and
 *       {@code -avx2} builds without oneDNN among them, should their jars be added). Where the
 *       flags cannot be read (no {@code /proc/cpuinfo}: Windows, macOS), only a build that needs none qualifies,
 *       so the plain build is pinned, with a warning that says how to choose a oneDNN build by hand.</li>
 *   <li>{@code org.eclipse.deeplearning4j.helpers.disable=false} when a oneDNN build is chosen: DL4J leaves its
 *       oneDNN layer helpers off unless told otherwise. They also need the shim
 *       {@link org.nd4j.nativeblas.Nd4jCpu}, which is in this module.</li>
 * </ul>
 * A value that the user already set, with {@code -D} or otherwise, is never changed; an extension for a build that
 * needs CPU flags this CPU lacks (its binary would exit with status 119, or die on an illegal instruction later) is
 * kept with a warning naming them, for every build {@link NativeBuild} knows, the {@code -avx512} and {@code -avx2}
 * builds without oneDNN included.
 * {@code -Dmdunet.onednn=off} (or the environment variable {@code MDUNET_ONEDNN=off}; the property wins) pins the
 * plain build and leaves the helpers as DL4J has them.
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
    /** The value of {@link #OPT_OUT_PROPERTY} that keeps the plain build and DL4J's default helpers. */
    public static final String OPT_OUT_OFF = "off";
    /** The value of {@link #OPT_OUT_PROPERTY} (also its default) that lets {@link #configure()} choose. */
    public static final String OPT_OUT_AUTO = "auto";
    /** The environment-variable form of {@link #OPT_OUT_PROPERTY}; the system property wins when both are set. */
    public static final String OPT_OUT_ENVIRONMENT_VARIABLE = "MDUNET_ONEDNN";
    /** JavaCPP's classifier suffix of the native jar to load, e.g. {@code -onednn-avx2}; empty for the plain build. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    /** DL4J's switch for its cuDNN/oneDNN layer helpers; {@code true} (helpers off) unless set. */
    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private static final Logger log = LoggerFactory.getLogger(CpuAcceleration.class);

    /** The first call's result; guarded by the class lock. */
    private static Status configured;

    private CpuAcceleration() {
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
        String library = JavaCpp.loadedLibraries().get(JavaCpp.ND4J_JNI_LIBRARY);
        NativeBuild build = library == null ? null : JavaCpp.buildOfLibrary(library, JavaCpp.platform()).orElse(null);
        org.nd4j.nativeblas.Nd4jCpu.Environment shim = org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance();
        boolean helpers = helpersEnabled() && Nd4j.getEnvironment().helpersAllowed();
        return new NativeReport(backend, library, build, shim.isBuiltWithOneDnn(), shim.isUseONEDNN(), helpers);
    }

    /**
     * Sets the properties. Order matters: initialising JavaCPP's {@code Loader} class fills its property cache (its
     * static initialiser loads JavaCPP's own JNI library), so the extension is set before anything here touches
     * {@code Loader}, and only then is {@code Loader} asked whether ND4J is loaded already.
     */
    private static Status apply(Inputs inputs) {
        Decision decision = BuildChooser.decide(inputs);
        String extensionBefore = System.getProperty(EXTENSION_PROPERTY);
        if (decision.extensionToSet() != null) {
            System.setProperty(EXTENSION_PROPERTY, decision.extensionToSet());
        }
        boolean alreadyLoaded = JavaCpp.loadedLibraries().containsKey(JavaCpp.ND4J_JNI_LIBRARY);
        if (alreadyLoaded) {
            restore(EXTENSION_PROPERTY, extensionBefore); // too late to matter for ND4J; leave the JVM as it was
            decision = decideAfterLoad(inputs);
        } else if (decision.extensionToSet() != null) {
            JavaCpp.alignPropertyCache(decision.extensionToSet());
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
        String library = JavaCpp.loadedLibraries().get(JavaCpp.ND4J_JNI_LIBRARY);
        NativeBuild loaded = library == null ? null : JavaCpp.buildOfLibrary(library, in.platform()).orElse(null);
        List<String> warnings = new ArrayList<>();
        boolean optedOut = BuildChooser.optedOut(in.optOutProperty(), in.optOutEnvironment(), warnings);
        boolean enableHelpers = !optedOut && in.userHelpersDisable() == null
                && org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN();
        warnings.add("CpuAcceleration.configure() ran after ND4J had loaded " + library
                + "; call it first thing in main() to choose the build for this CPU");
        return new Decision(loaded, null, enableHelpers ? "false" : null,
                "ND4J was already loaded, build not chosen", warnings);
    }

    private static boolean helpersEnabled() {
        return !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE_PROPERTY, "true"));
    }
}
