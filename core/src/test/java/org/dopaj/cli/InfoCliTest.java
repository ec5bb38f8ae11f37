package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiImage;
import org.dopaj.io.NiftiHeader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dopaj info}: JSON fields on files of known geometry, the listing, and the non-finite warning. */
class InfoCliTest {
    @TempDir
    Path dir;

    private JsonObject info(Path f) {
        CliRun r = CliRun.of("info", f, "--json");
        JsonObject j = r.json();
        assertFalse(j.has("notice"), "info JSON carries file facts only");
        return j;
    }

    private static void assertAffine(double[][] expected, JsonObject j) {
        JsonArray rows = j.getAsJsonArray("affine");
        assertEquals(4, rows.size());
        for (int r = 0; r < 4; r++) {
            JsonArray row = rows.get(r).getAsJsonArray();
            for (int c = 0; c < 4; c++) {
                assertEquals(expected[r][c], row.get(c).getAsDouble(), 1e-5, "affine[" + r + "][" + c + "]");
            }
        }
    }

    private static void assertNumbers(double[] expected, JsonArray a) {
        assertEquals(expected.length, a.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], a.get(i).getAsDouble(), 1e-6);
        }
    }

    @Test
    void orientationCodesOfAxisAlignedAndObliqueFiles() {
        double c = Math.cos(Math.toRadians(60));
        double s = Math.sin(Math.toRadians(60));
        // 60° about x: j points mostly superior, k mostly posterior (nibabel aff2axcodes gives R S P)
        double[][] oblique = {{1.5, 0, 0, -10}, {0, 2 * c, -3 * s, 5}, {0, 2 * s, 3 * c, 7}, {0, 0, 0, 1}};
        Object[][] cases = {
                {"las.nii.gz", CliRun.diag(-2, 2, 2, 90, -126, -72), "LAS", new double[]{2, 2, 2}},
                {"ras.nii", CliRun.diag(1, 1, 1.5, -98, -134, -72), "RAS", new double[]{1, 1, 1.5}},
                {"lps.nii.gz", CliRun.diag(-0.5, -0.5, 3, 0, 0, 0), "LPS", new double[]{0.5, 0.5, 3}},
                {"oblique.nii", oblique, "RSP", new double[]{1.5, 2, 3}},
        };
        for (Object[] k : cases) {
            double[][] a = (double[][]) k[1];
            NiftiHeader h = CliRun.header(NiftiDatatype.INT16, a, 5, 6, 7);
            h.pixdim[1] = ((double[]) k[3])[0];
            h.pixdim[2] = ((double[]) k[3])[1];
            h.pixdim[3] = ((double[]) k[3])[2];
            Path f = CliRun.write(dir.resolve((String) k[0]), h, CliRun.voxels(NiftiDatatype.INT16, 5 * 6 * 7, 1));
            JsonObject j = info(f);
            assertEquals(k[2], j.get("orientation").getAsString(), (String) k[0]);
            assertNumbers(new double[]{5, 6, 7}, j.getAsJsonArray("dims"));
            assertNumbers((double[]) k[3], j.getAsJsonArray("voxel_mm"));
            assertAffine(a, j);
            assertEquals("int16", j.get("datatype").getAsString());
            assertEquals("nifti1", j.get("format").getAsString());
            assertEquals("sform", j.get("affine_source").getAsString());
            assertEquals("aligned", j.get("sform_code").getAsString());
            assertEquals("scanner", j.get("qform_code").getAsString());
            assertEquals(0, j.get("non_finite_voxels").getAsLong());
            assertEquals("mm", j.get("units").getAsString());
        }
    }

    @Test
    void fourDimensionalFloatWithNaNsScalingAndNifti2() {
        NiftiHeader h = CliRun.header(NiftiDatatype.FLOAT32, CliRun.diag(2, 2, 2, 0, 0, 0), 4, 3, 2, 5);
        h.sclSlope = 0.5;
        h.sclInter = -3;
        h.xyztUnits = NiftiHeader.UNITS_MM | 8;
        h.pixdim[4] = 2.5;
        byte[] data = CliRun.voxels(NiftiDatatype.FLOAT32, 4 * 3 * 2 * 5, 2);
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(4 * 7, Float.NaN);
        b.putFloat(4 * 100, Float.POSITIVE_INFINITY);
        Path f = dir.resolve("fmri.nii.gz");
        Nifti.write(new NiftiImage(h, data).withVersion(2), f);
        CliRun r = CliRun.of("info", f, "--json");
        JsonObject j = r.json();
        assertNumbers(new double[]{4, 3, 2, 5}, j.getAsJsonArray("dims"));
        assertEquals("nifti2", j.get("format").getAsString());
        assertEquals("float32", j.get("datatype").getAsString());
        assertEquals(0.5, j.get("scl_slope").getAsDouble());
        assertEquals(-3, j.get("scl_inter").getAsDouble());
        assertEquals("s", j.get("time_unit").getAsString());
        assertEquals(2, j.get("non_finite_voxels").getAsLong());
        String[] warn = r.err().strip().split("\n");
        assertEquals(1, warn.length, r.err());
        assertTrue(warn[0].contains("warning") && warn[0].contains(f.toString()) && warn[0].contains("2 non-finite"), warn[0]);
    }

    @Test
    void qformOnlyAndNoTransformSayWhereTheAffineCameFrom() {
        NiftiHeader h = CliRun.header(NiftiDatatype.UINT8, CliRun.diag(-1, 1, 1, 10, 20, 30), 3, 3, 3);
        h.sformCode = 0;
        Path q = CliRun.write(dir.resolve("q.nii"), h, new byte[27]);
        JsonObject j = info(q);
        assertEquals("qform", j.get("affine_source").getAsString());
        assertEquals("LAS", j.get("orientation").getAsString());
        assertAffine(CliRun.diag(-1, 1, 1, 10, 20, 30), j);

        h.qformCode = 0;
        Path base = CliRun.write(dir.resolve("base.nii"), h, new byte[27]);
        CliRun r = CliRun.of("info", base, "--json");
        JsonObject b = r.json();
        assertEquals("base", b.get("affine_source").getAsString());
        // nibabel's base affine: LAS, origin at the centre
        assertAffine(CliRun.diag(-1, 1, 1, 1, -1, -1), b);
        assertTrue(r.err().contains("no sform or qform"), r.err());
    }

    @Test
    void humanListingIsAlignedAndHasTheAffineRows() {
        Path f = CliRun.write(dir.resolve("l.nii"), CliRun.header(NiftiDatatype.UINT8, CliRun.diag(-2, 2, 2, 90, -126, -72), 2, 2, 2),
                new byte[8]);
        CliRun r = CliRun.of("info", f);
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        int colon = lines[0].indexOf(" : ");
        assertTrue(colon > 0);
        for (String l : lines) {
            if (!l.isBlank()) {
                assertTrue(l.startsWith(" ".repeat(colon)) || l.indexOf(" : ") == colon, "aligned: " + l);
            }
        }
        assertTrue(r.out().contains("orientation") && r.out().contains("LAS"));
        assertTrue(r.out().contains("-126"), "affine printed");
        assertFalse(r.out().strip().startsWith("{"));
    }

    @Test
    void sharedFilesMatchNibabel() {
        Path data = Path.of(System.getProperty("dopaj.shared", "../shared"), "data");
        Assumptions.assumeTrue(Files.isDirectory(data), "../shared/data absent: skipping info on the shared files");
        JsonObject mni = info(data.resolve("mni152_2mm/MNI152_T1_2mm.nii.gz"));
        assertEquals("LAS", mni.get("orientation").getAsString());
        assertEquals("int16", mni.get("datatype").getAsString());
        assertEquals("mni", mni.get("sform_code").getAsString());
        assertAffine(CliRun.diag(-2, 2, 2, 90, -126, -72), mni);
        JsonObject icbm = info(data.resolve("icbm2009a/mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz"));
        assertEquals("RAS", icbm.get("orientation").getAsString());
        assertEquals("uint8", icbm.get("datatype").getAsString());
        assertNumbers(new double[]{197, 233, 189}, icbm.getAsJsonArray("dims"));
        assertAffine(CliRun.diag(1, 1, 1, -98, -134, -72), icbm);
        JsonObject dwi = info(data.resolve("diffusion/small_64D.nii"));
        assertNumbers(new double[]{10, 10, 10, 65}, dwi.getAsJsonArray("dims"));
    }
}
