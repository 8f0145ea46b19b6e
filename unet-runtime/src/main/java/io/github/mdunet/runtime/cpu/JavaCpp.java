package io.github.mdunet.runtime.cpu;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What this JVM's JavaCPP sees: its platform name, the nd4j-native builds on the classpath, the loaded libraries. */
final class JavaCpp {

    /** The start of JavaCPP's system properties; {@code Loader}'s property cache keeps them without it. */
    static final String PROPERTY_PREFIX = "org.bytedeco.javacpp.";
    static final String PLATFORM_PROPERTY = PROPERTY_PREFIX + "platform";
    /** {@link CpuAcceleration#EXTENSION_PROPERTY}'s key in {@code Loader}'s property cache. */
    static final String CACHED_EXTENSION_KEY = CpuAcceleration.EXTENSION_PROPERTY.substring(PROPERTY_PREFIX.length());
    static final String LOADER = "org.bytedeco.javacpp.Loader";
    /** JavaCPP's name for ND4J's JNI library, as a key of {@code Loader.getLoadedLibraries()}. */
    static final String ND4J_JNI_LIBRARY = "jnind4jcpu";
    static final String BINDINGS_RESOURCE_DIRECTORY = "org/nd4j/linalg/cpu/nativecpu/bindings/";

    private static final Logger log = LoggerFactory.getLogger(JavaCpp.class);

    private JavaCpp() {
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
     * {@code Loader.loadProperties()} returns JavaCPP's property cache (filled when {@code Loader} was initialised);
     * when that happened before {@code CpuAcceleration.configure()}, the extension is written into it too.
     */
    static void alignPropertyCache(String extension) {
        try {
            Class<?> loader = Class.forName(LOADER, true, JavaCpp.class.getClassLoader());
            Properties cached = (Properties) loader.getMethod("loadProperties").invoke(null);
            if (!extension.equals(cached.getProperty(CACHED_EXTENSION_KEY))) {
                log.info("JavaCPP had read its platform properties before configure() (another JavaCPP library was "
                        + "loaded first); setting {}='{}' in its cache", CACHED_EXTENSION_KEY, extension);
                cached.setProperty(CACHED_EXTENSION_KEY, extension);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.debug("JavaCPP is not available, nothing to align", e);
        }
    }

    /** JavaCPP's {@code Loader.getLoadedLibraries()}: library name to file; empty without JavaCPP. */
    @SuppressWarnings("unchecked")
    static Map<String, String> loadedLibraries() {
        try {
            Class<?> loader = Class.forName(LOADER, true, JavaCpp.class.getClassLoader());
            Method method = loader.getMethod("getLoadedLibraries");
            return Collections.unmodifiableMap(new HashMap<>((Map<String, String>) method.invoke(null)));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Map.of();
        }
    }

    /**
     * JavaCPP's platform name ({@code linux-x86_64}, ...): {@code org.bytedeco.javacpp.platform} if set, else
     * derived from {@code os.name} and {@code os.arch} as JavaCPP's {@code Loader} does for the desktop and server
     * platforms, without touching {@code Loader} (see {@link CpuAcceleration#configure()}).
     */
    static String platform() {
        String configured = System.getProperty(PLATFORM_PROPERTY);
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
}
