package io.github.mdunet.runtime.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.mdunet.runtime.cpu.CpuAccelerationProbe.Scenario;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
        assertThat(run(Scenario.CONFIGURE, testClasspath()))
                .contains("STATUS ONEDNN_AVX512 late=false helpers=true", "REPORT ONEDNN_AVX512 oneDnnLayers=true")
                .doesNotContain("JavaCPP had read its platform properties", "WARN");
    }

    @Test
    void stillInTimeAfterJavaCppCachedItsProperties() throws Exception {
        String out = run(Scenario.JAVACPP_FIRST, testClasspath());

        assertThat(out).contains("REPORT ONEDNN_AVX512 oneDnnLayers=true", "setting platform.extension");
    }

    @Test
    void withoutConfigureJavaCppPicksTheAvx2OneDnnBuildByItself() throws Exception {
        // Why a CPU without AVX2 needs the explicit pin: this is the build JavaCPP would load there too.
        assertThat(run(Scenario.NO_CONFIGURE, testClasspath()))
                .contains("STATUS none", "REPORT ONEDNN_AVX2 oneDnnLayers=false");
    }

    @Test
    void cpuWithoutAvx2GetsThePlainBuild() throws Exception {
        assertThat(run(Scenario.CPU_WITHOUT_AVX2, testClasspath()))
                .contains("STATUS PLAIN late=false helpers=false", "REPORT PLAIN oneDnnLayers=false");
    }

    @Test
    void missingAvx512JarFallsBackToAvx2WithAWarning() throws Exception {
        List<String> classpath = testClasspath();
        List<String> withoutAvx512 = classpath.stream().filter(e -> !e.endsWith(AVX512_JAR_MARKER)).toList();
        assumeThat(withoutAvx512).hasSize(classpath.size() - 1);

        assertThat(run(Scenario.CONFIGURE, withoutAvx512))
                .contains("WARN", "linux-x86_64-onednn-avx512 would run faster on this CPU but is not on the classpath")
                .contains("REPORT ONEDNN_AVX2 oneDnnLayers=true");
    }

    @Test
    void optOutLoadsThePlainBuildWithoutHelpers() throws Exception {
        assertThat(run(Scenario.CONFIGURE, testClasspath(), "-Dmdunet.onednn=off"))
                .contains("STATUS PLAIN late=false helpers=false", "REPORT PLAIN oneDnnLayers=false");
    }

    @Test
    void userExtensionIsKept() throws Exception {
        assertThat(run(Scenario.CONFIGURE, testClasspath(), "-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2"))
                .contains("REPORT ONEDNN_AVX2 oneDnnLayers=true");
    }

    @Test
    void afterNd4jLoadedItSaysSoAndStillSwitchesTheHelpersOn() throws Exception {
        assertThat(run(Scenario.ND4J_FIRST, testClasspath()))
                .contains("configure() ran after ND4J had loaded")
                .contains("late=true helpers=true", "REPORT ONEDNN_AVX2 oneDnnLayers=true");
    }

    /** Surefire runs tests from a manifest-only jar; the real entries are in {@code surefire.test.class.path}. */
    private static List<String> testClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator)).filter(e -> !e.isBlank()).toList();
    }

    private static String run(Scenario scenario, List<String> classpath, String... jvmFlags)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(List.of(jvmFlags));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(CpuAccelerationProbe.class.getName());
        command.add(scenario.name());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove(CpuAcceleration.OPT_OUT_ENVIRONMENT_VARIABLE);
        Process process = builder.start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        assertThat(finished).as("child JVM of %s finished", scenario).isTrue();
        assertThat(process.exitValue()).as("exit status of %s; output:%n%s", scenario, output).isZero();
        return output.lines().filter(l -> !l.startsWith("\tat ")).collect(Collectors.joining("\n"));
    }
}
