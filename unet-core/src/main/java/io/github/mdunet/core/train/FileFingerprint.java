package io.github.mdunet.core.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * What a checkpoint file held when its epoch was committed: its size and CRC32C, so that a resumed run can tell that
 * {@code last.zip} and {@code best.zip} are the files its state speaks of.
 *
 * @param bytes  the file's size
 * @param crc32c the CRC32C of its content, 8 hex digits
 */
record FileFingerprint(long bytes, String crc32c) {

    static FileFingerprint of(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, read);
                size += read;
            }
        }
        return new FileFingerprint(size, String.format(Locale.ROOT, "%08x", crc.getValue()));
    }

    @Override
    public String toString() {
        return bytes + " bytes, CRC32C " + crc32c;
    }
}
