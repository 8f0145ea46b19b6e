package io.github.mdunet.runtime.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.mdunet.runtime.cpu.CpuAccelerationProbe.Scenario;
import io.github.mdunet.runtime.process.ChildJvm;
import io.github.mdunet.runtime.testing.TestJvm;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What really gets loaded, checked in fresh JVMs, since JavaCPP and ND4J load once per JVM: setting the
 * property from Java code is in time, also after JavaCPP cached its properties; a CPU without AVX2 gets the plain
 * build instead of JavaCPP's own pick (a oneDNN-AVX2 binary that would exit the JVM); a missing AVX-512 jar
 * falls back to AVX2; the opt-out and a user's {@code -D} are obeyed. About 6 to 10 s per child JVM.
 */
class CpuAccelerationChildJvmTest {

    private static final String AVX512_JAR_MARKER = "-onednn-avx512.jar";
    private static NativeBuild best;

    @BeforeAll
    static void needsTheCpuProfileOnAnAvx512Linux() {
        best = CpuAccelerationInJvmTest.expectedBuild();
        assumeThat(best).as("these scenarios are written for an AVX-512 machine with the pom's three jars")
                .isEqualTo(NativeBuild.ONEDNN_AVX512);
        assumeThat(System.getenv(CpuAcceleration.OPT_OUT_ENVIRONMENT_VARIABLE)).isNull();
    }

    @Test
    void settingThePropertyFromCodeBeforeNd4jIsInTime() throws Exception {
        assertThat(run(Scenario.CONFIGURE, TestJvm.testClasspath()))
                .contains("STATUS ONEDNN_AVX512 late=false helpers=true", "REPORT ONEDNN_AVX512 oneDnnLayers=true")
                .doesNotContain("JavaCPP had read its platform properties", "WARN");
    }

    @Test
    void stillInTimeAfterJavaCppCachedItsProperties() throws Exception {
        String out = run(Scenario.JAVACPP_FIRST, TestJvm.testClasspath());

        assertThat(out).contains("REPORT ONEDNN_AVX512 oneDnnLayers=true", "setting platform.extension");
    }

    @Test
    void withoutConfigureJavaCppPicksTheAvx2OneDnnBuildByItself() throws Exception {
        // Why a CPU without AVX2 needs the explicit pin: this is the build JavaCPP would load there too.
        assertThat(run(Scenario.NO_CONFIGURE, TestJvm.testClasspath()))
                .contains("STATUS none", "REPORT ONEDNN_AVX2 oneDnnLayers=false");
    }

    @Test
    void cpuWithoutAvx2GetsThePlainBuild() throws Exception {
        assertThat(run(Scenario.CPU_WITHOUT_AVX2, TestJvm.testClasspath()))
                .contains("STATUS PLAIN late=false helpers=false", "REPORT PLAIN oneDnnLayers=false");
    }

    @Test
    void missingAvx512JarFallsBackToAvx2WithAWarning() throws Exception {
        List<String> classpath = TestJvm.testClasspath();
        List<String> withoutAvx512 = classpath.stream().filter(e -> !e.endsWith(AVX512_JAR_MARKER)).toList();
        assumeThat(withoutAvx512).hasSize(classpath.size() - 1);

        assertThat(run(Scenario.CONFIGURE, withoutAvx512))
                .contains("WARN", "linux-x86_64-onednn-avx512 would run faster on this CPU but is not on the classpath")
                .contains("REPORT ONEDNN_AVX2 oneDnnLayers=true");
    }

    @Test
    void optOutLoadsThePlainBuildWithoutHelpers() throws Exception {
        assertThat(run(Scenario.CONFIGURE, TestJvm.testClasspath(), "-Dmdunet.onednn=off"))
                .contains("STATUS PLAIN late=false helpers=false", "REPORT PLAIN oneDnnLayers=false");
    }

    @Test
    void userExtensionIsKept() throws Exception {
        assertThat(run(Scenario.CONFIGURE, TestJvm.testClasspath(),
                "-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2"))
                .contains("REPORT ONEDNN_AVX2 oneDnnLayers=true");
    }

    @Test
    void afterNd4jLoadedItSaysSoAndStillSwitchesTheHelpersOn() throws Exception {
        assertThat(run(Scenario.ND4J_FIRST, TestJvm.testClasspath()))
                .contains("configure() ran after ND4J had loaded")
                .contains("late=true helpers=true", "REPORT ONEDNN_AVX2 oneDnnLayers=true");
    }

    private static String run(Scenario scenario, List<String> classpath, String... jvmFlags)
            throws IOException, InterruptedException {
        List<String> flags = new ArrayList<>();
        flags.add("-Xmx1g");
        flags.addAll(List.of(jvmFlags));
        return TestJvm.run(new ChildJvm("scenario " + scenario, flags, CpuAccelerationProbe.class,
                List.of(scenario.name()), Duration.ofMinutes(5)).withClasspath(classpath)
                .withoutEnvironment(CpuAcceleration.OPT_OUT_ENVIRONMENT_VARIABLE));
    }
}
