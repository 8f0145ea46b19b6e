package io.github.mdunet.zoo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Adler32;

/**
 * Gives a zip file a chosen Adler32 checksum by writing a zip comment, so that a small stand-in passes the zoo's
 * checksum of a real pretrained file: Adler32 is two sums modulo 65521, which a comment of 2048 suitable bytes
 * sets to any value. The file stays a valid zip (the comment is the end record's own).
 */
final class ZipChecksum {

    private static final int MOD = 65521;
    private static final int COMMENT = 2048;
    private static final int END_RECORD = 22;

    private ZipChecksum() {
    }

    static void stamp(Path zip, long target) throws IOException {
        byte[] file = Files.readAllBytes(zip);
        int end = file.length - END_RECORD;
        if (end < 0 || file[end] != 0x50 || file[end + 1] != 0x4b || file[end + 2] != 5 || file[end + 3] != 6
                || file[file.length - 2] != 0 || file[file.length - 1] != 0) {
            throw new IllegalArgumentException(zip + " does not end with a zip end record without comment");
        }
        file[file.length - 2] = (byte) (COMMENT & 0xff);
        file[file.length - 1] = (byte) (COMMENT >>> 8);
        Adler32 prefix = new Adler32();
        prefix.update(file);
        long a = prefix.getValue() & 0xffff;
        long b = prefix.getValue() >>> 16;
        // appending x_1..x_k: a' = a + sum x_i, b' = b + k a + sum (k - i + 1) x_i (mod 65521)
        long sum = Math.floorMod((target & 0xffff) - a, MOD);
        while (sum < 100L * COMMENT) {
            sum += MOD;
        }
        int[] comment = new int[COMMENT];
        for (int i = 0; i < COMMENT; i++) {
            comment[i] = (int) (sum / COMMENT + (i < sum % COMMENT ? 1 : 0));
        }
        long weighted = 0;
        for (int i = 0; i < COMMENT; i++) {
            weighted += (long) (COMMENT - i) * comment[i];
        }
        long wanted = Math.floorMod((target >>> 16) - b - COMMENT * a - weighted, MOD);
        long change = wanted > MOD / 2 ? wanted - MOD : wanted;
        // moving one unit from position j to an earlier i raises the weighted sum by j - i
        for (int start = 0; change != 0; start = (start + 1) % (COMMENT / 2)) {
            int distance = (int) Math.min(Math.abs(change), COMMENT / 2);
            int early = start;
            int late = start + distance;
            int step = change > 0 ? 1 : -1;
            comment[early] += step;
            comment[late] -= step;
            change -= step * distance;
        }
        byte[] stamped = Arrays.copyOf(file, file.length + COMMENT);
        for (int i = 0; i < COMMENT; i++) {
            stamped[file.length + i] = (byte) comment[i];
        }
        Files.write(zip, stamped);
        Adler32 check = new Adler32();
        check.update(stamped);
        if (check.getValue() != target) {
            throw new IllegalStateException("stamping " + zip + " gave Adler32 " + check.getValue() + ", not "
                    + target);
        }
    }
}
