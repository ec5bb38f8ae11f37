package org.dopaj.image;

import java.util.Arrays;
import java.util.Random;
import org.dopaj.image.Resample.Interpolation;

/**
 * Timing of the image algorithms on 256³ volumes (not a unit test: run by hand).
 * {@code java -Xmx4g -cp "$(./dopaj --classpath)" org.dopaj.image.ImageBench [repeats]}
 */
public final class ImageBench {
    private ImageBench() {
    }

    interface Job {
        Object run();
    }

    private static void time(String name, int reps, Job j) {
        j.run(); // warm-up (JIT)
        long[] t = new long[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            Object o = j.run();
            t[r] = System.nanoTime() - t0;
            if (o == null) {
                throw new IllegalStateException();
            }
        }
        Arrays.sort(t);
        System.out.printf("%-44s median %7.0f ms  min %7.0f ms  (%d runs)%n", name, t[reps / 2] / 1e6, t[0] / 1e6, reps);
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int n = 256;
        Grid g = Grid.of(n, n, n, 1, 1, 1);
        Volume v = Volume.allocate(g);
        Random rnd = new Random(1);
        for (int z = 0; z < n; z++) {
            float[] p = v.plane(z);
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    p[y * n + x] = (float) (Math.sin(x * 0.05) * Math.cos(y * 0.07) + z * 0.01 + rnd.nextFloat() * 0.1);
                }
            }
        }
        // a target grid rotated 20° about z and 10° about x around the volume centre
        double[][] rot = TestVolumes.obliqueAffine(Math.toRadians(20), Math.toRadians(10), new double[]{1, 1, 1},
                new double[]{0, 0, 0});
        double[] c = {127.5, 127.5, 127.5};
        for (int r = 0; r < 3; r++) {
            rot[r][3] = c[r] - (rot[r][0] * c[0] + rot[r][1] * c[1] + rot[r][2] * c[2]);
        }
        Grid t = Grid.fromAffine(n, n, n, rot);
        // mask: a ball of radius 100 with 2000 small spherical cavities, plus 5000 random specks outside
        Volume mask = Volume.allocate(g);
        for (int z = 0; z < n; z++) {
            float[] p = mask.plane(z);
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double dx = x - 128;
                    double dy = y - 128;
                    double dz = z - 128;
                    p[y * n + x] = dx * dx + dy * dy + dz * dz <= 100 * 100 ? 1 : 0;
                }
            }
        }
        for (int h = 0; h < 2000; h++) {
            int x = 60 + rnd.nextInt(136);
            int y = 60 + rnd.nextInt(136);
            int z = 60 + rnd.nextInt(136);
            for (int k = -2; k <= 2; k++) {
                for (int j = -2; j <= 2; j++) {
                    for (int i = -2; i <= 2; i++) {
                        if (i * i + j * j + k * k <= 4) {
                            mask.set(x + i, y + j, z + k, 0);
                        }
                    }
                }
            }
        }
        for (int s = 0; s < 5000; s++) {
            mask.set(rnd.nextInt(n), rnd.nextInt(n), rnd.nextInt(n), 1);
        }
        System.out.printf("cores %d, max heap %s%n", Runtime.getRuntime().availableProcessors(),
                Memory.human(Runtime.getRuntime().maxMemory()));
        time("trilinear resample 256³ -> 256³ (rotated)", reps, () -> Resample.toGrid(v, t, Interpolation.LINEAR, 0));
        time("nearest resample 256³ -> 256³ (rotated)", reps, () -> Resample.toGrid(v, t, Interpolation.NEAREST, 0));
        time("Gaussian FWHM 8 mm, 256³ @ 1 mm", reps, () -> Gaussian.smooth(v, 8));
        time("connected components 26-conn, 256³ mask", reps, () -> Components.label(mask, 26));
        time("connected components 6-conn, 256³ mask", reps, () -> Components.label(mask, 6));
        time("fillHoles (6-conn background), 256³ mask", reps, () -> Components.fillHoles(mask, 6));
        time("EDT (mm) 256³ mask", reps, () -> DistanceTransform.edtMm(mask));
        time("dilate ball 10 mm, 256³ mask", reps, () -> Components.dilate(mask, 10));
        time("percentiles 0.5/99.5, 256³", reps, () -> Stats.percentiles(v, null, 0.5, 99.5));
        time("reorient RAS -> LPI, 256³", reps, () -> Reorient.to(v, "LPI"));
        Components.Labels l = Components.label(mask, 26);
        System.out.printf("mask: %d components, largest %d voxels; fillHoles adds %d voxels%n", l.count(),
                l.sizes()[l.largest()], Components.count(Components.fillHoles(mask, 6)) - Components.count(mask));
    }
}
