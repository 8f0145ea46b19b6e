package io.github.mdunet.runtime.cpu;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs {@link CpuAcceleration#configure()} when the JUnit Platform opens its session, before any test class is
 * loaded and so before anything loads ND4J.
 *
 * <p>Registered in {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener} of the main
 * resources, so inside the unet-runtime jar, on purpose: every module's tests use this one listener by having
 * unet-runtime on their test classpath. So does any project that depends on unet-runtime, directly or through
 * unet-app, unet-tuning or unet-examples: its JUnit sessions (Surefire, Gradle, an IDE) run {@code configure()}
 * too, which sets two system properties of the test JVM unless they are set already:
 * {@value CpuAcceleration#EXTENSION_PROPERTY} (the nd4j-native build for this CPU; the empty string pins the plain
 * one) and, when a oneDNN build is chosen, {@value CpuAcceleration#HELPERS_DISABLE_PROPERTY}{@code =false} (DL4J's
 * oneDNN layer helpers on); it logs one INFO line. No property switches the listener itself off (JUnit's
 * {@code junit.platform.execution.listeners.deactivate} filters test-execution listeners, not session listeners).
 * To keep DL4J's helpers as they are and the plain build, set {@value CpuAcceleration#OPT_OUT_PROPERTY}{@code =off}
 * (or {@code MDUNET_ONEDNN=off}); a value set for either property beforehand, e.g. with {@code -D} in the test JVM's
 * arguments, is kept as it is.
 */
public final class ConfigureCpuAccelerationListener implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        CpuAcceleration.configure();
    }
}
