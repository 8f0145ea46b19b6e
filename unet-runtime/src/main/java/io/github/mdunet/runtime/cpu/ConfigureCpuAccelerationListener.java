package io.github.mdunet.runtime.cpu;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs {@link CpuAcceleration#configure()} when the JUnit Platform opens its session, before any test class is
 * loaded and so before anything loads ND4J. Registered in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener} of the test resources.
 */
public final class ConfigureCpuAccelerationListener implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        CpuAcceleration.configure();
    }
}
