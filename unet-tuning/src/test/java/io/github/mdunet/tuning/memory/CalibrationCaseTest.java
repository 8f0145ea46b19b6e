package io.github.mdunet.tuning.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.config.ChannelReduction;
import org.junit.jupiter.api.Test;

/** A case's text is its key in calibration.csv: it must parse back to the same network. */
class CalibrationCaseTest {

    /** Written with 2 decimals, 0.125 came back as 0.13, a network with other channel counts. */
    @Test
    void theTextKeepsTheWholeMidScale() {
        CalibrationCase eighth = new CalibrationCase("classic:4:16", 128, 4, ChannelReduction.EQ_SKIP, 0.125);

        CalibrationCase back = CalibrationCase.parse(eighth.toString());

        assertThat(eighth).hasToString("classic:4:16/128/4/EQ_SKIP/0.125");
        assertThat(back).isEqualTo(eighth);
        assertThat(back.toConfig()).isEqualTo(eighth.toConfig());
        CalibrationCase fused = new CalibrationCase("zoo:SQUEEZENET", 96, 8, ChannelReduction.NONE, 1.0 / 3,
                BlockLayers.FUSED);
        assertThat(CalibrationCase.parse(fused.toString())).isEqualTo(fused);
    }

    /** 1.004 and 1.0 were both keyed 1.00, so the one measured second was never measured. */
    @Test
    void nearbyScalesHaveTheirOwnKeysAndLabels() {
        CalibrationCase one = CalibrationCase.parse("classic:4:16/128/4/EQ_SKIP/1.0");
        CalibrationCase almost = CalibrationCase.parse("classic:4:16/128/4/EQ_SKIP/1.004");

        assertThat(almost.toString()).isNotEqualTo(one.toString());
        assertThat(one.label()).isEqualTo("classic:4:16/128/4/EQ_SKIP/1.00");
        assertThat(almost.label()).isEqualTo("classic:4:16/128/4/EQ_SKIP/1.004");
        assertThat(CalibrationCase.parse("classic:4:16/128/4/EQ_SKIP/0.125").label())
                .isEqualTo("classic:4:16/128/4/EQ_SKIP/0.125");
    }

    /** Earlier versions wrote 2 decimals: such a text is the case it shows, keyed as it is now. */
    @Test
    void textsOfEarlierVersionsStillParse() {
        CalibrationCase old = CalibrationCase.parse("zoo:SQUEEZENET/128/8/EQ_SKIP/1.00/FUSED");

        assertThat(old).isEqualTo(new CalibrationCase("zoo:SQUEEZENET", 128, 8, ChannelReduction.EQ_SKIP, 1.0,
                BlockLayers.FUSED));
        assertThat(old).hasToString("zoo:SQUEEZENET/128/8/EQ_SKIP/1.0/FUSED");
        assertThat(old.label()).isEqualTo("zoo:SQUEEZENET/128/8/EQ_SKIP/1.00/FUSED");
    }
}
