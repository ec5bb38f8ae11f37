package org.dopaj.registration;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.dopaj.image.Volume;

/**
 * Timing of a SPECT-sized registration (not a unit test: run by hand): a 128×128×100 volume of 3.3 mm voxels,
 * turned 15°/−10°/12° and moved (25, −30, 15) mm, with noise, to the 91×109×91 2 mm test object, default options
 * (NCC, rigid → affine, 8 and 4 mm levels, multi-start). Prints median and 95th percentile wall time after
 * warm-up, as wall time and as process CPU time (the fair figure on a shared machine). On one core, after
 * {@code mvn -q -B test-compile}:
 * {@code java -XX:ActiveProcessorCount=1 -cp "$(./dopaj --classpath)"
 * org.dopaj.registration.RegistrationBench [runs] [warmup] [nonlinear]}
 */
public final class RegistrationBench {
    private RegistrationBench() {
    }

    private static void print(String what, long[] ns) {
        long[] t = ns.clone();
        Arrays.sort(t);
        int n = t.length;
        System.out.printf(Locale.ROOT, "  %-12s median %.0f ms, p95 %.0f ms, min %.0f ms%n", what, t[n / 2] / 1e6,
                t[Math.min(n - 1, (int) Math.ceil(0.95 * n) - 1)] / 1e6, t[0] / 1e6);
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int warm = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean nonlinear = args.length > 2 && args[2].equals("nonlinear");
        Volume fixed = TestObjects.fixed();
        AffineTransform truth = TestObjects.motion(new double[]{25, -30, 15}, new double[]{15, -10, 12},
                new double[]{1, 1, 1}, new double[3]);
        Volume moving = TestObjects.render(TestObjects.spectGrid(128, 100, 3.3), truth, null, 0.3, 7);
        Registration.Options o = Registration.Options.defaults().withNonlinear(nonlinear);
        Registration.Result r = null;
        for (int i = 0; i < warm; i++) {
            r = Registration.register(moving, fixed, o);
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] t = new long[runs];
        long[] cpu = new long[runs];
        for (int i = 0; i < runs; i++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            r = Registration.register(moving, fixed, o);
            t[i] = System.nanoTime() - t0;
            cpu[i] = os.getProcessCpuTime() - c0;
        }
        System.out.printf(Locale.ROOT, "cores %d, %s, %d runs after %d warm-up%n", Runtime.getRuntime().availableProcessors(),
                nonlinear ? "affine + non-linear" : "rigid → affine", runs, warm);
        // on a shared machine wall time includes waiting for a core; process CPU time (JIT and GC threads
        // included) is what the work itself costs
        print("wall", t);
        print("process CPU", cpu);
        System.out.printf(Locale.ROOT, "last result: NCC %.4f, overlap %.3f, %d iterations, converged %b, %s; "
                        + "mean error %.2f mm%n", r.ncc(), r.overlap(), r.iterations(), r.converged(),
                r.quality().reason(), TestObjects.meanErrorMm(r.fixedToMoving(), truth));
    }
}
