package io.github.mdunet.examples;

import io.github.mdunet.app.ParsingConverter;
import io.github.mdunet.core.config.UpsampleMode;
import java.util.Iterator;

/**
 * An {@code --upsample} option of type {@link UpsampleMode}: the names come from {@link UpsampleMode#names()}, the
 * one table, and are parsed by {@link UpsampleMode#parse} ({@code pixelShuffle}, or as before
 * {@code PIXEL_SHUFFLE}, in any case).
 */
public final class UpsampleModeOption extends ParsingConverter<UpsampleMode> {

    public UpsampleModeOption() {
        super(UpsampleMode::parse);
    }

    /** The option's completion candidates, listed by {@code ${COMPLETION-CANDIDATES}} in {@code --help}. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return UpsampleMode.names().iterator();
        }
    }
}
