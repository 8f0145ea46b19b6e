package io.github.mdunet.tuning;

import io.github.mdunet.core.cpu.CpuAcceleration;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Runs {@link CpuAcceleration#configure()} before any test class loads ND4J (see unet-core's listener). */
public final class ConfigureCpuAccelerationListener implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        CpuAcceleration.configure();
    }
}
