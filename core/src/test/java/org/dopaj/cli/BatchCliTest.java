package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.dopaj.batch.BatchResults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dopaj batch} with the real bundled models, against single-file calls on the same images: the batch's row
 * carries the same figures as the single call's JSON (one serialisation), failures are rows, reports are readable.
 */
class BatchCliTest {
    @TempDir
    static Path dir;
    static Path in;

    @BeforeAll
    static void phantoms() throws Exception {
        in = Files.createDirectories(dir.resolve("scans"));
        CliRun.of("phantom", "spect", in.resolve("pd.nii.gz"), "--stage", 2, "--side", "left", "--seed", 3).ok();
        CliRun.of("phantom", "spect", in.resolve("hc.nii.gz"), "--stage", 0, "--seed", 4).ok();
        Files.writeString(in.resolve("broken.nii"), "not an image");
    }

    static Map<String, Map<String, Object>> rows(Path out) {
        Map<String, Map<String, Object>> m = new java.util.TreeMap<>();
        for (Map<String, Object> r : BatchResults.read(out.resolve(BatchResults.JOURNAL), false)) {
            m.put((String) r.get("case"), r);
        }
        return m;
    }

    @Test
    void spectSbrRowsEqualSingleCallsWithZScoresFromAManifest() throws Exception {
        Path db = dir.resolve("normals.csv");
        Files.writeString(db, "region,mean,sd,age_slope,ref_age\nputamen_l,3.0,0.4,-0.02,60\nputamen_r,3.0,0.4,-0.02,60\n"
                + "caudate_l,3.5,0.5,-0.02,60\nstriatum_l,3.2,0.4,-0.02,60\n");
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, "id,input,age\npd,scans/pd.nii.gz,64\nhc,scans/hc.nii.gz,58\nbroken,scans/broken.nii,70\n");
        Path out = dir.resolve("sbr");
        CliRun r = CliRun.of("batch", "spect-sbr", manifest, "-o", out, "--normals", db, "--report");
        assertEquals(3, r.code(), "some failed: " + r.err());
        Map<String, Map<String, Object>> rows = rows(out);
        assertEquals("error", rows.get("broken").get("status"));
        for (String id : List.of("pd", "hc")) {
            JsonObject single = CliRun.of("spect-sbr", in.resolve(id + ".nii.gz"), "--normals", db, "--age",
                    id.equals("pd") ? 64 : 58, "--json").json();
            @SuppressWarnings("unchecked")
            Map<String, Object> sbr = (Map<String, Object>) rows.get(id).get("sbr");
            for (String k : List.of("putamen_l", "putamen_r", "caudate_l", "striatum_r")) {
                assertEquals(single.getAsJsonObject("sbr").get(k).getAsDouble(), (Double) sbr.get(k), 1e-12, id + " " + k);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> z = (Map<String, Object>) rows.get(id).get("z_scores");
            assertEquals(single.getAsJsonObject("z_scores").get("putamen_l").getAsDouble(), (Double) z.get("putamen_l"),
                    1e-12);
            try (PDDocument pdf = Loader.loadPDF(out.resolve(id + "/report.pdf").toFile())) {
                String text = new PDFTextStripper().getText(pdf);
                assertTrue(text.contains("sbr.putamen_l") && text.contains("Research use only"), text);
            }
            String html = Files.readString(out.resolve(id + "/report.html"));
            assertTrue(html.contains("data:image/png;base64,"), "pictures inline");
        }
        String summary = Files.readString(out.resolve("summary.html"));
        assertTrue(summary.contains("1 failed") && summary.contains("<svg"), summary);
    }

    @Test
    void spectClassifyRowsEqualSingleCallsAndResumeSkipsThem() {
        Path out = dir.resolve("cls");
        CliRun r = CliRun.of("batch", "spect-classify", in, "-o", out, "--jobs", 2, "--cam", "--json");
        assertEquals(3, r.code(), r.err());
        Map<String, Map<String, Object>> rows = rows(out);
        for (String id : List.of("pd", "hc")) {
            JsonObject single = CliRun.of("spect-classify", in.resolve(id + ".nii.gz"), "--json").json();
            assertEquals(single.get("probability_parkinsonian").getAsDouble(),
                    (Double) rows.get(id).get("probability_parkinsonian"), 1e-6, id);
            assertEquals(single.get("label").getAsString(), rows.get(id).get("label"));
            assertTrue(Files.isRegularFile(out.resolve(id + "/cam.nii.gz")));
        }
        CliRun again = CliRun.of("batch", "spect-classify", in, "-o", out, "--resume", "--json");
        assertEquals(3, again.code(), "the failed case still fails the table");
        assertTrue(again.out().contains("\"ran\":0"), again.out());
        CliRun other = CliRun.of("batch", "spect-sbr", in, "-o", out, "--resume");
        other.failure("holds a spect-classify batch");
    }

    @Test
    void brainMaskBatchUncompressedEqualsTheSingleCall() throws Exception {
        Path head = Path.of("samples/head_phantom.nii.gz");
        Path out = dir.resolve("bm");
        CliRun.of("batch", "brain-mask", head, "-o", out, "--compress", "none", "--json").json();
        Map<String, Object> row = rows(out).get("head_phantom");
        assertEquals("ok", row.get("status"), String.valueOf(row.get("error")));
        assertTrue(Files.isRegularFile(out.resolve("head_phantom/head_phantom_brainmask.nii")), "uncompressed");
        JsonObject single = CliRun.of("brain-mask", head, "-o", dir.resolve("bm-single"), "--json").json();
        assertEquals(single.get("volume_ml").getAsDouble(), (Double) row.get("volume_ml"), 1e-9);
        CliRun.of("batch", "brain-mask", head, "-o", dir.resolve("bm2"), "--compress", "tiny").failure("--compress");
    }

    @Test
    void nigrosomeBatchFromAManifestOfCentroidsEqualsTheSingleCall() throws Exception {
        Path smwi = dir.resolve("smwi.nii.gz");
        CliRun.of("phantom", "smwi", smwi, "--seed", "11", "--sbr-left", "3.0", "--sbr-right", "1.5").ok();
        org.dopaj.nigrosome.SmwiPhantom.Result truth = org.dopaj.nigrosome.SmwiPhantom.generate(3.0, 1.5, 11);
        int[] l = truth.nigrosomes().left().nearestVoxel();
        int[] r = truth.nigrosomes().right().nearestVoxel();
        String left = l[0] + "," + l[1] + "," + l[2];
        String right = r[0] + "," + r[1] + "," + r[2];
        Path manifest = dir.resolve("nigro.csv");
        Files.writeString(manifest, "id,input,left,right\nsubject1,smwi.nii.gz,\"" + left + "\",\"" + right
                + "\"\nnoright,smwi.nii.gz,\"" + left + "\",\n");
        Path out = dir.resolve("nigro");
        CliRun run = CliRun.of("batch", "nigrosome-sbr", manifest, "-o", out, "--cam", "--report");
        assertEquals(3, run.code(), run.err());
        Map<String, Map<String, Object>> rows = rows(out);
        assertTrue(String.valueOf(rows.get("noright").get("error")).contains("right"), rows.get("noright").toString());
        JsonObject single = CliRun.of("nigrosome-sbr", smwi, "--left", left, "--right", right, "--json").json();
        assertEquals(single.get("sbr_left").getAsDouble(), (Double) rows.get("subject1").get("sbr_left"), 1e-9);
        assertEquals(single.get("sbr_right").getAsDouble(), (Double) rows.get("subject1").get("sbr_right"), 1e-9);
        assertTrue(Files.isRegularFile(out.resolve("subject1/cam_left.nii.gz")));
        assertTrue(Files.isRegularFile(out.resolve("subject1/report.pdf")));
    }

    @Test
    void badInvocationsFailBeforeAnythingIsWritten() {
        Path out = dir.resolve("never");
        CliRun.of("batch", "spect-classify", in, "-o", out, "--hottest", 5).failure("--hottest");
        CliRun.of("batch", "wmh-typo", in, "-o", out).failure("unknown capability");
        CliRun.of("batch", "spect-sbr", in, "-o", out, "--shard", "3/2").failure("--shard");
        CliRun.of("batch", "nigrosome-sbr", in, "-o", out).failure("manifest");
        assertFalse(Files.exists(out));
        // a model that does not load leaves no batch behind: the corrected call needs no --resume
        Path first = dir.resolve("first");
        CliRun.of("batch", "spect-classify", in.resolve("hc.nii.gz"), "-o", first, "--model", dir.resolve("nomodel"))
                .failure("nomodel");
        assertEquals(0, CliRun.of("batch", "spect-classify", in.resolve("hc.nii.gz"), "-o", first).code());
    }
}
