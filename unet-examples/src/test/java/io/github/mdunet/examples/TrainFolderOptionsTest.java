package io.github.mdunet.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.augment.AugmentPreset;
import io.github.mdunet.data.augment.ColorJitter;
import io.github.mdunet.data.augment.ElasticDeformation;
import io.github.mdunet.data.augment.Framing;
import io.github.mdunet.data.augment.LightingSpace;
import io.github.mdunet.data.augment.PerspectiveWarp;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import io.github.mdunet.zoo.ZooBackbone;
import io.github.mdunet.zoo.ZooEncoder;
import io.github.mdunet.zoo.training.FineTuning;
import io.github.mdunet.zoo.training.FrozenBatchNorm;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** TrainFolder's augmentation and validation-folder options, parsed as a user types them. */
class TrainFolderOptionsTest {

    private static TrainFolder parse(String... args) {
        TrainFolder app = new TrainFolder();
        String[] all = new String[args.length + 4];
        System.arraycopy(new String[] {"--data", "d", "--classes", "2"}, 0, all, 0, 4);
        System.arraycopy(args, 0, all, 4, args.length);
        new CommandLine(app).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(all);
        return app;
    }

    @Test
    void eachPresetGivesItsAugmentation() {
        assertThat(parse("--augment", "none").augment.config()).isEqualTo(AugmentConfig.NONE);
        assertThat(parse("--augment", "standard").augment.config()).isEqualTo(AugmentConfig.standard());
        AugmentConfig flips = parse("--augment", "flips").augment.config();
        assertThat(flips.horizontalFlip() && flips.verticalFlip()).isTrue();
        assertThat(flips.rotate90()).isFalse();
        assertThat(flips.jitter()).isEqualTo(ColorJitter.NONE);
        assertThat(flips.framing()).isEqualTo(Framing.RESIZE);
        assertThat(parse("--augment", "flips_turns").augment.config().rotate90()).isTrue();
        assertThat(parse("--augment", "flips_zoom").augment.config().maxScale()).isEqualTo(1.25);
        assertThat(parse().augment.config()).isEqualTo(AugmentPreset.FLIPS.config());
        AugmentConfig fastai = parse("--augment", "fastai").augment.config();
        assertThat(fastai.horizontalFlip() && !fastai.verticalFlip() && !fastai.rotate90()).isTrue();
        assertThat(fastai.maxRotation()).isEqualTo(10);
        assertThat(fastai.perspective()).isEqualTo(new PerspectiveWarp(0.2));
        assertThat(fastai.maxScale()).isEqualTo(1.1);
        assertThat(fastai.jitter()).isEqualTo(new ColorJitter(0.2, 0.2, 0, 0, LightingSpace.LOGITS));
        assertThat(List.of(fastai.affineProbability(), fastai.lightingProbability())).containsExactly(0.75, 0.75);
        assertThat(List.of(flips.affineProbability(), flips.lightingProbability())).containsExactly(1.0, 1.0);
    }

    /** --jitter keeps the preset's lighting space; --jitter-space replaces it, with any preset. */
    @Test
    void theJitterSpaceIsThePresetsUnlessGiven() {
        assertThat(parse("--augment", "fastai", "--jitter", "0.1,0.1,0").augment.config().jitter())
                .isEqualTo(new ColorJitter(0.1, 0.1, 0, 0, LightingSpace.LOGITS));
        assertThat(parse("--augment", "standard", "--jitter-space", "logits").augment.config())
                .isEqualTo(AugmentConfig.standard().withJitter(new ColorJitter(0.2, 0.2, 0.2).withSpace(
                        LightingSpace.LOGITS)));
        assertThat(parse("--augment", "fastai", "--jitter-space", "pixels").augment.config().jitter())
                .isEqualTo(new ColorJitter(0.2, 0.2, 0));
    }

    /** fastai's p_affine and p_lighting replace a preset's chances, one without the other too; both are checked. */
    @Test
    void theChancesReplaceThePresetsAndAreChecked() {
        assertThat(parse("--augment", "standard", "--p-affine", "0.5", "--p-lighting", "0.25").augment.config())
                .isEqualTo(AugmentConfig.standard().withProbabilities(0.5, 0.25));
        assertThat(parse("--augment", "fastai", "--p-lighting", "1").augment.config())
                .isEqualTo(AugmentPreset.FASTAI.config().withProbabilities(0.75, 1));
        assertThatThrownBy(() -> parse("--p-affine", "1.5").checkedOptions())
                .hasMessageContaining("--p-affine must be in [0, 1] but was 1.5");
    }

    /** A chance or a lighting space for transforms the augmentation lacks is refused, naming what to add. */
    @Test
    void aChanceOrSpaceWithNothingToActOnIsRefused() {
        assertThatThrownBy(() -> parse("--augment", "flips", "--p-affine", "0.5").checkedOptions())
                .hasMessage("--p-affine has nothing to act on: --augment FLIPS --p-affine 0.5 has no rotation, zoom"
                        + " range, warp or elastic deformation; add --rotate, --zoom MIN,MAX, --warp or --elastic, or"
                        + " leave --p-affine out");
        assertThatThrownBy(() -> parse("--augment", "flips_zoom", "--p-lighting", "0.5").checkedOptions())
                .hasMessageContaining("--p-lighting has nothing to act on: --augment FLIPS_ZOOM --p-lighting 0.5 has"
                        + " no colour jitter; add --jitter");
        assertThatThrownBy(() -> parse("--augment", "fastai", "--jitter", "0,0,0.2", "--jitter-space", "logits")
                .checkedOptions()).hasMessageContaining("--jitter-space has nothing to act on");
        assertThat(parse("--augment", "flips", "--rotate", "5", "--p-affine", "0.5").augment.config()
                .affineProbability()).isEqualTo(0.5);
    }

    /** The run's last lines say where predict tiles a model trained on crops: at the validation crops' scale. */
    @Test
    void theClosingLineNamesTheScaleThatPredictTilesAt() {
        assertThat(TrainFolder.tileScale(parse("--zoom", "0.5,0.5").augment.config()))
                .isEqualTo("in tiles of each image resampled by 0.5, the training crops' scale");
        assertThat(TrainFolder.tileScale(parse("--augment", "fastai").augment.config()))
                .isEqualTo("in tiles of each image resampled by 1.038, the training crops' scale");
        assertThat(TrainFolder.tileScale(parse("--augment", "flips_turns").augment.config()))
                .isEqualTo("in tiles at each image's own scale");
    }

    @Test
    void zoomAndJitterReplaceThePresetsValues() {
        AugmentConfig config = parse("--augment", "flips", "--zoom", "1,1.5", "--jitter", "0.1,0,0.3").augment.config();
        assertThat(config.framing()).isEqualTo(Framing.RANDOM_CROP);
        assertThat(config.minScale()).isEqualTo(1.0);
        assertThat(config.maxScale()).isEqualTo(1.5);
        assertThat(config.jitter()).isEqualTo(new ColorJitter(0.1, 0, 0.3));
        assertThat(config.horizontalFlip()).isTrue();
        assertThat(config.maxRotation()).as("no rotation unless asked").isZero();
        assertThat(parse("--jitter", "0.1,0,0.3,0.05").augment.config().jitter())
                .isEqualTo(new ColorJitter(0.1, 0, 0.3, 0.05));
    }

    @Test
    void elasticAddsADeformationToAnyPresetAndChecksItsValues() {
        assertThat(parse("--elastic", "4").augment.config().elastic()).isEqualTo(new ElasticDeformation(4, 32));
        assertThat(parse("--augment", "standard", "--elastic", "2.5,16").augment.config())
                .isEqualTo(AugmentConfig.standard().withElastic(new ElasticDeformation(2.5, 16)));
        assertThatThrownBy(() -> parse("--elastic", "4,16,2").augment.config())
                .hasMessageContaining("--elastic takes MAGNITUDE[,SPACING]");
        assertThatThrownBy(() -> parse("--elastic", "4,2.5").augment.config())
                .hasMessageContaining("SPACING a whole number) but was [4.0, 2.5]");
    }

    @Test
    void warpAddsAPerspectiveWarpToAnyPreset() {
        assertThat(parse("--augment", "flips_zoom", "--warp", "0.2").augment.config())
                .isEqualTo(AugmentPreset.FLIPS_ZOOM.config().withPerspective(new PerspectiveWarp(0.2)));
        assertThatThrownBy(() -> parse("--warp", "0.7").checkedOptions())
                .hasMessageContaining("--warp must be in [0, 0.5) (a share of the window's half side; fastai's"
                        + " max_warp is 0.2) but was 0.7");
    }

    @Test
    void rotateAddsAFreeRotationToAnyPreset() {
        AugmentConfig config = parse("--augment", "standard", "--rotate", "10").augment.config();
        assertThat(config).isEqualTo(AugmentConfig.standard().withRotation(10));
    }

    @Test
    void theTverskyLossTakesItsWeightsOrSalehisDefaults() {
        assertThat(parse("--loss", "tversky").checkedOptions().loss())
                .isEqualTo(new Loss.Tversky(0.3, 0.7, List.of()));
        assertThat(parse("--loss", "tversky", "--tversky", "0.2,0.9").checkedOptions().loss())
                .isEqualTo(new Loss.Tversky(0.2, 0.9, List.of()));
    }

    /** {@code --loss} offers every segmentation loss the core has, and the head's own: a new one is not left off. */
    @Test
    void everySegmentationLossIsOffered() {
        Set<Class<?>> offered = Arrays.stream(TrainFolder.LossChoice.values())
                .map(choice -> parse("--loss", choice.name()).checkedOptions().loss().getClass())
                .collect(Collectors.toSet());
        assertThat(offered).containsExactlyInAnyOrder(Loss.HeadDefault.class, Loss.Dice.class, Loss.Focal.class,
                Loss.CrossEntropyDice.class, Loss.Tversky.class, Loss.Lovasz.class);
        assertThat(Loss.Segmentation.class.getPermittedSubclasses()).allMatch(offered::contains);
    }

    /** Given weights reach every loss; with cross-entropy they make it the focal loss with gamma 0. */
    @Test
    void classWeightsReachTheLoss() {
        List<Double> weights = List.of(0.5, 2.0);
        assertThat(parse("--class-weights", "0.5,2").checkedOptions().loss()).isEqualTo(new Loss.Focal(0, weights));
        assertThat(parse("--class-weights", "0.5,2", "--loss", "dice").checkedOptions().loss())
                .isEqualTo(new Loss.Dice(weights));
        assertThat(parse("--class-weights", "0.5,2", "--loss", "tversky").checkedOptions().loss())
                .isEqualTo(new Loss.Tversky(0.3, 0.7, weights));
        assertThat(parse("--class-weights", "0.5,2", "--loss", "lovasz").checkedOptions().loss())
                .isEqualTo(new Loss.Lovasz(weights));
        assertThat(parse("--class-weights", "auto").checkedOptions().loss()).as("counted once the data is read")
                .isEqualTo(new Loss.HeadDefault());
        assertThat(parse().checkedOptions().loss()).isEqualTo(new Loss.HeadDefault());
    }

    /** fastai's fine_tune trains the frozen encoder's batch norms (train_bn) unless --no-train-bn says not to. */
    @Test
    void fineTuningTrainsTheFrozenEncodersBatchNormsAsFastaiDoesUnlessTold() {
        String[] fineTune = {"--encoder", "squeezenet", "--pretrained", "--freeze-epochs", "2"};
        assertThat(parse(fineTune).fineTuning()).isEqualTo(new FineTuning(2, 0.1, FrozenBatchNorm.TRAINED));
        assertThat(parse(concat(fineTune, "--no-train-bn")).fineTuning())
                .isEqualTo(new FineTuning(2, 0.1, FrozenBatchNorm.FROZEN));
        assertThat(parse(concat(fineTune, "--train-bn", "--encoder-lr-factor", "0.5")).fineTuning())
                .isEqualTo(new FineTuning(2, 0.5, FrozenBatchNorm.TRAINED));
        assertThat(parse().fineTuning()).isNull();
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /** train once built the classic encoder of 4 stages from 32 channels whatever it was told. */
    @Test
    void depthAndBaseWidthSizeTheClassicEncoder() {
        assertThat(parse().checkedOptions().encoder()).isEqualTo(new ClassicEncoder(4, 32, Normalization.BATCH));
        assertThat(parse("--depth", "2", "--base-width", "8").checkedOptions().encoder())
                .isEqualTo(new ClassicEncoder(2, 8, Normalization.BATCH));
    }

    /** --encoder takes classic or any zoo backbone (TINY_YOLO too, which a hand copy once left out), in any case. */
    @Test
    void theEncoderIsClassicOrAnyZooBackbone() {
        assertThat(parse("--encoder", "classic").encoder.classic()).isTrue();
        assertThat(parse("--encoder", "resnet50").encoder.backbone()).isEqualTo(ZooBackbone.RESNET50);
        assertThat(parse("--encoder", "RESNET50_DL4J").encoder.backbone()).isEqualTo(ZooBackbone.RESNET50_DL4J);
        for (ZooBackbone backbone : ZooBackbone.values()) {
            assertThat(parse("--encoder", backbone.name().toLowerCase(Locale.ROOT)).encoder.backbone())
                    .isEqualTo(backbone);
        }
        assertThat(parse("--encoder", "tiny_yolo").checkedOptions().encoder())
                .isEqualTo(ZooEncoder.random(ZooBackbone.TINY_YOLO));
        assertThatThrownBy(() -> parse("--encoder", "resnet"))
                .hasMessageContaining("Invalid value for option '--encoder': expected one of [CLASSIC, RESNET50,")
                .hasMessageContaining("TINY_YOLO] (case-insensitive) but was 'resnet'");
        String help = new CommandLine(new TrainFolder()).getUsageMessage().replaceAll("\\s+", " ");
        assertThat(help).contains("One of CLASSIC, RESNET50, RESNET50_DL4J, VGG16, VGG19, DARKNET19, SQUEEZENET,"
                + " XCEPTION, TINY_YOLO.");
    }

    @Test
    void aZoomOrJitterOfTheWrongLengthIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> parse("--zoom", "1.2").augment.config())
                .hasMessageContaining("--zoom takes MIN,MAX").hasMessageContaining("[1.2]");
        assertThatThrownBy(() -> parse("--jitter", "0.1,0.2").augment.config())
                .hasMessageContaining("--jitter takes BRIGHTNESS,CONTRAST,SATURATION[,HUE]");
        assertThatThrownBy(() -> parse("--jitter", "0.1,0.2,0.1,0.1,0.1").augment.config())
                .hasMessageContaining("(three or four numbers) but was [0.1, 0.2, 0.1, 0.1, 0.1]");
        assertThatThrownBy(() -> parse("--jitter", "0.1,0.2,0.1,0.6").augment.config())
                .hasMessageContaining("--jitter's HUE must be in [0, 0.5]");
        assertThatThrownBy(() -> parse("--jitter", "0.1,0.2,1.5").augment.config())
                .hasMessageContaining("--jitter's SATURATION must be in [0, 1) but was 1.5");
    }

    @Test
    void aValidationFolderReplacesTheRandomSplit(@TempDir Path directory) {
        Path train = directory.resolve("train");
        Path validation = directory.resolve("validation");
        SyntheticShapes.write(train, 10, 32, 1);
        SyntheticShapes.write(validation, 4, 32, 2);
        TrainFolder app = parse("--val-data", validation.toString());
        var dataset = app.folder.open(train, SyntheticShapes.NUM_CLASSES, 1);
        assertThat(dataset.training()).hasSize(10);
        assertThat(dataset.validation()).hasSize(4);
        assertThat(dataset.validation().get(0).input()).startsWith(validation);
    }

    @Test
    void workersChooseTheFitterAndItsSynchronisation() {
        assertThat(parse().fitter().describe()).isEqualTo("1 device");
        assertThat(parse("--workers", "2").fitter().describe())
                .isEqualTo("2 workers, parameters and updater state averaged every 1 round");
        assertThat(parse("--workers", "3", "--averaging-frequency", "4").fitter().describe())
                .isEqualTo("3 workers, parameters and updater state averaged every 4 rounds");
        assertThat(parse("--workers", "2", "--sync", "shared_gradients").fitter().describe())
                .isEqualTo("2 workers, shared gradients");
    }
}
