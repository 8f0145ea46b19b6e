package io.github.mdunet.core.nativememory;

import static io.github.mdunet.core.memoryuse.ByteSize.GIB;
import static io.github.mdunet.core.memoryuse.ByteSize.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.memoryuse.ByteSize;
import io.github.mdunet.core.nativememory.NativeMemoryLimits.Decision;
import io.github.mdunet.core.nativememory.NativeMemoryLimits.Inputs;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The derivation of the limits, without a child JVM: {@link NativeMemoryLimits#decide} is a pure function. */
class NativeMemoryLimitsTest {

    private static final long MACHINE = 24 * GIB;

    @Test
    void smallHeapGetsNinetyPercentOfTheMachineAndNoTrackedBytesLimit() {
        Decision decision = NativeMemoryLimits.decide(new Inputs(2 * GIB, MACHINE, null, null));

        assertThat(decision.maxPhysicalBytesToSet()).isEqualTo(Long.toString(MACHINE / 100 * 90));
        assertThat(decision.maxBytesToSet()).isEqualTo("0");
        assertThat(decision.maxPhysicalBytes()).isEqualTo(MACHINE / 100 * 90);
        assertThat(decision.maxBytes()).isZero();
        assertThat(decision.explanation()).contains("90% of 24.0 GiB physical memory",
                "JavaCPP's default from -Xmx 2.0 GiB would be 8.0 GiB");
        assertThat(decision.warnings()).isEmpty();
    }

    @Test
    void javaCppsOwnLimitIsNeverLowered() {
        // The JVM's default heap is a quarter of the machine, so JavaCPP's 4 x -Xmx is already the whole machine.
        Decision decision = NativeMemoryLimits.decide(new Inputs(MACHINE / 4, MACHINE, null, null));

        assertThat(decision.maxPhysicalBytes()).isEqualTo(MACHINE);
        assertThat(decision.maxPhysicalBytesToSet()).as("written out, since maxbytes=0 would make it unlimited")
                .isEqualTo(Long.toString(MACHINE));
        assertThat(decision.explanation()).contains("already above 90%");
    }

    @Test
    void unknownMachineMemoryKeepsJavaCppsDefaultPhysicalLimit() {
        Decision decision = NativeMemoryLimits.decide(new Inputs(GIB, 0, null, null));

        assertThat(decision.maxPhysicalBytes()).isEqualTo(4 * GIB);
        assertThat(decision.maxBytes()).isZero();
    }

    @Test
    void userValuesAreKept() {
        Decision decision = NativeMemoryLimits.decide(new Inputs(2 * GIB, MACHINE, "3g", "10%"));

        assertThat(decision.maxBytesToSet()).isNull();
        assertThat(decision.maxPhysicalBytesToSet()).isNull();
        assertThat(decision.maxBytes()).isEqualTo(3 * GIB);
        assertThat(decision.maxPhysicalBytes()).as("JavaCPP reads %% of the heap").isEqualTo(2 * GIB / 10);
        assertThat(decision.explanation()).contains("set by the user, kept");
    }

    @Test
    void userMaxBytesAloneStillGetsTheMachineLimitAboveJavaCppsDerivedOne() {
        Decision decision = NativeMemoryLimits.decide(new Inputs(2 * GIB, MACHINE, "1g", null));

        assertThat(decision.maxBytesToSet()).isNull();
        assertThat(decision.maxBytes()).isEqualTo(GIB);
        // JavaCPP would derive 1g + 3 x 2g = 7g from the user's value; the machine allows more.
        assertThat(decision.maxPhysicalBytes()).isEqualTo(MACHINE / 100 * 90);
    }

    @Test
    void userMaxBytesOfZeroLeavesThePhysicalLimitUnlimitedAsJavaCppWould() {
        Decision decision = NativeMemoryLimits.decide(new Inputs(2 * GIB, MACHINE, "0", null));

        assertThat(decision.maxBytesToSet()).isNull();
        assertThat(decision.maxPhysicalBytesToSet()).isNull();
        assertThat(decision.maxPhysicalBytes()).isZero();
    }

    @Test
    void userMaxPhysicalBytesAloneIsKeptAndTrackedBytesAreUnlimited() {
        Decision decision = NativeMemoryLimits.decide(new Inputs(2 * GIB, MACHINE, null, "300m"));

        assertThat(decision.maxPhysicalBytesToSet()).isNull();
        assertThat(decision.maxPhysicalBytes()).isEqualTo(300 * MIB);
        assertThat(decision.maxBytesToSet()).isEqualTo("0");
    }

    @Test
    void unreadableUserValueIsKeptWithAWarningNamingItAndTheFormat() {
        Decision decision = NativeMemoryLimits.decide(new Inputs(2 * GIB, MACHINE, null, "lots"));

        assertThat(decision.maxPhysicalBytesToSet()).isNull();
        assertThat(decision.warnings()).singleElement().asString()
                .contains("org.bytedeco.javacpp.maxphysicalbytes='lots'", "20g");
    }

    @Test
    void camelCaseSpellingWinsAsInJavaCpp() {
        Map<String, String> both = Map.of(NativeMemoryLimits.MAX_BYTES_PROPERTY, "1g",
                NativeMemoryLimits.MAX_BYTES_CAMEL_CASE, "2g");
        Map<String, String> lowerOnly = Map.of(NativeMemoryLimits.MAX_BYTES_PROPERTY, "1g");
        Map<String, String> emptyCamel = Map.of(NativeMemoryLimits.MAX_BYTES_PROPERTY, "1g",
                NativeMemoryLimits.MAX_BYTES_CAMEL_CASE, "");

        assertThat(value(both)).isEqualTo("2g");
        assertThat(value(lowerOnly)).isEqualTo("1g");
        assertThat(value(emptyCamel)).as("present, so JavaCPP reads it (and then uses its default)").isEmpty();
        assertThat(value(Map.of())).isNull();
    }

    @Test
    void emptyUserValueCountsAsSetAndMeansJavaCppsDefault() {
        Decision decision = NativeMemoryLimits.decide(new Inputs(2 * GIB, MACHINE, "", null));

        assertThat(decision.maxBytesToSet()).isNull();
        assertThat(decision.maxBytes()).isEqualTo(2 * GIB);
        assertThat(decision.maxPhysicalBytes()).isEqualTo(MACHINE / 100 * 90);
    }

    @Test
    void applicationLimitIsTheHigherOfMachineShareAndJavaCppsDefault() {
        assertThat(NativeMemoryLimits.applicationMaxPhysicalBytes(2 * GIB, MACHINE)).isEqualTo(MACHINE / 100 * 90);
        assertThat(NativeMemoryLimits.applicationMaxPhysicalBytes(8 * GIB, MACHINE)).isEqualTo(32 * GIB);
        assertThat(NativeMemoryLimits.applicationMaxPhysicalBytes(GIB, 0)).isEqualTo(4 * GIB);
    }

    @Test
    void physicalMemoryOfThisMachineIsKnown() {
        assertThat(NativeMemoryLimits.physicalMemory()).isGreaterThan(Runtime.getRuntime().maxMemory());
    }

    @Test
    void inAJvmWhereJavaCppHasLoadedItChangesNothingAndSaysSo() {
        long before = Pointer.maxPhysicalBytes(); // the test JVM has loaded JavaCPP; make sure
        String property = System.getProperty(NativeMemoryLimits.MAX_PHYSICAL_BYTES_PROPERTY);

        NativeMemoryLimits.Applied applied = NativeMemoryLimits.raiseForApplication();

        assertThat(NativeMemoryLimits.javaCppHasReadItsLimits()).isTrue();
        assertThat(applied.javaCppWasLoaded()).isTrue();
        assertThat(applied.maxPhysicalBytes()).isEqualTo(before);
        assertThat(applied.explanation()).contains("ran after JavaCPP had read its limits", "first thing in main()");
        assertThat(System.getProperty(NativeMemoryLimits.MAX_PHYSICAL_BYTES_PROPERTY)).isEqualTo(property);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "123", "300m", "300M", "300mb", "2g", "2GB", "1t", "64k", "25%", " 7 g"})
    void readsSizesLikeJavaCpp(String text) {
        long heap = Runtime.getRuntime().maxMemory();
        if (text.startsWith(" ")) {
            assertThatThrownBy(() -> Pointer.parseBytes(text, heap)).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> ByteSize.parseJavaCpp(text, heap)).isInstanceOf(NumberFormatException.class);
        } else {
            assertThat(ByteSize.parseJavaCpp(text, heap)).isEqualTo(Pointer.parseBytes(text, heap));
        }
    }

    @Test
    void formatsForPeopleAndForFlags() {
        assertThat(ByteSize.format(0)).isEqualTo("unlimited");
        assertThat(ByteSize.format(256 * MIB)).isEqualTo("256 MiB");
        assertThat(ByteSize.format(MACHINE / 100 * 90)).isEqualTo("21.6 GiB");
        assertThat(ByteSize.flagValue(MACHINE / 100 * 90)).isEqualTo("21g");
        assertThat(ByteSize.flagValue(900 * MIB + 5)).isEqualTo("900m");
        assertThat(ByteSize.flagValue(0)).isEqualTo("0");
    }

    private static String value(Map<String, String> properties) {
        return NativeMemoryLimits.javaCppValue(properties::get, NativeMemoryLimits.MAX_BYTES_PROPERTY,
                NativeMemoryLimits.MAX_BYTES_CAMEL_CASE);
    }
}
