package io.github.mdunet.data.image;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The EXIF orientation of a JPEG photograph (TIFF tag 0x0112, which a TIFF file may carry too): how the stored pixels
 * must be turned to show the picture upright. Cameras store a portrait photo as a landscape raster plus this tag;
 * ImageIO ignores it, so without it a portrait image is read sideways and no longer matches its mask (or, when
 * square, matches it wrongly).
 *
 * <p>{@link #apply} maps stored {@code 0xRRGGBB} pixels to displayed ones. Names say where the stored first row and
 * first column end up: {@link #RIGHT_TOP} (6) is "rotate 90 degrees clockwise to display".
 */
public enum ExifOrientation {
    /** 1: as stored. */
    TOP_LEFT(1, "as stored"),
    /** 2: mirrored left to right. */
    TOP_RIGHT(2, "mirrored horizontally"),
    /** 3: rotated 180 degrees. */
    BOTTOM_RIGHT(3, "rotated 180 degrees"),
    /** 4: mirrored top to bottom. */
    BOTTOM_LEFT(4, "mirrored vertically"),
    /** 5: transposed (mirrored, then rotated 90 degrees anticlockwise). */
    LEFT_TOP(5, "transposed"),
    /** 6: rotated 90 degrees clockwise. */
    RIGHT_TOP(6, "rotated 90 degrees clockwise"),
    /** 7: transversed (mirrored, then rotated 90 degrees clockwise). */
    RIGHT_BOTTOM(7, "transversed"),
    /** 8: rotated 90 degrees anticlockwise. */
    LEFT_BOTTOM(8, "rotated 90 degrees anticlockwise");

    /** The orientation's tag number, in a JPEG's EXIF and in a TIFF's image directory alike. */
    static final int TAG = 0x0112;

    private final int tagValue;
    private final String description;

    ExifOrientation(int tagValue, String description) {
        this.tagValue = tagValue;
        this.description = description;
    }

    /** The value of the EXIF tag, 1 to 8. */
    public int tagValue() {
        return tagValue;
    }

    /** What the orientation does to the stored pixels, e.g. "rotated 90 degrees clockwise". */
    public String description() {
        return description;
    }

    /** Whether the displayed picture's width is the stored height (orientations 5 to 8). */
    public boolean swapsSides() {
        return tagValue >= 5;
    }

    /** The result of {@link #apply}: pixels in display order and the displayed size. */
    public record Oriented(int[] rgb, int width, int height) {
    }

    /** The stored {@code width x height} pixels ({@code rgb[y * width + x]}) as they are to be displayed. */
    public Oriented apply(int[] rgb, int width, int height) {
        if (this == TOP_LEFT) {
            return new Oriented(rgb, width, height);
        }
        int outWidth = swapsSides() ? height : width;
        int outHeight = swapsSides() ? width : height;
        int[] out = new int[rgb.length];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int source = switch (this) {
                    case TOP_LEFT -> y * width + x;
                    case TOP_RIGHT -> y * width + width - 1 - x;
                    case BOTTOM_RIGHT -> (height - 1 - y) * width + width - 1 - x;
                    case BOTTOM_LEFT -> (height - 1 - y) * width + x;
                    case LEFT_TOP -> x * width + y;
                    case RIGHT_TOP -> (height - 1 - x) * width + y;
                    case RIGHT_BOTTOM -> (height - 1 - x) * width + width - 1 - y;
                    case LEFT_BOTTOM -> x * width + width - 1 - y;
                };
                out[y * outWidth + x] = rgb[source];
            }
        }
        return new Oriented(out, outWidth, outHeight);
    }

    /** The orientation with tag value {@code value}, 1 to 8. */
    public static ExifOrientation of(int value) {
        for (ExifOrientation orientation : values()) {
            if (orientation.tagValue == value) {
                return orientation;
            }
        }
        throw new IllegalArgumentException("EXIF orientation must be 1 to 8 but was " + value);
    }

    /**
     * Reads the orientation from a JPEG's EXIF segment (APP1), scanning the segments before the image data; a file
     * without one, or that is no JPEG, is {@link #TOP_LEFT}. A tag of 0 (written by some software for "unknown") is
     * {@link #TOP_LEFT} too.
     *
     * @throws BadFileException when the EXIF segment is malformed or its orientation is not 0 to 8: the picture's
     *                          orientation cannot be known, and guessing could misalign it with its mask
     */
    public static ExifOrientation read(Path file) {
        try (InputStream stream = new BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream in = new DataInputStream(stream);
            if (in.readUnsignedShort() != 0xFFD8) {
                return TOP_LEFT;
            }
            while (true) {
                if (in.readUnsignedByte() != 0xFF) {
                    return TOP_LEFT; // not a marker: the decoder reports the corruption
                }
                int marker = in.readUnsignedByte();
                while (marker == 0xFF) {
                    marker = in.readUnsignedByte(); // fill bytes
                }
                if (marker == 0xDA || marker == 0xD9) {
                    return TOP_LEFT; // image data or end: no EXIF before them
                }
                if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                    continue; // markers without a length
                }
                int length = in.readUnsignedShort();
                if (length < 2) {
                    return TOP_LEFT;
                }
                byte[] body = in.readNBytes(length - 2);
                if (marker == 0xE1 && body.length >= 6
                        && new String(body, 0, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
                    return fromTiff(file, body, 6);
                }
            }
        } catch (EOFException e) {
            return TOP_LEFT; // a truncated header: the decoder reports it
        } catch (IOException e) {
            throw new BadFileException(file, "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** The orientation tag of the first image directory of the TIFF structure at {@code start} of {@code exif}. */
    private static ExifOrientation fromTiff(Path file, byte[] exif, int start) {
        try {
            boolean little;
            if (exif[start] == 'I' && exif[start + 1] == 'I') {
                little = true;
            } else if (exif[start] == 'M' && exif[start + 1] == 'M') {
                little = false;
            } else {
                throw malformed(file, "no TIFF byte order (II or MM)");
            }
            if (unsigned16(exif, start + 2, little) != 42) {
                throw malformed(file, "no TIFF marker 42");
            }
            long directory = start + unsigned32(exif, start + 4, little);
            int entries = unsigned16(exif, Math.toIntExact(directory), little);
            for (int i = 0; i < entries; i++) {
                int entry = Math.toIntExact(directory + 2 + 12L * i);
                if (unsigned16(exif, entry, little) == TAG) {
                    int type = unsigned16(exif, entry + 2, little);
                    int value = type == 3 ? unsigned16(exif, entry + 8, little)
                            : type == 4 ? (int) Math.min(Integer.MAX_VALUE, unsigned32(exif, entry + 8, little)) : -1;
                    if (value == 0) {
                        return TOP_LEFT;
                    }
                    if (value < 1 || value > 8) {
                        throw new BadFileException(file, "EXIF orientation " + (type == 3 || type == 4 ? value
                                : "of TIFF type " + type) + " is not one of 1 to 8, so the picture's upright position"
                                + " is unknown (set it, e.g. exiftool -Orientation=1 -n FILE, or re-save the image"
                                + " without EXIF)");
                    }
                    return of(value);
                }
            }
            return TOP_LEFT;
        } catch (ArrayIndexOutOfBoundsException | ArithmeticException e) {
            throw malformed(file, "an offset points outside the segment");
        }
    }

    private static BadFileException malformed(Path file, String what) {
        return new BadFileException(file, "malformed EXIF segment (" + what + "), so the picture's orientation is"
                + " unknown (remove the EXIF data, e.g. exiftool -all= FILE, or re-save the image)");
    }

    private static int unsigned16(byte[] b, int at, boolean little) {
        int first = b[at] & 0xFF;
        int second = b[at + 1] & 0xFF;
        return little ? first | second << 8 : first << 8 | second;
    }

    private static long unsigned32(byte[] b, int at, boolean little) {
        long high = unsigned16(b, little ? at + 2 : at, little);
        long low = unsigned16(b, little ? at : at + 2, little);
        return high << 16 | low;
    }

    @Override
    public String toString() {
        return name() + " (" + tagValue + ", " + description + ")";
    }
}
