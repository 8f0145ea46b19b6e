package io.github.mdunet.reference.torch.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NpyTest {

    /** A .npy file as NumPy 1.x writes np.array([1.0, -2.5], dtype='<f4'): 128-byte header, then the data. */
    private static byte[] handMadeFloat32() {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
        ByteBuffer buffer = ByteBuffer.allocate(10 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        buffer.putShort((short) header.length());
        buffer.put(header.getBytes(StandardCharsets.US_ASCII));
        buffer.putFloat(1.0f).putFloat(-2.5f);
        return buffer.array();
    }

    @Test
    void readsHandMadeNpyBytes() throws IOException {
        NpyArray array = Npy.read(handMadeFloat32());

        assertThat(array.dtype()).isEqualTo(NpyDtype.FLOAT32);
        assertThat(array.shape()).containsExactly(2);
        assertThat(array.toFloats()).containsExactly(1.0f, -2.5f);
    }

    @Test
    void readsBigEndianAndTwoDimensionalIntegers() throws IOException {
        String dict = "{'descr': '>i4', 'fortran_order': False, 'shape': (2, 2), }";
        String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
        ByteBuffer buffer = ByteBuffer.allocate(10 + header.length() + 16);
        buffer.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        buffer.order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).order(ByteOrder.BIG_ENDIAN);
        buffer.put(header.getBytes(StandardCharsets.US_ASCII));
        buffer.putInt(0).putInt(1).putInt(2).putInt(-3);

        NpyArray array = Npy.read(buffer.array());

        assertThat(array.shape()).containsExactly(2, 2);
        assertThat(array.toLongs()).containsExactly(0, 1, 2, -3);
    }

    @Test
    void writesWhatNumPyWrites() throws IOException {
        byte[] written = Npy.toBytes(NpyArray.ofFloats(new long[] {2}, 1.0f, -2.5f));

        assertThat((written.length - 8) % 64).isZero();
        assertThat(Npy.read(written)).isEqualTo(Npy.read(handMadeFloat32()));
        String header = new String(written, 10, written.length - 18, StandardCharsets.US_ASCII);
        assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }").endsWith("\n");
    }

    @Test
    void roundTripsEveryDtypeAndRank() throws IOException {
        NpyArray[] arrays = {
            NpyArray.ofFloats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6),
            NpyArray.ofInts(new long[] {1, 2, 2}, 0, 1, 2, 3),
            NpyArray.ofLongs(new long[] {3}, Long.MAX_VALUE, -1, 0),
            NpyArray.ofFloats(new long[] {}, 7.5f),
            NpyArray.ofFloats(new long[] {0, 4}),
        };
        for (NpyArray array : arrays) {
            assertThat(Npy.read(Npy.toBytes(array))).as(array.toString()).isEqualTo(array);
        }
    }

    @Test
    void refusesFortranOrderAndUnknownTypes() {
        byte[] fortran = new String(handMadeFloat32(), StandardCharsets.ISO_8859_1)
                .replace("'fortran_order': False", "'fortran_order': True ").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Npy.read(fortran)).hasMessageContaining("Fortran order");

        byte[] complex = new String(handMadeFloat32(), StandardCharsets.ISO_8859_1).replace("<f4", "<c8")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Npy.read(complex)).hasMessageContaining("'<c8' is not supported")
                .hasMessageContaining("<f4");
    }

    @ParameterizedTest
    @CsvSource({"FLOAT32, f4, 4", "FLOAT64, f8, 8", "INT32, i4, 4", "INT64, i8, 8", "UINT8, u1, 1"})
    void dtypesHaveNumPysTypeCodesAndSizes(NpyDtype dtype, String code, int bytes) {
        assertThat(dtype.code()).isEqualTo(code);
        assertThat(dtype.bytes()).isEqualTo(bytes);
        assertThat(NpyDtype.fromDescr("<" + code)).isEqualTo(dtype);
    }

    @Test
    void everyDtypeConvertsToFloatsAndLongs() {
        ByteBuffer doubles = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(-3).putDouble(1e10);
        NpyArray float64 = NpyArray.ofLittleEndianBytes(NpyDtype.FLOAT64, new long[] {2}, doubles.array());
        NpyArray uint8 = NpyArray.ofLittleEndianBytes(NpyDtype.UINT8, new long[] {2}, new byte[] {7, (byte) 255});
        NpyArray int32 = NpyArray.ofInts(new long[] {2}, -5, 6);
        NpyArray int64 = NpyArray.ofLongs(new long[] {2}, -1, 1L << 40);

        assertThat(float64.toFloats()).containsExactly(-3f, 1e10f);
        assertThat(float64.toLongs()).containsExactly(-3, 10_000_000_000L);
        assertThat(uint8.toFloats()).containsExactly(7f, 255f);
        assertThat(uint8.toLongs()).containsExactly(7, 255);
        assertThat(int32.toFloats()).containsExactly(-5f, 6f);
        assertThat(int32.toLongs()).containsExactly(-5, 6);
        assertThat(int64.toFloats()).containsExactly(-1f, (float) (1L << 40));
        assertThat(int64.toLongs()).containsExactly(-1, 1L << 40);
    }

    @Test
    void labelsStoredAsFloatMustBeWholeNumbers() {
        assertThat(NpyArray.ofFloats(new long[] {2}, 2f, 0f).toLongs()).containsExactly(2, 0);
        assertThatThrownBy(() -> NpyArray.ofFloats(new long[] {2}, 2f, 0.5f).toLongs())
                .hasMessageContaining("element 1 is 0.5");
    }

    @Test
    void npzRoundTripKeepsKeysAndOrder(@TempDir Path dir) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("step1.x", NpyArray.ofFloats(new long[] {1, 1, 2, 2}, 0.1f, 0.2f, 0.3f, 0.4f));
        arrays.put("step1.y", NpyArray.ofLongs(new long[] {1, 2, 2}, 0, 1, 2, 1));
        arrays.put("enc.W", NpyArray.scalar(3f));
        Path file = dir.resolve("sub/a.npz");

        Npz.write(arrays, file);
        Map<String, NpyArray> read = Npz.read(file);

        assertThat(read).containsExactlyEntriesOf(arrays);
    }

    @Test
    void npzReadsStoredEntriesAsNpSavezWrites() throws IOException {
        byte[] npy = handMadeFloat32();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            ZipEntry entry = new ZipEntry("head_conv.b.npy");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(npy.length);
            CRC32 crc = new CRC32();
            crc.update(npy);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(npy);
            zip.closeEntry();
        }

        Map<String, NpyArray> read = Npz.read(new ByteArrayInputStream(bytes.toByteArray()), "stored.npz");

        assertThat(read).containsOnlyKeys("head_conv.b");
        assertThat(read.get("head_conv.b").toFloats()).containsExactly(1.0f, -2.5f);
    }
}
