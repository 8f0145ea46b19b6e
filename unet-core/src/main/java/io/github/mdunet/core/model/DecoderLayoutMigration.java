package io.github.mdunet.core.model;

import io.github.mdunet.core.config.DecoderLayout;

/**
 * Keeps models saved before file format 6 on the decoder they were built with: their configuration has no
 * {@code decoderLayout} field, and they get {@link DecoderLayout#FORMATS_1_TO_5} (blurred final upsampling, a
 * two-convolution last cross, {@code NONE} without the mid block's and the skips' batch norms), while new
 * configurations default to {@link DecoderLayout#FASTAI}.
 */
public final class DecoderLayoutMigration extends AddedFieldMigration {

    static final String FIELD = "decoderLayout";

    public DecoderLayoutMigration() {
        super(5, FIELD, DecoderLayout.FORMATS_1_TO_5);
    }
}
