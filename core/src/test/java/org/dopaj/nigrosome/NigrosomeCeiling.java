package org.dopaj.nigrosome;

import java.util.*;
import org.dopaj.image.*;

/**
 * Ceiling analysis of the nigrosome SBR task (docs/validation/nigrosome.md, "Ceiling"): for held-out-like phantoms
 * ({@link SmwiPhysicsPhantom#random}, seeds BASE … BASE+N−1) prints one CSV row per side with the mean SMWI inside the
 * TRUE labels: that side's nigrosome-1 (n1), substantia nigra (sn), peduncle (ped) and red nucleus (rn), and the
 * shared references tegmentum (teg), CSF (csf) and surrounding tissue (sur); a voxel belongs to the side whose
 * nigrosome centroid is nearer. {@code nigrosome_ceiling_fit.py} regresses SBR on these ratios (cross-validated);
 * {@code nigrosome_ceiling_noise_free.py} does the same from the generator's noise-free tissue signals.
 *
 * <pre>java -cp "$(./dopaj --classpath)" org.dopaj.nigrosome.NigrosomeCeiling 4000000 600 &gt; mask600.csv</pre>
 */
public class NigrosomeCeiling {
    public static void main(String[] a) {
        long base = Long.parseLong(a[0]); int n = Integer.parseInt(a[1]);
        System.out.println("seed,side,sbr,n1,sn,teg,csf,sur,ped,rn,n1vox,field,vox");
        for (int p = 0; p < n; p++) {
            long seed = base + p;
            SmwiPhantom.Result r = SmwiPhysicsPhantom.random(seed);
            Volume s = r.smwi(), l = r.labels(); Grid g = s.grid();
            double[] cl = r.nigrosomes().left().mm().toArray(), cr = r.nigrosomes().right().mm().toArray();
            double[][] sum = new double[2][8]; int[][] cnt = new int[2][8];
            for (int z = 0; z < s.nz(); z++) for (int y = 0; y < s.ny(); y++) for (int x = 0; x < s.nx(); x++) {
                int lab = (int) l.get(x, y, z); if (lab > 7) continue;
                double[] mm = g.toMm(x, y, z);
                int side = d2(mm, cl) <= d2(mm, cr) ? 0 : 1;
                sum[side][lab] += s.get(x, y, z); cnt[side][lab]++;
            }
            double[] sb = {r.sbrLeft(), r.sbrRight()};
            for (int side = 0; side < 2; side++) {
                double[] m = new double[8];
                for (int k = 0; k < 8; k++) m[k] = (sum[0][k] + (k == 4 || k == 5 || k == 6 || k == 3 ? 0 : sum[1][k]))
                        / Math.max(1, cnt[0][k] + (k == 4 || k == 5 || k == 6 || k == 3 ? 0 : cnt[1][k]));
                for (int k : new int[]{3, 4, 5, 6}) m[k] = sum[side][k] / Math.max(1, cnt[side][k]);
                Object f = r.parameters().get("field_T"); Object v = r.parameters().get("voxel_mm");
                System.out.printf(Locale.ROOT, "%d,%s,%.5f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%s,%s%n", seed,
                        side == 0 ? "left" : "right", sb[side], m[5], m[4], m[2], m[1], m[0], m[3], m[6], cnt[side][5], f,
                        String.valueOf(v).replace(",", "x").replace(" ", ""));
            }
        }
    }
    static double d2(double[] a, double[] b) { double s = 0; for (int i = 0; i < 3; i++) s += (a[i]-b[i])*(a[i]-b[i]); return s; }
}
