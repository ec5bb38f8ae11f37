package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dopaj evaluate}: figures on two known masks and on hand-checked CSV tables. */
class EvaluateCliTest {
    @TempDir
    Path dir;

    private static final Grid GRID = new Grid(10, 10, 10, new double[]{1, 1, 2}, CliRun.diag(1, 1, 2, 0, 0, 0));

    /** A cube [lo, hi]³ of value {@code in}, {@code out} elsewhere. */
    private static Volume cube(int lo, int hi, float in, float out) {
        Volume v = Volume.allocate(GRID);
        for (int z = 0; z < 10; z++) {
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 10; x++) {
                    boolean inside = x >= lo && x <= hi && y >= lo && y <= hi && z >= lo && z <= hi;
                    v.set(x, y, z, inside ? in : out);
                }
            }
        }
        return v;
    }

    private Path write(String name, Volume v, NiftiDatatype type) {
        Path f = dir.resolve(name);
        Nifti.write(v, f, null, type);
        return f;
    }

    /** HD95 by brute force: 6-neighbour surfaces, all pairwise distances (mm), numpy-linear percentile of the union. */
    private static double[] bruteHd(boolean[] a, boolean[] b) {
        List<int[]> sa = surface(a);
        List<int[]> sb = surface(b);
        List<Double> d = new ArrayList<>();
        for (int[] p : sa) {
            d.add(nearest(p, sb));
        }
        for (int[] p : sb) {
            d.add(nearest(p, sa));
        }
        Collections.sort(d);
        double h = 0.95 * (d.size() - 1);
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, d.size() - 1);
        return new double[]{d.get(lo) + (h - lo) * (d.get(hi) - d.get(lo)), d.get(d.size() - 1)};
    }

    private static double nearest(int[] p, List<int[]> s) {
        double best = Double.POSITIVE_INFINITY;
        for (int[] q : s) {
            double dx = (p[0] - q[0]) * 1.0;
            double dy = (p[1] - q[1]) * 1.0;
            double dz = (p[2] - q[2]) * 2.0;
            best = Math.min(best, Math.sqrt(dx * dx + dy * dy + dz * dz));
        }
        return best;
    }

    private static List<int[]> surface(boolean[] m) {
        List<int[]> s = new ArrayList<>();
        int[][] n6 = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        for (int z = 0; z < 10; z++) {
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 10; x++) {
                    if (!m[x + 10 * y + 100 * z]) {
                        continue;
                    }
                    for (int[] d : n6) {
                        int a = x + d[0];
                        int b = y + d[1];
                        int c = z + d[2];
                        if (a < 0 || b < 0 || c < 0 || a > 9 || b > 9 || c > 9 || !m[a + 10 * b + 100 * c]) {
                            s.add(new int[]{x, y, z});
                            break;
                        }
                    }
                }
            }
        }
        return s;
    }

    private static boolean[] flags(int lo, int hi) {
        boolean[] m = new boolean[1000];
        for (int z = lo; z <= hi; z++) {
            for (int y = lo; y <= hi; y++) {
                for (int x = lo; x <= hi; x++) {
                    m[x + 10 * y + 100 * z] = true;
                }
            }
        }
        return m;
    }

    @Test
    void segmentationFiguresOfTwoShiftedCubes() {
        // predicted: a probability map (0.7 inside [2,5]³, 0.3 outside) thresholded at > 0.5; reference: 0/1 uint8 [3,6]³
        Path pred = write("pred.nii.gz", cube(2, 5, 0.7f, 0.3f), NiftiDatatype.FLOAT32);
        Path ref = write("ref.nii", cube(3, 6, 1, 0), NiftiDatatype.UINT8);
        JsonObject j = CliRun.of("evaluate", "segmentation", "--pred", pred, "--ref", ref, "--json").json();
        // 64 voxels each, 27 in common
        assertEquals(54.0 / 128, j.get("dice").getAsDouble(), 1e-12);
        assertEquals(27.0 / 101, j.get("iou").getAsDouble(), 1e-12);
        assertEquals(27.0 / 64, j.get("precision").getAsDouble(), 1e-12);
        assertEquals(27.0 / 64, j.get("recall").getAsDouble(), 1e-12);
        assertEquals(54.0 / 128, j.get("f1").getAsDouble(), 1e-12);
        assertEquals(64, j.get("predicted_voxels").getAsLong());
        assertEquals(64, j.get("reference_voxels").getAsLong());
        assertEquals(27, j.get("true_positive_voxels").getAsLong());
        assertEquals(37, j.get("false_positive_voxels").getAsLong());
        double[] hd = bruteHd(flags(2, 5), flags(3, 6));
        assertEquals(hd[0], j.get("hd95_mm").getAsDouble(), 1e-5);
        assertEquals(hd[1], j.get("hausdorff_mm").getAsDouble(), 1e-5);
        assertEquals(Math.sqrt(1 + 1 + 4), hd[1], 1e-12, "corner to corner: one voxel along each axis, z is 2 mm");
        assertEquals(0.5, j.get("mask_threshold").getAsDouble());
        assertTrue(j.get("notice").getAsString().startsWith("Research use only"));

        // identical masks: perfect scores, zero distances; human listing works too
        JsonObject same = CliRun.of("evaluate", "segmentation", "--pred", ref, "--ref", ref, "--json").json();
        assertEquals(1.0, same.get("dice").getAsDouble());
        assertEquals(0.0, same.get("hd95_mm").getAsDouble());
        CliRun listing = CliRun.of("evaluate", "segmentation", "--pred", pred, "--ref", ref);
        assertEquals(0, listing.code());
        assertTrue(listing.out().contains("dice") && listing.out().contains("0.421875"), listing.out());
    }

    @Test
    void emptyPredictionGivesNullDistances() {
        Path empty = write("empty.nii", cube(0, -1, 1, 0), NiftiDatatype.UINT8);
        Path ref = write("ref.nii", cube(3, 6, 1, 0), NiftiDatatype.UINT8);
        JsonObject j = CliRun.of("evaluate", "segmentation", "--pred", empty, "--ref", ref, "--json").json();
        assertEquals(0.0, j.get("dice").getAsDouble());
        assertTrue(j.get("hd95_mm").isJsonNull());
    }

    @Test
    void differentGridsAreRefusedWithAResampleHint() {
        Path ref = write("ref.nii", cube(3, 6, 1, 0), NiftiDatatype.UINT8);
        Volume shifted = cube(3, 6, 1, 0).withGrid(GRID.withAffine(CliRun.diag(1, 1, 2, 5, 0, 0)));
        Path other = write("other.nii", shifted, NiftiDatatype.UINT8);
        CliRun.of("evaluate", "segmentation", "--pred", other, "--ref", ref).failure(other.toString(), ref.toString(),
                "different grids", "resample");
        CliRun.of("evaluate", "segmentation", "--pred", ref).failure("missing --ref");
    }

    @Test
    void classificationFromCsvMatchesTheDocumentedExample() throws IOException {
        // docs/metrics.md: SBR 1.2 1.5 2.1 2.4 3.0 3.4, labels 1 1 0 1 0 0, lower is positive:
        // AUC 8/9, Youden J 2/3 at SBR ≤ 2.4 (tie rule: higher sensitivity), threshold (2.4+3.0)/2 = 2.7
        Path csv = Files.writeString(dir.resolve("sbr.csv"),
                "subject,putamen_sbr,parkinsonism\n"
                        + "a,1.2,1\nb,1.5,1\n\"c, d\",2.1,0\ne,2.4,1\nf,3.0,0\ng,3.4,0\n");
        JsonObject j = CliRun.of("evaluate", "classification", "--csv", csv, "--score", "putamen_sbr", "--label",
                "parkinsonism", "--direction", "lower", "--json").json();
        assertEquals(6, j.get("n").getAsInt());
        assertEquals(8.0 / 9, j.get("auc").getAsDouble(), 1e-12);
        assertEquals(2.7, j.get("threshold").getAsDouble(), 1e-12);
        assertEquals("youden", j.get("threshold_source").getAsString());
        assertEquals(1.0, j.get("sensitivity").getAsDouble(), 1e-12);
        assertEquals(2.0 / 3, j.get("specificity").getAsDouble(), 1e-12);
        assertEquals(5.0 / 6, j.get("accuracy").getAsDouble(), 1e-12);
        assertEquals(2.0 / 3, j.get("youden_j").getAsDouble(), 1e-12);
        assertEquals(2.7, j.getAsJsonObject("youden").get("threshold").getAsDouble(), 1e-12);
        assertTrue(j.has("notice"));

        JsonObject fixed = CliRun.of("evaluate", "classification", "--csv", csv, "--score", "putamen_sbr", "--label",
                "parkinsonism", "--direction", "lower", "--threshold", "1.8", "--json").json();
        assertEquals("given", fixed.get("threshold_source").getAsString());
        assertEquals(2.0 / 3, fixed.get("sensitivity").getAsDouble(), 1e-12);
        assertEquals(1.0, fixed.get("specificity").getAsDouble(), 1e-12);

        CliRun.of("evaluate", "classification", "--csv", csv, "--score", "caudate", "--label", "parkinsonism")
                .failure(csv.toString(), "no column 'caudate'", "putamen_sbr");
        Path bad = Files.writeString(dir.resolve("bad.csv"), "s,y\n1.0,1\nabc,0\n");
        CliRun.of("evaluate", "classification", "--csv", bad, "--score", "s", "--label", "y")
                .failure(bad.toString(), "line 3", "'abc' is not a number");
    }

    @Test
    void regressionFromCsvMatchesTheHandCheckedExample() throws IOException {
        // docs/metrics.md: predicted 1 2 3 4 5, reference 1.5 2 2.5 4.5 4 → CCC 3/3.35, CI (0.4117, 0.9855), MAE 0.5
        Path csv = Files.writeString(dir.resolve("sbr.tsv"), "pred\tref\n1\t1.5\n2\t2\n3\t2.5\n4\t4.5\n5\t4\n");
        JsonObject j = CliRun.of("evaluate", "regression", "--csv", csv, "--pred", "pred", "--ref", "ref", "--json").json();
        assertEquals(5, j.get("n").getAsInt());
        assertEquals(3 / 3.35, j.get("ccc").getAsDouble(), 1e-12);
        assertEquals(0.4117, j.get("ccc_ci95_low").getAsDouble(), 1e-4);
        assertEquals(0.9855, j.get("ccc_ci95_high").getAsDouble(), 1e-4);
        assertEquals(0.9163, j.get("pearson_r").getAsDouble(), 1e-4);
        assertEquals(0.5, j.get("mae").getAsDouble(), 1e-12);
        assertEquals(Math.sqrt(0.35), j.get("rmse").getAsDouble(), 1e-12);
        assertEquals(Math.sqrt(0.35) / 3, j.get("normalised_rmse").getAsDouble(), 1e-12);
        assertTrue(j.has("notice"));
    }
}
