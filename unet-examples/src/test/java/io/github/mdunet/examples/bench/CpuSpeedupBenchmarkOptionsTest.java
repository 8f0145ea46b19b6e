package io.github.mdunet.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.app.CommandLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --network} keeps its documented lower-case spellings now that it is an enum. */
class CpuSpeedupBenchmarkOptionsTest {

    @ParameterizedTest
    @CsvSource({"mdunet, MDUNET", "zoo, ZOO", "ZOO, ZOO"})
    void networkIsReadInAnyCase(String value, CpuSpeedupBenchmark.Network expected) {
        CpuSpeedupBenchmark benchmark = new CpuSpeedupBenchmark();
        CommandLines.of(benchmark).parseArgs("--network", value);

        assertThat(benchmark.network).isEqualTo(expected);
    }

    @Test
    void theDefaultNetworkIsThisProjectsUNet() {
        CpuSpeedupBenchmark benchmark = new CpuSpeedupBenchmark();
        CommandLines.of(benchmark).parseArgs("--size", "8");

        assertThat(benchmark.network).isEqualTo(CpuSpeedupBenchmark.Network.MDUNET);
    }
}
