package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StandardErrorTerminalTest {

    @ParameterizedTest
    @ValueSource(strings = {"/dev/pts/0", "/dev/pts/17", "/dev/tty", "/dev/tty1", "/dev/console"})
    void terminalDevicesAreTerminals(String target) {
        assertThat(StandardErrorTerminal.isTerminalDevice(target)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe:[48213]", "/tmp/train.log", "/dev/null", "socket:[9]", "anon_inode:[eventfd]"})
    void filesPipesAndSocketsAreNot(String target) {
        assertThat(StandardErrorTerminal.isTerminalDevice(target)).isFalse();
    }

    @Test
    void theTestForksStandardErrorIsNotATerminal() {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/self/fd/2")), "Linux's /proc");

        assertThat(StandardErrorTerminal.isTerminal()).isFalse();
    }
}
