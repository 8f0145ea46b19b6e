package io.github.mdunet.data.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.predict.Mirror;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
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

    /**
     * The mirror images a configuration records are those its draws show: each draw's quarter turns and flips,
     * composed, are one of the eight symmetries of the square; the left-right and top-bottom flips and the half turn
     * among them are its mirror images. Checked over 200 draws of each of the 8 combinations of flips and turns.
     */
    @Test
    void theRecordedMirrorImagesAreThoseTheDrawsShow() {
        for (int flags = 0; flags < 8; flags++) {
            AugmentConfig config = new AugmentConfig((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, 0,
                    ElasticDeformation.NONE, PerspectiveWarp.NONE, Framing.RESIZE, 1, 1, ColorJitter.NONE,
                    Interpolation.BILINEAR);
            JointAugmenter augmenter = new JointAugmenter(config);
            SplittableRandom random = new SplittableRandom(flags);
            Set<Mirror> shown = EnumSet.noneOf(Mirror.class);
            for (int draw = 0; draw < 200; draw++) {
                JointAugmenter.Draw drawn = augmenter.draw(random, 8, 8, 8, 8);
                // An odd number of quarter turns swaps the axes (with or without flips: a turn or a diagonal
                // mirror); an even one is the identity or the half turn, which negates both axes, as do the flips.
                if (drawn.quarterTurns() % 2 == 1) {
                    continue;
                }
                int halfTurn = drawn.quarterTurns() == 2 ? -1 : 1;
                int sx = (drawn.flipH() ? -1 : 1) * halfTurn;
                int sy = (drawn.flipV() ? -1 : 1) * halfTurn;
                if (sx == -1 && sy == 1) {
                    shown.add(Mirror.LEFT_RIGHT);
                } else if (sx == 1 && sy == -1) {
                    shown.add(Mirror.TOP_BOTTOM);
                } else if (sx == -1) {
                    shown.add(Mirror.BOTH);
                }
            }
            assertThat(config.mirrors()).as("%s", config).isEqualTo(shown);
            assertThat(config.trainingRecord().mirrors()).contains(shown);
        }
    }

    /** Crops record their validation scale for prediction's tiles; a stretch records none. */
    @Test
    void cropsRecordTheirValidationScale() {
        AugmentConfig zoom = AugmentConfig.NONE.withFraming(Framing.RANDOM_CROP).withScale(0.5, 0.7);
        assertThat(zoom.trainingRecord().scale()).hasValue(zoom.forValidation().minScale());
        assertThat(zoom.trainingRecord().scale().getAsDouble()).isCloseTo(0.6, within(1e-12));
        assertThat(zoom.trainingRecord().framing()).contains(ImageFraming.TILES);
        assertThat(AugmentPreset.FLIPS.config().trainingRecord().scale()).isEmpty();
        assertThat(AugmentPreset.FLIPS.config().trainingRecord().framing()).contains(ImageFraming.RESIZE);
    }
}
