package io.github.mdunet.tuning.search;

import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.train.DataIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Everything besides a candidate's own values that decides its score: the base configuration (encoder and its
 * weights, input, classes, updater, seed, ...), the training and validation data (their {@link DataIdentity}), the
 * batch size, the epochs and the objective. A result is reused on a resumed search only under the same setup; the
 * memory budget is not part of it, since each run checks every candidate against its own budget.
 *
 * @param description the setup in words, for the log
 * @param identity    what the {@link #key} is made of: the description with the base configuration as a saved model
 *                    stores it (JSON), which tells apart what its text may not (two user graphs; a type whose text is
 *                    an identity hash that changes from process to process)
 */
record SearchSetup(String description, String identity) {

    static SearchSetup of(UNetConfig base, int batchSize, int epochs, Objective objective, DataSetIterator train,
                          DataSetIterator validation) {
        String rest = "; batch " + batchSize + "; epochs " + epochs + "; objective " + objective
                + oneChannelScoring(base, objective) + "; training data " + DataIdentity.of(train)
                + "; validation data " + DataIdentity.of(validation);
        return new SearchSetup("base " + base + rest, "base " + json(base) + rest);
    }

    /** The base configuration's JSON; its text where it has none (it then cannot be saved as the best model). */
    private static String json(UNetConfig base) {
        try {
            return UNet.configurationJson(base);
        } catch (IOException | RuntimeException e) {
            return base.toString();
        }
    }

    /**
     * How a one-channel head's mean IoU is scored since it is thresholded at 0.5 (it was once 1.0 for every
     * candidate): a new setup, so that results scored the old way are not reused.
     */
    private static String oneChannelScoring(UNetConfig base, Objective objective) {
        return objective == Objective.MEAN_IOU && base.numClasses() == 1 ? " (one channel thresholded at 0.5)" : "";
    }

    /** A short key of the setup: 12 hex digits of its identity's SHA-256, the {@code setup} column of the results. */
    String key() {
        return digest(identity);
    }

    /** The key versions before 2026-12-05 gave this setup: a digest of its {@link #description} alone. */
    String earlierKey() {
        return digest(description);
    }

    /** 12 hex digits of {@code text}'s SHA-256. */
    static String digest(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
