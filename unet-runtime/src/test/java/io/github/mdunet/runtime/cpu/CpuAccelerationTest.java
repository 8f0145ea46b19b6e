package io.github.mdunet.runtime.cpu;

import static io.github.mdunet.runtime.cpu.NativeBuild.AVX2;
import static io.github.mdunet.runtime.cpu.NativeBuild.AVX512;
import static io.github.mdunet.runtime.cpu.NativeBuild.ONEDNN;
import static io.github.mdunet.runtime.cpu.NativeBuild.ONEDNN_AVX2;
import static io.github.mdunet.runtime.cpu.NativeBuild.ONEDNN_AVX512;
import static io.github.mdunet.runtime.cpu.NativeBuild.PLAIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.runtime.cpu.BuildChooser.Decision;
import io.github.mdunet.runtime.cpu.BuildChooser.Inputs;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure part of {@link CpuAcceleration}: CPU-flag parsing and the choice of build, fed with sample text. */
class CpuAccelerationTest {

    /** One core of a Xeon (Sapphire Rapids class) as a cloud VM shows it, trimmed to the interesting lines. */
    private static final String SAPPHIRE_RAPIDS_CORE = """
            processor\t: %d
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R) Processor
            flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse \
            sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 \
            x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm abm fsgsbase bmi1 avx2 smep bmi2 erms \
            invpcid avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb avx512cd sha_ni avx512bw avx512vl \
            xsaveopt xsavec xgetbv1 xsaves avx_vnni avx512_bf16 avx512vbmi umip pku ospke avx512_vbmi2 gfni vaes \
            vpclmulqdq avx512_vnni avx512_bitalg avx512_vpopcntdq amx_bf16 avx512_fp16 amx_tile amx_int8
            bugs\t\t: spectre_v1 spectre_v2 spec_store_bypass swapgs eibrs_pbrsb
            bogomips\t: 4200.00
            """;

    /** Two such cores, numbered as /proc/cpuinfo numbers them. */
    static final String AVX512_MACHINE = SAPPHIRE_RAPIDS_CORE.formatted(0) + "\n" + SAPPHIRE_RAPIDS_CORE.formatted(1);

    /** An AMD Zen 2 core: AVX2, no AVX-512. */
    static final String AVX2_ONLY_MACHINE = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 7R32
            flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse \
            sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid \
            extd_apicid aperfmperf tsc_known_freq pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave \
            avx f16c rdrand hypervisor lahf_lm cmp_legacy cr8_legacy abm sse4a misalignsse 3dnowprefetch topoext ssbd \
            ibrs ibpb stibp vmmcall fsgsbase bmi1 avx2 smep bmi2 rdseed adx smap clflushopt clwb sha_ni xsaveopt \
            xsavec xgetbv1 clzero xsaveerptr rdpru wbnoinvd arat npt nrip_save rdpid
            """;

    /** A Sandy Bridge core: AVX but not AVX2, the case where a oneDNN-AVX2 binary would exit(119). */
    static final String NO_AVX2_MACHINE = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz
            flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx \
            fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc arch_perfmon pebs bts rep_good nopl \
            xtopology nonstop_tsc aperfmperf pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 cx16 xtpr pdcm \
            pcid dca sse4_1 sse4_2 x2apic popcnt tsc_deadline_timer aes xsave avx lahf_lm epb tpr_shadow vnmi \
            flexpriority ept vpid xsaveopt dtherm ida arat pln pts
            """;

    /** A Xeon Phi (Knights Landing): avx512f and avx512cd but no BW/DQ/VL, which libnd4j's AVX-512 build needs. */
    static final String KNIGHTS_LANDING = """
            processor\t: 0
            model name\t: Intel(R) Xeon Phi(TM) CPU 7250 @ 1.40GHz
            flags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 fma cx16 popcnt avx f16c avx2 bmi1 bmi2 avx512f avx512pf \
            avx512er avx512cd
            """;

    /**
     * A virtual machine that passes AVX2 through but hides FMA and F16C, which libnd4j's AVX2 code uses without
     * checking for them when it loads.
     */
    static final String AVX2_WITHOUT_FMA_VM = """
            processor\t: 0
            model name\t: QEMU Virtual CPU version 2.5+
            flags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 cx16 popcnt avx avx2 hypervisor
            """;

    static final Set<NativeBuild> POM_BUILDS = EnumSet.of(PLAIN, ONEDNN_AVX2, ONEDNN_AVX512);
    static final String PLATFORM = "linux-x86_64";

    static Inputs inputs(String cpuInfo, Set<NativeBuild> available) {
        return new Inputs(null, null, null, null, CpuFeatures.parse(cpuInfo), PLATFORM, available);
    }

    /** {@code org.bytedeco.javacpp.platform.extension} set by the user, and nothing else, on {@code cpuInfo}'s CPU. */
    static Inputs userExtension(String extension, String cpuInfo, Set<NativeBuild> available) {
        return new Inputs(null, null, extension, null, CpuFeatures.parse(cpuInfo), PLATFORM, available);
    }

    /** The decision for a machine with every build of the pom on its classpath and nothing set by the user. */
    static Decision decisionFor(String cpuInfo) {
        return BuildChooser.decide(inputs(cpuInfo, POM_BUILDS));
    }

    /** What {@code decision} sets, in one assertion: the build, the extension and the helpers (null: left alone). */
    static void assertSets(Decision decision, NativeBuild build, String extensionToSet, String helpersDisableToSet) {
        assertThat(decision)
                .extracting(Decision::build, Decision::extensionToSet, Decision::helpersDisableToSet)
                .as("build, extensionToSet, helpersDisableToSet")
                .containsExactly(build, extensionToSet, helpersDisableToSet);
    }

    /** Name, /proc/cpuinfo text, whether it runs the oneDNN AVX-512 and AVX2 builds, and its SIMD level. */
    static Stream<Arguments> machines() {
        return Stream.of(
                Arguments.of("AVX-512 Xeon: every subset the AVX-512 build needs", AVX512_MACHINE, true, true,
                        "AVX-512"),
                Arguments.of("AVX2-only EPYC", AVX2_ONLY_MACHINE, false, true, "AVX2"),
                Arguments.of("Sandy Bridge: AVX but no AVX2", NO_AVX2_MACHINE, false, false, "no AVX2"),
                Arguments.of("Knights Landing: avx512f alone is not enough", KNIGHTS_LANDING, false, true, "AVX2"),
                Arguments.of("VM hiding FMA and F16C: AVX2 alone is not enough", AVX2_WITHOUT_FMA_VM, false, false,
                        "no AVX2"));
    }

    @Nested
    class Parsing {

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.github.mdunet.runtime.cpu.CpuAccelerationTest#machines")
        void supportsTheBuildsItsFlagsAllow(String machine, String cpuInfo, boolean avx512, boolean avx2,
                                            String simdLevel) {
            CpuFeatures cpu = CpuFeatures.parse(cpuInfo);

            assertThat(cpu.supports(ONEDNN_AVX512)).isEqualTo(avx512);
            assertThat(cpu.supports(ONEDNN_AVX2)).isEqualTo(avx2);
            assertThat(cpu.supports(PLAIN)).isTrue();
            assertThat(cpu.simdLevel()).isEqualTo(simdLevel);
        }

        /** nd4j-native's -avx512 and -avx2 builds are the oneDNN builds' libnd4j compilations without oneDNN. */
        @ParameterizedTest(name = "{0}")
        @MethodSource("io.github.mdunet.runtime.cpu.CpuAccelerationTest#machines")
        void theBuildsWithoutOneDnnNeedWhatTheirOneDnnTwinsNeed(String machine, String cpuInfo, boolean avx512,
                                                               boolean avx2, String simdLevel) {
            CpuFeatures cpu = CpuFeatures.parse(cpuInfo);

            assertThat(cpu.supports(AVX512)).isEqualTo(avx512);
            assertThat(cpu.supports(AVX2)).isEqualTo(avx2);
        }

        @Test
        void eachBuildNeedsWhatItsLibnd4jCompilationUses() {
            assertThat(AVX2.requiredCpuFlags()).containsExactlyInAnyOrder("avx", "avx2", "fma", "f16c");
            assertThat(AVX512.requiredCpuFlags()).containsExactlyInAnyOrder("avx", "avx2", "fma", "f16c", "bmi1",
                    "bmi2", "abm", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");
            assertThat(ONEDNN_AVX2.requiredCpuFlags()).isEqualTo(AVX2.requiredCpuFlags());
            assertThat(ONEDNN_AVX512.requiredCpuFlags()).isEqualTo(AVX512.requiredCpuFlags());
            assertThat(NativeBuild.fromExtension("-avx512")).contains(AVX512);
            assertThat(NativeBuild.fromExtension("-avx2")).contains(AVX2);
        }

        @Test
        void readsTheFlagsOfTheFlagsLines() {
            assertThat(CpuFeatures.parse(AVX512_MACHINE).flags())
                    .contains("avx2", "avx512f", "avx512bw", "avx512vl", "amx_tile");
            assertThat(CpuFeatures.parse(NO_AVX2_MACHINE).flags()).contains("avx").doesNotContain("avx2");
        }

        @Test
        void keepsOnlyTheFlagsEveryCoreHas() {
            String mixed = "flags\t: sse avx avx2 avx512f\nflags\t: sse avx avx2\n";

            assertThat(CpuFeatures.parse(mixed).flags()).containsExactlyInAnyOrder("sse", "avx", "avx2");
        }

        @Test
        void textWithoutFlagsLinesGivesUnknown() {
            String arm = "processor\t: 0\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32\n";

            assertThat(CpuFeatures.parse(arm)).isEqualTo(CpuFeatures.UNKNOWN);
            assertThat(CpuFeatures.parse("")).isEqualTo(CpuFeatures.UNKNOWN);
            assertThat(CpuFeatures.UNKNOWN.simdLevel()).isEqualTo("unknown CPU flags");
        }

        @Test
        void readsTheRealCpuInfoOfThisMachine() {
            CpuFeatures cpu = CpuFeatures.read(CpuFeatures.CPU_INFO);

            if (System.getProperty("os.name").startsWith("Linux") && "amd64".equals(System.getProperty("os.arch"))) {
                assertThat(cpu.flags()).contains("sse2"); // every x86-64 CPU has it
            }
        }

        @Test
        void missingFileGivesUnknown() {
            assertThat(CpuFeatures.read(java.nio.file.Path.of("/no/such/cpuinfo")))
                    .isEqualTo(CpuFeatures.UNKNOWN);
        }
    }

    @Nested
    class Choice {

        @Test
        void avx512MachineGetsTheAvx512BuildAndHelpers() {
            Decision d = decisionFor(AVX512_MACHINE);

            assertSets(d, ONEDNN_AVX512, "-onednn-avx512", "false");
            assertThat(d.reason()).contains("AVX-512", "linux-x86_64-onednn-avx512");
            assertThat(d.warnings()).isEmpty();
        }

        @Test
        void avx2MachineGetsTheAvx2Build() {
            assertSets(decisionFor(AVX2_ONLY_MACHINE), ONEDNN_AVX2, "-onednn-avx2", "false");
        }

        @Test
        void machineWithoutAvx2IsPinnedToThePlainBuildWithHelpersLeftAlone() {
            Decision d = decisionFor(NO_AVX2_MACHINE);

            assertSets(d, PLAIN, "", null); // an empty extension pins the plain jar
            assertThat(d.reason()).contains("no AVX2", "pinned");
        }

        @Test
        void knightsLandingGetsAvx2NotAvx512() {
            assertThat(decisionFor(KNIGHTS_LANDING).build()).isEqualTo(ONEDNN_AVX2);
        }

        @Test
        void unknownCpuGetsThePlainBuild() {
            Decision d = decisionFor("");

            assertThat(d.build()).isEqualTo(PLAIN);
            assertThat(d.extensionToSet()).isEmpty();
        }

        @Test
        void unknownCpuWithOneDnnJarsSaysThePlainBuildWasChosenAndHowToChooseOneDnn() {
            Decision d = decisionFor(""); // no /proc/cpuinfo: Windows, macOS

            assertSets(d, PLAIN, "", null);
            assertThat(d.warnings()).singleElement().asString()
                    .contains("CPU's features are unknown", "chose the plain nd4j-native build linux-x86_64",
                            "-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx512",
                            "-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2",
                            "needs avx, avx2, f16c, fma)");
        }

        @Test
        void unknownCpuWithThePlainJarAloneHasNothingToWarnAbout() {
            Decision d = BuildChooser.decide(inputs("", EnumSet.of(PLAIN)));

            assertSets(d, PLAIN, "", null);
            assertThat(d.warnings()).isEmpty();
        }

        @Test
        void unknownCpuGetsTheGenericOneDnnJarWithoutAWarningWhenPresent() {
            Decision d = BuildChooser.decide(inputs("", EnumSet.of(PLAIN, ONEDNN, ONEDNN_AVX2)));

            assertSets(d, ONEDNN, "-onednn", "false");
            assertThat(d.warnings()).isEmpty();
        }

        @Test
        void missingAvx512JarFallsBackToAvx2WithAWarning() {
            Decision d = BuildChooser.decide(inputs(AVX512_MACHINE, EnumSet.of(PLAIN, ONEDNN_AVX2)));

            assertThat(d.build()).isEqualTo(ONEDNN_AVX2);
            assertThat(d.reason()).contains("linux-x86_64-onednn-avx512 is not on the classpath");
            assertThat(d.warnings()).singleElement().asString()
                    .contains("linux-x86_64-onednn-avx512", "using linux-x86_64-onednn-avx2");
        }

        @Test
        void noOneDnnJarFallsBackToPlain() {
            Decision d = BuildChooser.decide(inputs(AVX512_MACHINE, EnumSet.of(PLAIN)));

            assertSets(d, PLAIN, "", null);
            assertThat(d.warnings()).singleElement().asString().contains("onednn-avx512", "onednn-avx2")
                    .as("the -avx512 and -avx2 jars are not in the pom: not missed").doesNotContain("x86_64-avx");
        }

        @Test
        void cpuWithAvx2ButWithoutFmaGetsThePlainBuild() {
            assertSets(decisionFor(AVX2_WITHOUT_FMA_VM), PLAIN, "", null);
        }

        @Test
        void avx2JarWithoutOneDnnIsChosenWhenItIsTheBestOneThere() {
            Decision d = BuildChooser.decide(inputs(AVX2_ONLY_MACHINE, EnumSet.of(PLAIN, AVX2)));

            assertSets(d, AVX2, "-avx2", null); // no oneDNN: DL4J's helpers stay as they are
            assertThat(d.warnings()).singleElement().asString()
                    .contains("linux-x86_64-onednn-avx2 would run faster", "using linux-x86_64-avx2");
        }

        @Test
        void genericOneDnnJarIsUsedOnACpuWithoutAvx2WhenPresent() {
            Decision d = BuildChooser.decide(inputs(NO_AVX2_MACHINE, EnumSet.of(PLAIN, ONEDNN)));

            assertThat(d.build()).isEqualTo(ONEDNN);
            assertThat(d.extensionToSet()).isEqualTo("-onednn");
            assertThat(d.warnings()).isEmpty();
        }

        @Test
        void noRunnableBuildChangesNothingAndSaysWhatToAdd() {
            Decision d = BuildChooser.decide(inputs(NO_AVX2_MACHINE, EnumSet.of(ONEDNN_AVX2)));

            assertThat(d.build()).isNull();
            assertThat(d.extensionToSet()).isNull();
            assertThat(d.warnings()).singleElement().asString()
                    .contains("no nd4j-native build", "linux-x86_64-onednn-avx2", "add nd4j-native's linux-x86_64 jar");
        }

        @Test
        void withoutNd4jNativeNothingIsTouched() {
            Decision d = BuildChooser.decide(inputs(AVX512_MACHINE, Set.of()));

            assertThat(d.extensionToSet()).isNull();
            assertThat(d.helpersDisableToSet()).as("cuDNN helpers are not ours to switch on").isNull();
            assertThat(d.reason()).contains("CUDA");
        }
    }

    @Nested
    class UserValues {

        @Test
        void userExtensionIsKeptAndHelpersFollowIt() {
            Inputs in = userExtension("-onednn-avx2", AVX512_MACHINE, POM_BUILDS);

            Decision d = BuildChooser.decide(in);

            assertSets(d, ONEDNN_AVX2, null, "false");
            assertThat(d.reason()).contains("set by the user");
            assertThat(d.warnings()).isEmpty();
        }

        @Test
        void userExtensionTheCpuCannotRunIsKeptWithAWarningNamingTheMissingFlagsAndTheFix() {
            Inputs in = userExtension("-onednn-avx512", AVX2_ONLY_MACHINE, POM_BUILDS);

            Decision d = BuildChooser.decide(in);

            assertSets(d, ONEDNN_AVX512, null, "false");
            assertThat(d.warnings()).singleElement().asString()
                    .startsWith("org.bytedeco.javacpp.platform.extension='-onednn-avx512' asks for")
                    .contains("lacks avx512bw, avx512cd, avx512dq, avx512f, avx512vl", "exit status 119",
                            "remove the property", "set it to '-onednn-avx2'");
        }

        /**
         * nd4j-native's AVX-512 build without oneDNN, asked for on a CPU without AVX-512: recognised (the status names
         * it, not "unknown") and warned about as its oneDNN twin is, before its binary stops the JVM.
         */
        @Test
        void userAvx512ExtensionWithoutOneDnnTheCpuCannotRunIsRecognisedAndWarnedAbout() {
            Inputs in = userExtension("-avx512", AVX2_ONLY_MACHINE,
                    EnumSet.of(PLAIN, ONEDNN_AVX2, ONEDNN_AVX512, AVX512));

            Decision d = BuildChooser.decide(in);

            assertSets(d, AVX512, null, null);
            assertThat(d.warnings()).singleElement().asString()
                    .startsWith("org.bytedeco.javacpp.platform.extension='-avx512' asks for nd4j-native's "
                            + "linux-x86_64-avx512, but this CPU (AVX2) lacks avx512bw, avx512cd, avx512dq, avx512f, "
                            + "avx512vl, which that build needs")
                    .contains("exit status 119", "set it to '-onednn-avx2'");
        }

        @Test
        void userAvx2ExtensionOnACpuWithoutAvx2NamesEveryMissingFlag() {
            Inputs in = userExtension("-avx2", NO_AVX2_MACHINE, EnumSet.of(PLAIN, AVX2));

            Decision d = BuildChooser.decide(in);

            assertSets(d, AVX2, null, null);
            assertThat(d.warnings()).singleElement().asString()
                    .contains("lacks avx2, f16c, fma, which that build needs", "set it to ''");
        }

        @Test
        void userExtensionOnACpuWithUnknownFlagsIsKeptWithoutAWarning() {
            Inputs in = new Inputs(null, null, "-onednn-avx512", null, CpuFeatures.UNKNOWN, PLATFORM, POM_BUILDS);

            assertThat(BuildChooser.decide(in).warnings()).isEmpty();
        }

        @Test
        void userPlainExtensionIsKeptWithoutHelpers() {
            Inputs in = userExtension("", AVX512_MACHINE, POM_BUILDS);

            assertSets(BuildChooser.decide(in), PLAIN, null, null);
        }

        @Test
        void userExtensionWhoseJarIsMissingIsKeptWithAWarning() {
            Inputs in = userExtension("-onednn-avx512", AVX512_MACHINE, EnumSet.of(PLAIN));

            Decision d = BuildChooser.decide(in);

            assertThat(d.extensionToSet()).isNull();
            assertThat(d.warnings()).singleElement().asString().contains("not on the classpath", "falls back");
        }

        @Test
        void userHelpersValueIsKept() {
            Inputs in = new Inputs(null, null, null, "true", CpuFeatures.parse(AVX512_MACHINE), PLATFORM, POM_BUILDS);

            Decision d = BuildChooser.decide(in);

            assertThat(d.extensionToSet()).isEqualTo("-onednn-avx512");
            assertThat(d.helpersDisableToSet()).isNull();
        }

        @Test
        void unknownUserExtensionIsKeptAsIs() {
            Inputs in = userExtension("-vednn", AVX512_MACHINE, POM_BUILDS);

            assertSets(BuildChooser.decide(in), null, null, null);
        }
    }

    @Nested
    class OptOut {

        @ParameterizedTest
        @ValueSource(strings = {"off", "OFF", "false", "no", "0", " off "})
        void propertyOffPinsThePlainBuildAndLeavesHelpersAlone(String value) {
            Inputs in = new Inputs(value, null, null, null, CpuFeatures.parse(AVX512_MACHINE), PLATFORM, POM_BUILDS);

            Decision d = BuildChooser.decide(in);

            assertSets(d, PLAIN, "", null);
            assertThat(d.reason()).contains("opted out");
        }

        @Test
        void environmentVariableOffWorksToo() {
            Inputs in = new Inputs(null, "off", null, null, CpuFeatures.parse(AVX512_MACHINE), PLATFORM, POM_BUILDS);

            assertThat(BuildChooser.decide(in).build()).isEqualTo(PLAIN);
        }

        @Test
        void propertyWinsOverEnvironmentVariable() {
            Inputs in = new Inputs("auto", "off", null, null, CpuFeatures.parse(AVX512_MACHINE), PLATFORM,
                    POM_BUILDS);

            assertThat(BuildChooser.decide(in).build()).isEqualTo(ONEDNN_AVX512);
        }

        @Test
        void optOutDoesNotOverrideAUserExtension() {
            Inputs in = new Inputs("off", null, "-onednn-avx2", null, CpuFeatures.parse(AVX512_MACHINE), PLATFORM,
                    POM_BUILDS);

            Decision d = BuildChooser.decide(in);

            assertThat(d.extensionToSet()).isNull();
            assertThat(d.helpersDisableToSet()).isNull();
        }

        @Test
        void optOutWithoutThePlainJarLeavesTheChoiceToJavaCppWithAWarning() {
            Inputs in = new Inputs("off", null, null, null, CpuFeatures.parse(AVX512_MACHINE), PLATFORM,
                    EnumSet.of(ONEDNN_AVX2));

            Decision d = BuildChooser.decide(in);

            assertThat(d.extensionToSet()).isNull();
            assertThat(d.warnings()).singleElement().asString().contains("linux-x86_64 jar is not on the classpath");
        }

        @Test
        void unknownValueIsReportedWithThePropertyNameAndTreatedAsAuto() {
            List<String> warnings = new ArrayList<>();

            boolean off = BuildChooser.optedOut("of", null, warnings);

            assertThat(off).isFalse();
            assertThat(warnings).containsExactly("mdunet.onednn must be 'off' or 'auto' but was 'of'; using auto");
        }

        @Test
        void unknownEnvironmentValueNamesTheVariable() {
            List<String> warnings = new ArrayList<>();

            BuildChooser.optedOut(null, "maybe", warnings);

            assertThat(warnings).singleElement().asString().startsWith("MDUNET_ONEDNN must be");
        }
    }

    @Nested
    class LoadedLibrary {

        @Test
        void recognisesEachBuildFromItsCacheDirectory() {
            String cache = "~/.javacpp/cache/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx512.jar/"
                    + "org/nd4j/linalg/cpu/nativecpu/bindings/";

            assertThat(JavaCpp.buildOfLibrary(cache + "linux-x86_64-onednn-avx512/libjnind4jcpu.so", PLATFORM))
                    .contains(ONEDNN_AVX512);
            assertThat(JavaCpp.buildOfLibrary(cache + "linux-x86_64-onednn-avx2/libjnind4jcpu.so", PLATFORM))
                    .contains(ONEDNN_AVX2);
            assertThat(JavaCpp.buildOfLibrary(cache + "linux-x86_64/libjnind4jcpu.so", PLATFORM))
                    .contains(PLAIN);
            assertThat(JavaCpp.buildOfLibrary(cache + "linux-x86_64-avx512/libjnind4jcpu.so", PLATFORM))
                    .contains(AVX512);
            assertThat(JavaCpp.buildOfLibrary(cache + "linux-x86_64-avx2/libjnind4jcpu.so", PLATFORM))
                    .contains(AVX2);
        }

        @Test
        void platformNamesFollowJavaCpp() {
            assertThat(JavaCpp.platformOf("Linux", "amd64")).isEqualTo("linux-x86_64");
            assertThat(JavaCpp.platformOf("Linux", "aarch64")).isEqualTo("linux-arm64");
            assertThat(JavaCpp.platformOf("Mac OS X", "x86_64")).isEqualTo("macosx-x86_64");
            assertThat(JavaCpp.platformOf("Windows 11", "amd64")).isEqualTo("windows-x86_64");
        }

        @Test
        void unrelatedPathIsUnknown() {
            assertThat(JavaCpp.buildOfLibrary("/usr/lib/libjnind4jcpu.so", PLATFORM)).isEmpty();
        }

        @Test
        void findsTheJarsOfThePomOnTheTestClasspath() {
            Set<NativeBuild> found = JavaCpp.findAvailableBuilds(PLATFORM, getClass().getClassLoader());

            if (JavaCpp.platform().equals(PLATFORM) && !found.isEmpty()) { // empty: cuda profile
                assertThat(found).containsAll(POM_BUILDS); // the default cpu profile puts all three there
            }
        }
    }
}
