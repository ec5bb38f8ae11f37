package org.dopaj.dl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path tmp;

    @Test
    void writesNumpyHeaderAndLittleEndianData() throws Exception {
        Tensor t = Tensor.of(new float[] {1f, -2.5f, 3f, 4f, 5f, 6f}, 2, 3);
        Path f = tmp.resolve("t.npy");
        Npy.write(f, t);
        byte[] b = Files.readAllBytes(f);
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        int hlen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + hlen) % 64, "numpy aligns the data to 64 bytes");
        String header = new String(b, 10, hlen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertEquals(10 + hlen + 24, b.length);
        // -2.5f = 0xC0200000, little-endian
        int off = 10 + hlen + 4;
        assertArrayEquals(new byte[] {0, 0, 0x20, (byte) 0xC0}, new byte[] {b[off], b[off + 1], b[off + 2], b[off + 3]});
        assertEquals(t, Npy.read(f));
    }

    @Test
    void roundTripsOneDimensionalAndScalarShapes() {
        Tensor v = Tensor.of(new float[] {7f}, 1);
        Npy.write(tmp.resolve("v.npy"), v);
        assertEquals(v, Npy.read(tmp.resolve("v.npy")));
        Tensor s = Tensor.of(new float[] {3f});
        Npy.write(tmp.resolve("s.npy"), s);
        assertEquals(0, Npy.read(tmp.resolve("s.npy")).rank());
    }

    @Test
    void refusesOtherDtypesAndTruncation() throws Exception {
        Path f = tmp.resolve("t.npy");
        Npy.write(f, Tensor.of(new float[] {1, 2, 3, 4}, 4));
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).replace("<f4", "<f8");
        Path f8 = tmp.resolve("f8.npy");
        Files.write(f8, text.getBytes(StandardCharsets.ISO_8859_1));
        DopajException e = assertThrows(DopajException.class, () -> Npy.read(f8));
        assertTrue(e.getMessage().contains("<f8"), e.getMessage());
        byte[] all = Files.readAllBytes(f);
        Path cut = tmp.resolve("cut.npy");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 3));
        e = assertThrows(DopajException.class, () -> Npy.read(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path notNpy = tmp.resolve("x.npy");
        Files.writeString(notNpy, "hello world");
        assertThrows(DopajException.class, () -> Npy.read(notNpy));
    }

    @Test
    void tensorRefusesShapeThatDoesNotFitData() {
        DopajException e = assertThrows(DopajException.class, () -> Tensor.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("needs 6 values, got 5"), e.getMessage());
        Tensor t = Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3);
        assertEquals(5f, t.get(1, 2));
        assertEquals(3, t.index(1, 0));
    }
}
