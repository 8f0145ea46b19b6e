package io.github.mdunet.app;

import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.augment.AugmentPreset;
import io.github.mdunet.data.augment.ColorJitter;
import io.github.mdunet.data.augment.ElasticDeformation;
import io.github.mdunet.data.augment.Framing;
import io.github.mdunet.data.augment.LightingSpace;
import io.github.mdunet.data.augment.PerspectiveWarp;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The training augmentation on the command line: {@code --augment} names a preset, and {@code --zoom},
 * {@code --jitter}, {@code --jitter-space}, {@code --rotate}, {@code --elastic}, {@code --warp}, {@code --p-affine}
 * and {@code --p-lighting} each replace its value. A picocli mixin for the apps that train on a folder
 * ({@code train}, {@code spark-train-folder}).
 */
public final class AugmentOptions {

    @Option(names = "--augment", description = "Training augmentation: ${COMPLETION-CANDIDATES}.")
    AugmentPreset preset = AugmentPreset.FLIPS;

    @Option(names = "--zoom", split = ",", description = "Random zoom range MIN,MAX with a random crop, replacing the"
            + " preset's (e.g. 0.75,1.25). The crops are taken at the image's own scale zoomed by a factor in the"
            + " range (an image smaller than the input is first scaled to cover it), also with the stretching presets"
            + " none and flips: training then no longer sees whole images stretched. Below 1 zooms out: the rest of"
            + " the input shows the image mirrored at its edges, image and mask alike. Validation uses the middle, and"
            + " so do predict and evaluate (the model file records it).")
    List<Double> zoom;

    @Option(names = "--jitter", split = ",", paramLabel = "B,C,S[,H]", description = "Colour jitter"
            + " BRIGHTNESS,CONTRAST,SATURATION, each in [0, 1), and optionally HUE, a share of the colour wheel in"
            + " [0, 0.5] (torchvision's), replacing the preset's (e.g. 0.2,0.2,0.2 or 0.2,0.2,0.2,0.05).")
    List<Double> jitter;

    @Option(names = "--jitter-space", description = "Where the jitter's brightness and contrast act:"
            + " ${COMPLETION-CANDIDATES}. pixels: factors on the values (torchvision's); logits: on each value's logit,"
            + " brightness never clipping and contrast about mid grey (fastai's). Replacing the preset's (logits in the"
            + " fastai preset, pixels elsewhere).")
    LightingSpace jitterSpace;

    @Option(names = "--rotate", paramLabel = "DEGREES", description = "Rotate each training sample by an angle drawn"
            + " from [-DEGREES, DEGREES] about its centre, image and mask alike, the uncovered corners mirrored"
            + " (fastai's max_rotate, 10 in its aug_transforms); 0 to 180, replacing the preset's (the fastai preset's"
            + " is 10). Validation is not rotated.")
    Double rotate;

    @Option(names = "--elastic", split = ",", paramLabel = "MAGNITUDE[,SPACING]", description = "Deform each training"
            + " sample elastically, image and mask alike: random offsets of standard deviation MAGNITUDE pixels at"
            + " control points SPACING pixels apart (default " + ElasticDeformation.DEFAULT_SPACING + "), smoothed"
            + " by cubic B-splines (MONAI's Rand2DElastic); replacing the preset's (none deforms). Validation is"
            + " not deformed.")
    List<Double> elastic;

    @Option(names = "--warp", paramLabel = "MAGNITUDE", description = "Warp each training sample's perspective, image"
            + " and mask alike: the window's corners shifted by up to MAGNITUDE of its half side, in [0, 0.5)"
            + " (fastai's max_warp, 0.2 in its aug_transforms and the fastai preset); replacing the preset's."
            + " Validation is not warped.")
    Double warp;

    @Option(names = "--p-affine", paramLabel = "P", description = "The chance, 0 to 1, that each of the rotation, the"
            + " zoom range, the warp's two shifts and the elastic deformation is applied to a training sample, drawn"
            + " for each on its own (fastai's p_affine; a zoom left out is scale 1); replacing the preset's (1, the"
            + " fastai preset's 0.75).")
    Double affineProbability;

    @Option(names = "--p-lighting", paramLabel = "P", description = "The chance, 0 to 1, that each of the brightness,"
            + " contrast, saturation and hue changes of the jitter is applied to a training sample, drawn for each on"
            + " its own (fastai's p_lighting); replacing the preset's (1, the fastai preset's 0.75).")
    Double lightingProbability;

    /**
     * The preset with the options' values.
     *
     * @throws IllegalArgumentException naming the option, what it takes and the value given: an app's usage error
     */
    public AugmentConfig config() {
        checkShapes();
        checkValues();
        AugmentConfig config = withOverrides(preset.config());
        checkActsOnSomething(config);
        return config;
    }

    /** A chance or a lighting space given for transforms the augmentation does not have would change nothing. */
    private void checkActsOnSomething(AugmentConfig config) {
        boolean affine = config.maxRotation() > 0 || config.maxScale() > config.minScale()
                || !config.perspective().isNone() || !config.elastic().isNone();
        if (affineProbability != null && !affine) {
            throw new IllegalArgumentException("--p-affine has nothing to act on: " + given() + " has no rotation,"
                    + " zoom range, warp or elastic deformation; add --rotate, --zoom MIN,MAX, --warp or --elastic,"
                    + " or leave --p-affine out");
        }
        if (lightingProbability != null && config.jitter().isNone()) {
            throw new IllegalArgumentException("--p-lighting has nothing to act on: " + given() + " has no colour"
                    + " jitter; add --jitter B,C,S[,H], or leave --p-lighting out");
        }
        if (jitterSpace != null && config.jitter().brightness() == 0 && config.jitter().contrast() == 0) {
            throw new IllegalArgumentException("--jitter-space has nothing to act on: it moves brightness and"
                    + " contrast, which " + given() + " leaves at 0; add --jitter B,C,S[,H], or leave --jitter-space"
                    + " out");
        }
    }

    /** Each list option has the length (and the elastic spacing the whole number) it takes. */
    private void checkShapes() {
        if (zoom != null && zoom.size() != 2) {
            throw new IllegalArgumentException("--zoom takes MIN,MAX (two numbers) but was " + zoom);
        }
        if (jitter != null && jitter.size() != 3 && jitter.size() != 4) {
            throw new IllegalArgumentException("--jitter takes BRIGHTNESS,CONTRAST,SATURATION[,HUE] (three or four"
                    + " numbers) but was " + jitter);
        }
        if (elastic != null && (elastic.isEmpty() || elastic.size() > 2
                || elastic.size() == 2 && elastic.get(1) != Math.rint(elastic.get(1)))) {
            throw new IllegalArgumentException("--elastic takes MAGNITUDE[,SPACING] (pixels; SPACING a whole number)"
                    + " but was " + elastic);
        }
    }

    /** Each value in its range, named as the option gives it (the records' own checks, with the options' names). */
    private void checkValues() {
        if (zoom != null) {
            AugmentConfig.checkScales("--zoom", "MIN", "MAX", zoom.get(0), zoom.get(1));
        }
        if (jitter != null) {
            ColorJitter.checkAmount("--jitter's BRIGHTNESS", jitter.get(0));
            ColorJitter.checkAmount("--jitter's CONTRAST", jitter.get(1));
            ColorJitter.checkAmount("--jitter's SATURATION", jitter.get(2));
            if (jitter.size() == 4) {
                ColorJitter.checkHue("--jitter's HUE", jitter.get(3));
            }
        }
        if (rotate != null) {
            AugmentConfig.checkRotation("--rotate", rotate);
        }
        if (elastic != null) {
            ElasticDeformation.checkMagnitude("--elastic's MAGNITUDE", elastic.get(0));
            if (elastic.size() == 2) {
                ElasticDeformation.checkSpacing("--elastic's SPACING", elastic.get(1).intValue());
            }
        }
        if (warp != null) {
            PerspectiveWarp.checkMagnitude("--warp", warp);
        }
        if (affineProbability != null) {
            AugmentConfig.checkProbability("--p-affine", affineProbability);
        }
        if (lightingProbability != null) {
            AugmentConfig.checkProbability("--p-lighting", lightingProbability);
        }
    }

    private AugmentConfig withOverrides(AugmentConfig preset) {
        AugmentConfig config = preset;
        if (zoom != null) {
            config = config.withFraming(Framing.RANDOM_CROP).withScale(zoom.get(0), zoom.get(1));
        }
        if (jitter != null) {
            config = config.withJitter(new ColorJitter(jitter.get(0), jitter.get(1), jitter.get(2),
                    jitter.size() == 4 ? jitter.get(3) : 0, config.jitter().space()));
        }
        if (jitterSpace != null) {
            config = config.withJitter(config.jitter().withSpace(jitterSpace));
        }
        if (rotate != null) {
            config = config.withRotation(rotate);
        }
        if (elastic != null) {
            config = config.withElastic(new ElasticDeformation(elastic.get(0),
                    elastic.size() == 2 ? elastic.get(1).intValue() : ElasticDeformation.DEFAULT_SPACING));
        }
        if (warp != null) {
            config = config.withPerspective(new PerspectiveWarp(warp));
        }
        if (affineProbability != null || lightingProbability != null) {
            config = config.withProbabilities(
                    affineProbability == null ? config.affineProbability() : affineProbability,
                    lightingProbability == null ? config.lightingProbability() : lightingProbability);
        }
        return config;
    }

    /** The augmentation options as given, for messages: {@code --augment FLIPS --rotate 200.0}. */
    private String given() {
        return "--augment " + preset + (zoom == null ? "" : " --zoom " + zoom)
                + (jitter == null ? "" : " --jitter " + jitter)
                + (jitterSpace == null ? "" : " --jitter-space " + jitterSpace)
                + (rotate == null ? "" : " --rotate " + rotate)
                + (elastic == null ? "" : " --elastic " + elastic) + (warp == null ? "" : " --warp " + warp)
                + (affineProbability == null ? "" : " --p-affine " + affineProbability)
                + (lightingProbability == null ? "" : " --p-lighting " + lightingProbability);
    }
}
