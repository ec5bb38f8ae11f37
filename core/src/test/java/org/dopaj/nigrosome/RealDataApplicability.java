package org.dopaj.nigrosome;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;

/**
 * What the default pair says about real GRE data it was never meant for: the echo-RMS magnitude of the two real 3-echo
 * GRE crops in ../shared (cortex, not midbrain; the only real gradient-echo data at hand — no real SMWI exists here),
 * and the same images times a crude susceptibility-like mask (magnitude normalised to its 90th percentile, clipped to
 * 0–1, to the power 4: dark tissue gets darker, as in SMWI). Each volume is cut at a 3×3 grid of left/right centroid
 * pairs; for each side prints the prediction and its warnings. The question is only: flagged, or plausible (0.5–4.5)?
 * {@code java -cp "$(./dopaj --classpath)" org.dopaj.nigrosome.RealDataApplicability MODELS_LEFT MODELS_RIGHT}
 */
public final class RealDataApplicability {
    private RealDataApplicability() {
    }

    public static void main(String[] a) {
        Path shared = GreTexture.sharedDir();
        int n = 0;
        int flagged = 0;
        int plausibleUnflagged = 0;
        int implausibleUnflagged = 0;
        try (SbrRegressor reg = SbrRegressor.load(Path.of(a[0]), Path.of(a[1]), ComputeDevice.CPU)) {
            for (String rel : GreTexture.SOURCES) {
                Volume all = Nifti.readVolume(shared.resolve(rel));
                Volume rms = Volume.allocate(all.grid());
                for (int t = 0; t < all.nt(); t++) {
                    Volume e = all.frame(t);
                    for (int z = 0; z < rms.nz(); z++) {
                        for (int i = 0; i < rms.plane(z).length; i++) {
                            rms.plane(z)[i] += e.plane(z)[i] * e.plane(z)[i] / all.nt();
                        }
                    }
                }
                float[] sorted = new float[(int) rms.grid().voxelCount()];
                int k = 0;
                for (float[] p : rms.planes()) {
                    for (int i = 0; i < p.length; i++) {
                        p[i] = (float) Math.sqrt(p[i]);
                        sorted[k++] = p[i];
                    }
                }
                java.util.Arrays.sort(sorted);
                float p90 = sorted[sorted.length * 9 / 10];
                Volume masked = rms.copy();
                for (float[] p : masked.planes()) {
                    for (int i = 0; i < p.length; i++) {
                        double m = Math.min(1, Math.max(0, p[i] / p90));
                        p[i] = (float) (p[i] * Math.pow(m, 4));
                    }
                }
                for (Volume v : List.of(rms, masked)) {
                    Grid g = v.grid();
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dz = -1; dz <= 1; dz++) {
                            double y = (g.ny() - 1) / 2.0 + dy * g.ny() / 8.0;
                            double z = (g.nz() - 1) / 2.0 + dz * g.nz() / 8.0;
                            List<double[]> pts = new ArrayList<>();
                            pts.add(new double[]{Math.round(g.nx() * 0.3), Math.round(y), Math.round(z)});
                            pts.add(new double[]{Math.round(g.nx() * 0.7), Math.round(y), Math.round(z)});
                            SbrRegressor.Result r;
                            try {
                                r = reg.predict(v, Centroids.fromPoints(pts, g));
                            } catch (org.dopaj.DopajException e) {
                                System.out.println(rel + (v == rms ? " rms" : " masked") + ": refused: " + e.getMessage());
                                continue;
                            }
                            for (SbrRegressor.SideResult s : List.of(r.left(), r.right())) {
                                n++;
                                boolean w = !s.warnings().isEmpty();
                                boolean plausible = s.sbr() >= 0.5 && s.sbr() <= 4.5;
                                flagged += w ? 1 : 0;
                                plausibleUnflagged += !w && plausible ? 1 : 0;
                                implausibleUnflagged += !w && !plausible ? 1 : 0;
                                System.out.println(String.format(Locale.ROOT, "%s %s %s: SBR %.3f %s", rel,
                                        v == rms ? "rms" : "masked", s.side().label(), s.sbr(), s.warnings()));
                            }
                        }
                    }
                }
            }
        }
        System.out.println(String.format(Locale.ROOT, "sides %d: flagged %d, unflagged and plausible %d, unflagged and"
                + " implausible %d", n, flagged, plausibleUnflagged, implausibleUnflagged));
    }
}
