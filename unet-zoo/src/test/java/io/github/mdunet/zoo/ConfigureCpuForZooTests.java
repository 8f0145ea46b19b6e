package io.github.mdunet.zoo;

import io.github.mdunet.core.cpu.CpuAcceleration;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Picks the fastest nd4j-native build before any zoo test loads ND4J (as unet-core's tests do). */
public final class ConfigureCpuForZooTests implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        CpuAcceleration.configure();
    }
}
