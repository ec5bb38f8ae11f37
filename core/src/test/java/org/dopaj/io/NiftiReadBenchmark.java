package org.dopaj.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dopaj.image.Volume;

/**
 * Times reading a 256³ int16 .nii.gz (a smooth head-like pattern with noise, so it compresses like a real
 * MRI) into a float Volume. Not a unit test: run it by hand, see the io report for the command.
 */
public final class NiftiReadBenchmark {
    private NiftiReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = 256;
        Path dir = Files.createTempDirectory("dopaj-bench");
        Path f = dir.resolve("bench256.nii.gz");
        NiftiHeader h = new NiftiHeader();
        h.dim = new long[]{3, n, n, n, 1, 1, 1, 1};
        h.datatype = NiftiDatatype.INT16.code();
        h.bitpix = 16;
        ByteBuffer d = ByteBuffer.allocate(n * n * n * 2).order(ByteOrder.LITTLE_ENDIAN);
        java.util.Random rnd = new java.util.Random(1);
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double r = Math.sqrt(Math.pow(x - 128, 2) + Math.pow(y - 128, 2) + Math.pow((z - 128) * 1.2, 2));
                    int v = r < 100 ? (int) (800 + 200 * Math.sin(x / 9.0) * Math.cos(y / 7.0) + rnd.nextInt(40)) : rnd.nextInt(5);
                    d.putShort(2 * (x + n * (y + n * z)), (short) v);
                }
            }
        }
        Nifti.write(new NiftiImage(h, d.array()), f);
        System.out.printf("file %s: %.1f MB compressed, %.1f MB of voxels%n", f, Files.size(f) / 1e6, d.capacity() / 1e6);
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            NiftiImage img = Nifti.read(f);
            long t1 = System.nanoTime();
            Volume v = img.toVolume();
            long t2 = System.nanoTime();
            System.out.printf("run %d: read+inflate %.3f s, to float volume %.3f s, total %.3f s (voxel %.0f)%n", rep,
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9, v.get(128, 128, 128));
        }
        Files.delete(f);
        Files.delete(dir);
    }
}
