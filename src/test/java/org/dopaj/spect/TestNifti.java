package org.dopaj.spect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * Test-only reader of the few gzipped NIfTI-1 files these tests compare against (3D, uint8/int16/int32/float32,
 * sform or pixdim-only), so the SPECT tests do not wait for org.dopaj.io. Not for production use.
 */
final class TestNifti {
    private TestNifti() {
    }

    static Volume read(Path p) throws IOException {
        byte[] b;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            in.transferTo(o);
            b = o.toByteArray();
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (bb.getInt(0) != 348) {
            bb.order(ByteOrder.BIG_ENDIAN);
        }
        int nx = bb.getShort(42);
        int ny = bb.getShort(44);
        int nz = bb.getShort(46);
        int dt = bb.getShort(70);
        float slope = bb.getFloat(112);
        float inter = bb.getFloat(116);
        int off = (int) bb.getFloat(108);
        short sform = bb.getShort(254);
        double[][] a = new double[4][4];
        a[3][3] = 1;
        if (sform > 0) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    a[r][c] = bb.getFloat(280 + 16 * r + 4 * c);
                }
            }
        } else {
            for (int r = 0; r < 3; r++) {
                a[r][r] = bb.getFloat(80 + 4 * r);
            }
        }
        Grid g = Grid.fromAffine(nx, ny, nz, a);
        Volume v = Volume.allocate(g);
        int n = nx * ny;
        for (int z = 0; z < nz; z++) {
            float[] pl = v.plane(z);
            for (int i = 0; i < n; i++) {
                long idx = (long) z * n + i;
                double val = switch (dt) {
                    case 2 -> b[off + (int) idx] & 0xff;
                    case 4 -> bb.getShort(off + (int) (2 * idx));
                    case 8 -> bb.getInt(off + (int) (4 * idx));
                    case 16 -> bb.getFloat(off + (int) (4 * idx));
                    case 512 -> bb.getShort(off + (int) (2 * idx)) & 0xffff;
                    default -> throw new IOException("datatype " + dt + " not supported by the test reader");
                };
                pl[i] = (float) (slope != 0 ? val * slope + inter : val);
            }
        }
        return v;
    }
}
