package io.github.mdunet.reference.torch.npy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes one array in NumPy's .npy format. Reading accepts versions 1.0, 2.0 and 3.0, either byte order
 * and C order only; writing produces version 1.0, little-endian, C order, header padded to 64 bytes as NumPy does.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Parses a whole .npy file held in memory. */
    public static NpyArray read(byte[] bytes) throws IOException {
        return read(new java.io.ByteArrayInputStream(bytes), "<bytes>");
    }

    /**
     * Reads one array from a stream positioned at the magic string.
     *
     * @param source named in error messages (a file or an npz key)
     */
    public static NpyArray read(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = new byte[MAGIC.length];
        readFully(in, magic, source);
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new IOException(source + " is not a .npy array: it does not start with \\x93NUMPY");
            }
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        long headerLength;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        } else if (major == 2 || major == 3) {
            headerLength = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
        } else {
            throw new IOException(source + ": .npy format version " + major + " is not supported (1, 2 or 3)");
        }
        byte[] headerBytes = new byte[Math.toIntExact(headerLength)];
        readFully(in, headerBytes, source);
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        String descr = group(DESCR, header, "descr", source);
        if (group(FORTRAN, header, "fortran_order", source).equals("True")) {
            throw new IOException(source + " is stored in Fortran order; write it in C order (np.ascontiguousarray)");
        }
        long[] shape = parseShape(group(SHAPE, header, "shape", source), source);
        NpyDtype dtype;
        try {
            dtype = NpyDtype.fromDescr(descr);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        byte[] data = new byte[Math.toIntExact(Math.multiplyExact(NpyArray.numel(shape), dtype.bytes()))];
        readFully(in, data, source);
        if (descr.startsWith(">") && dtype.bytes() > 1) {
            swapBytes(data, dtype.bytes());
        }
        return NpyArray.ofLittleEndianBytes(dtype, shape, data);
    }

    /** Writes one array as .npy version 1.0. */
    public static void write(NpyArray array, OutputStream out) throws IOException {
        String dict = "{'descr': '" + (array.dtype().bytes() == 1 ? "|" : "<") + array.dtype().code()
                + "', 'fortran_order': False, 'shape': " + array.shapeString() + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer prefix = ByteBuffer.allocate(MAGIC.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        prefix.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.write(prefix.array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(array.bytesUnsafe());
    }

    /** The .npy bytes of one array. */
    public static byte[] toBytes(NpyArray array) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(array, out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static long[] parseShape(String inside, String source) throws IOException {
        List<Long> dims = new ArrayList<>();
        for (String part : inside.split(",")) {
            String trimmed = part.trim().replace("L", "");
            if (!trimmed.isEmpty()) {
                try {
                    dims.add(Long.parseLong(trimmed));
                } catch (NumberFormatException e) {
                    throw new IOException(source + ": cannot read shape (" + inside + ")", e);
                }
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static String group(Pattern pattern, String header, String key, String source) throws IOException {
        Matcher matcher = pattern.matcher(header);
        if (!matcher.find()) {
            throw new IOException(source + ": the .npy header has no '" + key + "': " + header.trim());
        }
        return matcher.group(1);
    }

    private static void readFully(DataInputStream in, byte[] target, String source) throws IOException {
        try {
            in.readFully(target);
        } catch (EOFException e) {
            throw new IOException(source + " ends early: the .npy file is truncated", e);
        }
    }

    private static void swapBytes(byte[] data, int width) {
        for (int start = 0; start < data.length; start += width) {
            for (int i = 0; i < width / 2; i++) {
                byte tmp = data[start + i];
                data[start + i] = data[start + width - 1 - i];
                data[start + width - 1 - i] = tmp;
            }
        }
    }
}
