package org.dopaj.msa;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.TensorFlowRuntime;

/**
 * Speed of one MSA-vs-PD classification after the model is loaded, the whole path a user's call takes: input checks
 * ({@link MsaInputs}), channel preparation (MD smoothing), one model call with its CAM, the CAM back as a volume.
 *
 * <p>Command: {@code java -cp "$(./dopaj --classpath)" org.dopaj.msa.MsaBench models/msa-pd-gd-md
 * 20 --shared ../shared/data} — prints engine start, model load, and per-subject milliseconds (median, max) over N
 * family-A phantoms (seeds 900…), after 2 warm-up calls; and where the CAM lies for MSA-P and MSA-C phantoms
 * ({@link #camCheck}).
 */
public final class MsaBench {
    private MsaBench() {
    }

    /**
     * Where the CAM lies: for 10 MSA-P and 10 MSA-C family-A phantoms (seeds 950…), the mean CAM in the putamen and in
     * the cerebellum + pons, each divided by the mean CAM in the whole brain (1 = no preference).
     */
    static void camCheck(MsaClassifier c, MsaAnatomy a, MsaModality mod) {
        float[] brain = a.brain();
        float[] put = new float[brain.length];
        float[] infra = new float[brain.length];
        for (int i = 0; i < brain.length; i++) {
            put[i] = a.map(MsaAnatomy.PUT_L)[i] + a.map(MsaAnatomy.PUT_R)[i] > 0 ? 1 : 0;
            infra[i] = a.map(MsaAnatomy.CEREBELLUM)[i] + a.map(MsaAnatomy.PONS)[i] > 0 ? 1 : 0;
        }
        for (MsaSubtype st : new MsaSubtype[] {MsaSubtype.MSA_P, MsaSubtype.MSA_C}) {
            double rp = 0;
            double ri = 0;
            int called = 0;
            for (int k = 0; k < 10; k++) {
                MsaPhantom.Subject s = MsaPhantom.generate(a, MsaPhantom.Params.FAMILY_A, 950 + k, st);
                MsaResult r = c.classify(mod.usesGd() ? s.gd() : null, mod.usesMd() ? s.md() : null, List.of());
                float[] cam = r.cam().toArray();
                double b = mean(cam, brain);
                rp += mean(cam, put) / b / 10;
                ri += mean(cam, infra) / b / 10;
                called += r.probabilityMsa() >= 0.5 ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "CAM %s (10 family-A phantoms, %d called MSA): mean CAM putamen / brain %.2f,"
                    + " cerebellum+pons / brain %.2f%n", st.id(), called, rp, ri);
        }
    }

    private static double mean(float[] x, float[] w) {
        double s = 0;
        double n = 0;
        for (int i = 0; i < x.length; i++) {
            if (w[i] > 0.5f) {
                s += x[i];
                n++;
            }
        }
        return s / Math.max(1, n);
    }

    public static void main(String[] args) {
        Path model = Path.of(args.length > 0 ? args[0] : "models/msa-pd-gd-md");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path shared = Path.of(args.length > 3 && args[2].equals("--shared") ? args[3] : "../shared/data");
        MsaAnatomy a = MsaAnatomy.aal(shared);
        List<MsaPhantom.Subject> subjects = new ArrayList<>();
        for (int i = 0; i < n + 2; i++) {
            subjects.add(MsaPhantom.generate(a, MsaPhantom.Params.FAMILY_A, 900 + i, MsaSubtype.ofCohortIndex(i)));
        }
        long t0 = System.nanoTime();
        TensorFlowRuntime.init();
        double engine = (System.nanoTime() - t0) / 1e6;
        String id = model.getFileName().toString();
        MsaModality mod = id.endsWith("gd-md") ? MsaModality.GD_MD : id.endsWith("-gd") ? MsaModality.GD : MsaModality.MD;
        MsaTask task = id.startsWith("msa-p-") ? MsaTask.MSA_P : id.startsWith("msa-c-") ? MsaTask.MSA_C : MsaTask.MSA;
        t0 = System.nanoTime();
        try (MsaClassifier c = MsaClassifier.load(model, task, mod, ComputeDevice.CPU)) {
            double load = (System.nanoTime() - t0) / 1e6;
            double[] ms = new double[n];
            for (int i = 0; i < n + 2; i++) {
                MsaPhantom.Subject s = subjects.get(i);
                long t = System.nanoTime();
                MsaInputs.Checked g = mod.usesGd() ? MsaInputs.gd(s.gd(), "gd") : null;
                MsaInputs.Checked m = mod.usesMd() ? MsaInputs.md(s.md(), "md") : null;
                MsaResult r = c.classify(g == null ? null : g.map(), m == null ? null : m.map(), List.of());
                if (i >= 2) {
                    ms[i - 2] = (System.nanoTime() - t) / 1e6;
                }
                if (r.cam().nx() != MsaCnn.NX) {
                    throw new IllegalStateException("CAM not on the input grid");
                }
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            camCheck(c, a, mod);
            System.out.printf(Locale.ROOT, "model %s (%s, %s): engine start %.0f ms, model load %.0f ms; per subject"
                    + " (checks + preparation + model + CAM) median %.0f ms, max %.0f ms over %d subjects, %d threads"
                    + " available%n", id, task.id(), mod.id(), engine, load, sorted[n / 2], sorted[n - 1], n,
                    Runtime.getRuntime().availableProcessors());
        }
    }
}
