package io.github.mdunet.data.augment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AugmentConfigTest {

    /**
     * The description is part of a run's data identity, which --resume compares: a configuration that uses none of
     * the settings added since reads exactly as the record read before them (the string of the 8-component record of
     * 2026-12-01), so its runs resume across the upgrade; a setting in use is named.
     */
    @Test
    void theDescriptionOfAConfigurationWithoutTheNewerSettingsIsTheEarlierRecordsForm() {
        assertThat(AugmentPreset.FLIPS.config()).hasToString("AugmentConfig[horizontalFlip=true, verticalFlip=true,"
                + " rotate90=false, framing=RESIZE, minScale=1.0, maxScale=1.0, jitter=ColorJitter[brightness=0.0,"
                + " contrast=0.0, saturation=0.0], imageInterpolation=BILINEAR]");

        AugmentConfig fastai = AugmentPreset.FASTAI.config();
        assertThat(fastai.toString()).contains("maxRotation=10.0", "perspective=PerspectiveWarp[magnitude=0.2]",
                "jitter=ColorJitter[brightness=0.2, contrast=0.2, saturation=0.0, space=LOGITS]",
                "affineProbability=0.75", "lightingProbability=0.75").doesNotContain("elastic");
        assertThat(fastai.withElastic(new ElasticDeformation(2, 8)).withJitter(new ColorJitter(0, 0, 0, 0.1))
                .toString()).contains("elastic=ElasticDeformation[magnitude=2.0, spacing=8]",
                "ColorJitter[brightness=0.0, contrast=0.0, saturation=0.0, hue=0.1]");
        assertThat(fastai.withProbabilities(1, 0.5).toString()).doesNotContain("affineProbability")
                .contains("lightingProbability=0.5");
    }
}
