package io.github.mdunet.runtime.cpu;

import io.github.mdunet.runtime.cpu.BuildChooser.Inputs;
import io.github.mdunet.runtime.cpu.CpuAcceleration.NativeReport;
import io.github.mdunet.runtime.cpu.CpuAcceleration.Status;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The main class of the child JVMs of {@link CpuAccelerationChildJvmTest}: sets up one start-up order, loads
 * ND4J and prints one {@code STATUS} and one {@code REPORT} line for the parent to check.
 */
public final class CpuAccelerationProbe {

    /** How the child starts. */
    enum Scenario {
        /** configure() as an application would call it. */
        CONFIGURE,
        /** JavaCPP caches its platform properties (as when OpenCV loads first), then configure(). */
        JAVACPP_FIRST,
        /** configure() on a CPU with AVX but no AVX2, played from a sample /proc/cpuinfo. */
        CPU_WITHOUT_AVX2,
        /** No configure(): what JavaCPP loads by itself with the pom's jars. */
        NO_CONFIGURE,
        /** ND4J loads first, configure() afterwards. */
        ND4J_FIRST
    }

    private CpuAccelerationProbe() {
    }

    public static void main(String[] args) throws Exception {
        Scenario scenario = Scenario.valueOf(args[0]);
        Status status = switch (scenario) {
            case CONFIGURE -> CpuAcceleration.configure();
            case JAVACPP_FIRST -> {
                Class.forName(JavaCpp.LOADER).getMethod("loadProperties").invoke(null);
                yield CpuAcceleration.configure();
            }
            case CPU_WITHOUT_AVX2 -> {
                String platform = JavaCpp.platform();
                yield CpuAcceleration.configure(new Inputs(null, null, null, null,
                        CpuFeatures.parse(CpuAccelerationTest.NO_AVX2_MACHINE), platform,
                        JavaCpp.findAvailableBuilds(platform, CpuAccelerationProbe.class.getClassLoader())));
            }
            case NO_CONFIGURE -> null;
            case ND4J_FIRST -> {
                Nd4j.create(new float[] {1, 2, 3});
                yield CpuAcceleration.configure();
            }
        };
        Nd4j.create(new float[] {1, 2, 3}).addi(1); // runs a native op: a wrong binary exits here with status 119
        NativeReport report = CpuAcceleration.nativeReport();
        System.out.println("STATUS " + (status == null ? "none" : status.build() + " late=" + status.nd4jAlreadyLoaded()
                + " helpers=" + status.helpersEnabled()));
        System.out.println("REPORT " + report.loadedBuild() + " oneDnnLayers=" + report.dl4jLayersUseOneDnn());
    }
}
