package org.dopaj.spect.camera;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.dopaj.image.Affines;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;
import org.dopaj.spect.SpectPhantom;

/**
 * Per-subject time of the camera on the MNI 2 mm SpectPhantom head (not a unit test: run by hand, on one core):
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * taskset -c 0 java -cp "$(./dopaj --classpath)" org.dopaj.spect.camera.CameraBench [runs] [random]
 * </pre>
 * First {@code random} (default 20) protocols drawn by {@link CameraParameters#random} (one warm-up pass over the same
 * list, then timed); then fixed protocols, each run twice for JIT warm-up, then {@code runs} times (default 5): the
 * median and minimum are printed, split into acquisition (projection, scatter, noise) and reconstruction. CPU time of
 * the thread is printed beside wall time: on a shared machine it is the figure that does not depend on the others'
 * load.
 */
public final class CameraBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CameraBench() {
    }

    /** CPU time of this thread in ns: unlike wall time, not inflated when other processes share the core. */
    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int randomSubjects = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Grid grid = HeadPhantom.mni2mm();
        Volume act = SpectPhantom.activity(grid, SpectPhantom.Params.builder().build());
        Volume head = Volume.allocate(grid);
        Volume bone = Volume.allocate(grid);
        for (int z = 0; z < grid.nz(); z++) {
            float[] a = act.plane(z);
            for (int i = 0; i < a.length; i++) {
                head.plane(z)[i] = a[i] > 0 ? 1 : 0;
                // the soft-tissue shell around the brain stands in for scalp and skull
                bone.plane(z)[i] = Math.abs(a[i] - SpectPhantom.SOFT_TISSUE) < 1e-6 ? 0.5f : 0;
            }
        }
        // head turned 5° about z and 3° about x, moved 4 mm: a typical placement
        double[][] t = Affines.multiply(rot(2, 5), rot(0, 3));
        t[0][3] = 4;
        t[1][3] = 10;
        t[2][3] = -6;
        CameraParameters base = CameraParameters.builder().angles(120).voxelMm(3.9).build();
        Volume mu = SpectCamera.muMap(head, bone, base);
        CameraParameters[] protocols = {
            base.toBuilder().reconstruction(Reconstruction.FBP).postFilterFwhmMm(0).build(),
            base.toBuilder().reconstruction(Reconstruction.OSEM).osem(4, 8).build(),
            base.toBuilder().reconstruction(Reconstruction.OSEM).osem(4, 8).resolutionRecovery(true)
                    .attenuationCorrection(AttenuationCorrection.MODELLED).build(),
            base.toBuilder().voxelMm(3.3).reconstruction(Reconstruction.OSEM).osem(4, 8).resolutionRecovery(true)
                    .attenuationCorrection(AttenuationCorrection.MODELLED).build(),
            base.toBuilder().voxelMm(4.7).reconstruction(Reconstruction.FBP).postFilterFwhmMm(0).build(),
            base.toBuilder().voxelMm(2.2).collimator(Collimator.ME).reconstruction(Reconstruction.OSEM).osem(8, 8)
                    .resolutionRecovery(true).attenuationCorrection(AttenuationCorrection.MODELLED).build(),
        };
        String[] names = {"FBP Butterworth + Chang, 3.9 mm", "OSEM 4x8 + Chang, 3.9 mm",
            "OSEM 4x8 RR + modelled AC, 3.9 mm", "OSEM 4x8 RR + modelled AC, 3.3 mm", "FBP + Chang, 4.7 mm",
            "OSEM 8x8 RR + AC, ME, 2.2 mm (worst case)"};
        System.out.printf("CPUs visible: %d; 120 angles, LEHR unless said, MNI 2 mm SpectPhantom head%n",
                Runtime.getRuntime().availableProcessors());
        randomProtocols(act, head, bone, t, randomSubjects);
        for (int k = 0; k < protocols.length; k++) {
            CameraParameters p = protocols[k];
            long[] acqT = new long[runs];
            long[] recT = new long[runs];
            long[] cpuT = new long[runs];
            String geom = "";
            for (int r = -2; r < runs; r++) {
                long t0 = System.nanoTime();
                long c0 = cpu();
                SpectCamera.Acquisition a = SpectCamera.acquire(act, mu, t, p, 17 + r);
                long t1 = System.nanoTime();
                SpectCamera.Result res = SpectCamera.reconstruct(a, p);
                long t2 = System.nanoTime();
                if (r >= 0) {
                    acqT[r] = t1 - t0;
                    recT[r] = t2 - t1;
                    cpuT[r] = cpu() - c0;
                }
                geom = "crop " + a.geo.m + "², " + a.geo.nz + " rows, output " + res.image().grid();
            }
            long[] tot = new long[runs];
            for (int r = 0; r < runs; r++) {
                tot[r] = acqT[r] + recT[r];
            }
            Arrays.sort(acqT);
            Arrays.sort(recT);
            Arrays.sort(tot);
            Arrays.sort(cpuT);
            System.out.printf("%-42s CPU median %6.0f ms (min %6.0f); wall median %6.0f = acquisition %5.0f + "
                    + "reconstruction %5.0f  [%s]%n", names[k], cpuT[runs / 2] / 1e6, cpuT[0] / 1e6, tot[runs / 2] / 1e6,
                    acqT[runs / 2] / 1e6, recT[runs / 2] / 1e6, geom);
        }
    }

    /** Protocols drawn by {@link CameraParameters#random} (after one warm-up pass): mean, median and maximum time. */
    private static void randomProtocols(Volume act, Volume head, Volume bone, double[][] t, int n) {
        if (n <= 0) {
            return;
        }
        long[] ms = new long[n];
        long[] cpuMs = new long[n];
        java.util.Map<String, java.util.List<Long>> byKind = new java.util.TreeMap<>();
        for (int pass = 0; pass < 2; pass++) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(2024);
            for (int k = 0; k < n; k++) {
                CameraParameters p = CameraParameters.random(r);
                Volume mu = SpectCamera.muMap(head, bone, p);
                long t0 = System.nanoTime();
                long c0 = cpu();
                SpectCamera.acquireAndReconstruct(act, mu, t, p, k);
                long dt = System.nanoTime() - t0;
                if (pass == 1) {
                    ms[k] = dt / 1_000_000;
                    cpuMs[k] = (cpu() - c0) / 1_000_000;
                    String kind = p.reconstruction() + (p.resolutionRecovery() ? "+RR" : "")
                            + (p.attenuationCorrection() == AttenuationCorrection.MODELLED ? "+AC" : "");
                    byKind.computeIfAbsent(kind, x -> new java.util.ArrayList<>()).add(cpuMs[k]);
                }
            }
        }
        long sum = 0;
        long sumCpu = 0;
        for (int k = 0; k < n; k++) {
            sum += ms[k];
            sumCpu += cpuMs[k];
        }
        long[] sorted = cpuMs.clone();
        Arrays.sort(sorted);
        System.out.printf("%d random clinical protocols (CameraParameters.random, seed 2024): CPU mean %d ms, median %d ms, "
                + "max %d ms (wall mean %d ms)%n", n, sumCpu / n, sorted[n / 2], sorted[n - 1], sum / n);
        for (java.util.Map.Entry<String, java.util.List<Long>> e : byKind.entrySet()) {
            System.out.printf("    %-12s n=%2d  CPU ms %s%n", e.getKey(), e.getValue().size(), e.getValue());
        }
    }

    private static double[][] rot(int axis, double deg) {
        double a = Math.toRadians(deg);
        double[][] m = Affines.identity();
        int i = (axis + 1) % 3;
        int j = (axis + 2) % 3;
        m[i][i] = Math.cos(a);
        m[i][j] = -Math.sin(a);
        m[j][i] = Math.sin(a);
        m[j][j] = Math.cos(a);
        return m;
    }
}
