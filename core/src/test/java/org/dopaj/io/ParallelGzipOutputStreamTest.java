package org.dopaj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class ParallelGzipOutputStreamTest {
    private static byte[] gzip(byte[] data, int level, int piece) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream g = new ParallelGzipOutputStream(bo, level)) {
            for (int o = 0; o < data.length; o += piece) {
                g.write(data, o, Math.min(piece, data.length - o));
            }
        }
        return bo.toByteArray();
    }

    /** Image-like bytes: smooth, repetitive, with noise, so that blocks reference their dictionary. */
    private static byte[] imageLike(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ((i / 97) % 50 + (r.nextInt(8) == 0 ? r.nextInt(4) : 0));
        }
        return b;
    }

    @Test
    void oneStandardGzipMemberThatEveryReaderInflatesBackExactly() throws IOException {
        int block = ParallelGzipOutputStream.BLOCK;
        for (int n : new int[] {0, 1, 1000, block - 1, block, block + 1, 3 * block + block / 2}) {
            byte[] data = imageLike(n, n);
            byte[] z = gzip(data, 6, 7777);
            assertArrayEquals(data, new GZIPInputStream(new ByteArrayInputStream(z)).readAllBytes(), "n = " + n);
            // a single member: the raw deflate stream after the 10-byte header ends exactly 8 bytes before the end
            Inflater inf = new Inflater(true);
            inf.setInput(z, 10, z.length - 10);
            byte[] back = new byte[n + 1];
            try {
                int got = 0;
                while (!inf.finished()) {
                    got += inf.inflate(back, got, back.length - got);
                }
                assertEquals(n, got);
                assertEquals(8, inf.getRemaining(), "CRC-32 and size follow the one deflate stream");
            } catch (java.util.zip.DataFormatException e) {
                throw new AssertionError(e);
            } finally {
                inf.end();
            }
        }
    }

    @Test
    void filesAreAsSmallAsASerialGzipsAtTheSameLevel() throws IOException {
        byte[] data = imageLike(5 * ParallelGzipOutputStream.BLOCK, 3);
        for (int level : new int[] {1, 6}) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (GZIPOutputStream g = new GZIPOutputStream(bo) {
                {
                    def.setLevel(level);
                }
            }) {
                g.write(data);
            }
            int serial = bo.size();
            int parallel = gzip(data, level, 1 << 16).length;
            assertTrue(parallel <= serial * 1.005 + 64, "level " + level + ": " + parallel + " vs serial " + serial);
        }
    }
}
