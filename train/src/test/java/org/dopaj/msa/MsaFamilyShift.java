package org.dopaj.msa;

import java.nio.file.Path;
import java.util.List;

/**
 * How far the held-out family B's PD subjects lie from a training family's PD subjects in what the MD network reads
 * (the robust z of the 4 mm MD input, as the graph computes it), in units of the training PD subjects' voxel-wise sd
 * (floor 0.25): the mean shift in the brain, the voxels shifted by more than 2 sd (and how many of them lie outside
 * family B's brain), and the mean shift in the five regions of the region branch next to family B's own MSA − PD
 * effect there. Reads the recipe's subject cache (nothing is drawn when cached). Development tool:
 * {@code java -cp "$(./dopaj --classpath)" org.dopaj.msa.MsaFamilyShift FAMILY [DATA] [SHARED] [POOL]}.
 */
public class MsaFamilyShift {
    public static void main(String[] a) throws Exception {
        MsaFamily fam = MsaFamily.parse(a[0]);
        Path data = Path.of(a.length > 1 ? a[1] : "runs/msa-data");
        Path shared = Path.of(a.length > 2 ? a[2] : "../shared/data");
        int poolN = a.length > 3 ? Integer.parseInt(a[3]) : 480;
        MsaAnatomy an = MsaFamily.AAL.anatomy(shared);
        MsaCnn.Regions reg = MsaCnn.Regions.of(an);
        List<MsaData.Item> pool = MsaData.load(data, fam, fam.anatomies(shared), "pool", MsaTraining.POOL_SEED, poolN,
                s -> { });
        List<MsaData.Item> held = MsaData.load(data, MsaFamily.ICBM, MsaFamily.ICBM.anatomy(shared), "heldout", MsaTraining.HELDOUT_SEED, 240, s -> {});
        int n = MsaCnn.SIZE;
        double[][] acc = new double[4][n];
        double[] rawA = new double[n], rawB = new double[n]; // sumA, sumsqA, sumB(PD), sumBmsa
        int na = 0, nb = 0, nbm = 0;
        for (MsaData.Item it : pool) {
            if (it.subtype() != MsaSubtype.PD) continue;
            float[] z = reg.normalised(it.md(), 1, MsaCnn.Normalisation.ROBUST);
            for (int i = 0; i < n; i++) { acc[0][i] += z[i]; acc[1][i] += z[i] * z[i]; rawA[i] += it.md()[i]; }
            na++;
        }
        for (MsaData.Item it : held) {
            float[] z = reg.normalised(it.md(), 1, MsaCnn.Normalisation.ROBUST);
            if (it.subtype() == MsaSubtype.PD) { for (int i = 0; i < n; i++) { acc[2][i] += z[i]; rawB[i] += it.md()[i]; } nb++; }
            else { for (int i = 0; i < n; i++) acc[3][i] += z[i]; nbm++; }
        }
        float[][] w = reg.weights();
        int nr = w[0].length;
        String[] names = MsaCnn.REGIONS;
        double[] dsum = new double[nr], dmsa = new double[nr], wsum = new double[nr];
        double brainShift = 0, bw = 0; int big = 0, bigPos = 0, edge = 0;
        for (int i = 0; i < n; i++) {
            if (reg.brain()[i] <= 0) continue;
            double m = acc[0][i] / na, sd = Math.sqrt(Math.max(1e-6, acc[1][i] / na - m * m));
            double d = (acc[2][i] / nb - m) / Math.max(sd, 0.25);
            double dm = (acc[3][i] / nbm - acc[2][i] / nb) / Math.max(sd, 0.25);
            brainShift += d; bw++;
            if (Math.abs(d) > 2) { big++; if (d > 0) bigPos++; if (rawB[i] / nb < 0.5 * rawA[i] / na) edge++; }
            for (int r = 0; r < nr; r++) { dsum[r] += w[i][r] * d; dmsa[r] += w[i][r] * dm; wsum[r] += w[i][r]; }
        }
        System.out.println("of the |d|>2 voxels, B's mean MD below half of training's (outside B's brain): " + edge);
        System.out.printf("brain mean shift B-PD vs train-PD (sd units) %.3f; voxels |d|>2: %d (%d positive) of %.0f%n", brainShift / bw, big, bigPos, bw);
        for (int r = 0; r < nr; r++) System.out.printf("%-12s B-PD shift %.3f   B MSA-PD effect %.3f%n", names[r], dsum[r] / wsum[r], dmsa[r] / wsum[r]);
    }
}
