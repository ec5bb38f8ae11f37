package org.dopaj.nigrosome;

import java.nio.file.Path;
import java.util.*;
import org.dopaj.dl.metrics.Agreement;
import org.dopaj.dl.runtime.ComputeDevice;
/**
 * Paired comparison of SBR model pairs on the same phantoms (docs/validation/nigrosome.md): {@link
 * SmwiPhysicsPhantom#random}(seed) for seeds BASE … BASE+N−1, each phantom made once and predicted by every pair given,
 * cropped at the true centroids rounded to voxels (as {@code nigrosome-evaluate}); writes one CSV row per side
 * ({@code -Dcsv=FILE}) for {@code nigrosome_paired.py} (paired bootstrap by phantom, per acquisition).
 *
 * <pre>java -Dcsv=paired.csv -cp "$(./dopaj --classpath)" org.dopaj.nigrosome.NigrosomePairedEvaluation
 *     5000000 200 OLD-left OLD-right NEW-left NEW-right</pre>
 */
public class NigrosomePairedEvaluation {
    public static void main(String[] a) throws Exception {
        long base = Long.parseLong(a[0]); int n = Integer.parseInt(a[1]);
        int m = (a.length - 2) / 2; SbrRegressor[] reg = new SbrRegressor[m];
        for (int j = 0; j < m; j++) reg[j] = SbrRegressor.load(Path.of(a[2 + 2*j]), Path.of(a[3 + 2*j]), ComputeDevice.CPU);
        double[][] p = new double[m][2*n]; double[] t = new double[2*n]; String[] acq = new String[2*n];
        for (int i = 0; i < n; i++) {
            SmwiPhantom.Result ph = SmwiPhysicsPhantom.random(base + i);
            Centroids c = ph.nigrosomes();
            Centroid l = c.left(), r = c.right();
            int[] lv = l.nearestVoxel(), rv = r.nearestVoxel();
            var g = ph.smwi().grid();
            Centroids cc = new Centroids(new Centroid(Side.LEFT, new Point3(lv[0], lv[1], lv[2]), Point3.of(g.toMm(lv[0], lv[1], lv[2]))),
                    new Centroid(Side.RIGHT, new Point3(rv[0], rv[1], rv[2]), Point3.of(g.toMm(rv[0], rv[1], rv[2]))));
            t[2*i] = ph.sbrLeft(); t[2*i+1] = ph.sbrRight();
            double[] v = g.voxelMm(); acq[2*i] = acq[2*i+1] = ph.parameters().get("field_T") + "T " + v[0] + "x" + v[2];
            for (int j = 0; j < m; j++) {
                SbrRegressor.Result res = reg[j].predict(ph.smwi(), cc);
                p[j][2*i] = res.left().sbr(); p[j][2*i+1] = res.right().sbr();
            }
            if ((i + 1) % 50 == 0) System.err.println((i + 1) + " phantoms");
        }
        StringBuilder csv = new StringBuilder("seed,side,acq,true");
        for (int j = 0; j < m; j++) csv.append(",pred").append(j);
        csv.append('\n');
        for (int k = 0; k < 2*n; k++) {
            csv.append(base + k/2).append(',').append(k % 2 == 0 ? "left" : "right").append(',').append(acq[k]).append(',').append(t[k]);
            for (int j = 0; j < m; j++) csv.append(',').append(p[j][k]);
            csv.append('\n');
        }
        java.nio.file.Files.writeString(Path.of(System.getProperty("csv", "paired.csv")), csv);
        for (int j = 0; j < m; j++) {
            Agreement.Result r = Agreement.of(p[j], t);
            double[] pm = new double[n], tm = new double[n];
            for (int i = 0; i < n; i++) { pm[i] = (p[j][2*i] + p[j][2*i+1]) / 2; tm[i] = (t[2*i] + t[2*i+1]) / 2; }
            Agreement.Result rm = Agreement.of(pm, tm);
            System.out.printf(Locale.ROOT, "%s: per side CCC %.3f (%.3f-%.3f) RMSE %.3f; mean of sides CCC %.3f (%.3f-%.3f)%n",
                    a[2+2*j], r.ccc(), r.cccLow(), r.cccHigh(), r.rmse(), rm.ccc(), rm.cccLow(), rm.cccHigh());
        }
        for (SbrRegressor x : reg) x.close();
    }
}
