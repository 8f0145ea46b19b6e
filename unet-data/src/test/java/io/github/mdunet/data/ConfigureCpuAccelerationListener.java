package io.github.mdunet.data;

import io.github.mdunet.core.cpu.CpuAcceleration;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Runs {@link CpuAcceleration#configure()} before any test class loads ND4J (as unet-core's tests do). */
public final class ConfigureCpuAccelerationListener implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        CpuAcceleration.configure();
    }
}
