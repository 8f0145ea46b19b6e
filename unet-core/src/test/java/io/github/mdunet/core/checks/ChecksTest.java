package io.github.mdunet.core.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.AccessMode;
import org.junit.jupiter.api.Test;

class ChecksTest {

    /** Beyond two choices (as ConvWays and NativeHeap have) the message lists them all, the last after "or". */
    @Test
    void propertyChoiceReadsAnyCaseAndListsEveryChoiceOnABadValue() {
        assertThat(Checks.propertyChoice("example", " Write ", AccessMode.READ, "a hint")).isEqualTo(AccessMode.WRITE);
        assertThatThrownBy(() -> Checks.propertyChoice("example", "run", AccessMode.READ, "a hint"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dexample must be 'read', 'write' or 'execute' but was 'run'; a hint");
    }
}
