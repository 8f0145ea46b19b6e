package io.github.mdunet.core.layers.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code -Dmdunet.convWorkspace} setting's values, and the bad ones it names. */
class ConvWorkspaceTest {

    @ParameterizedTest(name = "''{0}'' is {1} bytes")
    @CsvSource({"512m, 536870912", "1g, 1073741824", "' 2GB ', 2147483648", "64kb, 65536", "1000, 1000"})
    void readsSizesAsJavaCppDoes(String value, long bytes) {
        ConvWorkspace limit = ConvWorkspace.parse(value);
        assertThat(limit.bytes()).isEqualTo(bytes);
        assertThat(limit.limited()).isTrue();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "  "})
    void unsetOrBlankIsNoLimit(String value) {
        assertThat(ConvWorkspace.parse(value)).isEqualTo(ConvWorkspace.UNLIMITED);
        assertThat(ConvWorkspace.parse(null)).isEqualTo(ConvWorkspace.UNLIMITED);
        assertThat(ConvWorkspace.UNLIMITED.limited()).isFalse();
        assertThat(ConvWorkspace.UNLIMITED).hasToString("unlimited");
        assertThat(ConvWorkspace.parse("1536m")).hasToString("1.5 GiB");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"0", "50%", "1.5g", "lots", "12q", "-4m"})
    void aValueThatIsNoPositiveSizeIsRefusedNamingThePropertyAndTheFix(String value) {
        assertThatThrownBy(() -> ConvWorkspace.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dmdunet.convWorkspace must be a positive size such as 512m or 1g but was '" + value
                        + "'; leave it unset for no limit (each large convolution's fastest way)");
    }
}
