package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.nigrosome.SmwiPhantom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dopaj models install|list|remove} through the CLI, and what it changes: after installing the published
 * real-patient pair, a plain {@code nigrosome-sbr} runs it and says so; bad volumes are refused in one line.
 */
class ModelsInstallCliTest {
    @TempDir
    Path dir;
    private String old;

    @BeforeEach
    void userFolder() {
        old = System.getProperty(ModelRegistry.USER_PROPERTY);
        System.setProperty(ModelRegistry.USER_PROPERTY, dir.resolve("user").toString());
    }

    @AfterEach
    void restore() {
        if (old == null) {
            System.clearProperty(ModelRegistry.USER_PROPERTY);
        } else {
            System.setProperty(ModelRegistry.USER_PROPERTY, old);
        }
    }

    @Test
    void installListRunRemove() throws Exception {
        String s = System.getProperty("dopaj.shared");
        Assumptions.assumeTrue(s != null && Files.isDirectory(Path.of(s, "data/thirdparty-models/mri_dat")),
                "../shared absent");
        JsonObject j = CliRun.of("models", "install", Path.of(s, "data/thirdparty-models/mri_dat"), "--json").json();
        assertEquals(2, j.getAsJsonArray("installed").size());
        assertTrue(j.get("security_notice").getAsString().contains("executable code")
                && j.get("security_notice").getAsString().contains("your rights"), "every install says what a SavedModel is");
        String list = CliRun.of("models", "list").ok().out();
        assertTrue(list.contains("mri-dat-nigral-vgg-left") && list.contains("real_patients")
                && list.contains("GPL-3.0") && list.contains("installed"), list);
        JsonObject lj = CliRun.of("models", "list", "--json").json();
        assertTrue(lj.toString().contains("\"training_data\":\"real_patients\""), lj.toString());

        Path f = dir.resolve("ph.nii.gz");
        CliRun.of("phantom", "smwi", f, "--seed", "11", "--sbr-left", "3", "--sbr-right", "2").ok();
        SmwiPhantom.Result r = SmwiPhantom.generate(3, 2, 11);
        int[] lv = r.nigrosomes().left().nearestVoxel();
        int[] rv = r.nigrosomes().right().nearestVoxel();
        JsonObject p = CliRun.of("nigrosome-sbr", f, "--left", lv[0] + "," + lv[1] + "," + lv[2], "--right",
                rv[0] + "," + rv[1] + "," + rv[2], "--json").json();
        assertEquals("mri-dat-nigral-vgg-left", p.get("model_left").getAsString());
        assertEquals("trained on real patients", p.get("training_data").getAsString());
        assertTrue(p.get("model_choice").getAsString().contains("real patients"));
        assertTrue(p.getAsJsonObject("models").getAsJsonObject("left").get("version").getAsString().contains("mri_dat"));

        CliRun.of("models", "remove", "mri-dat-nigral-vgg-left").ok();
        CliRun.of("models", "remove", "nigrosome-vgg3d-left").failure("bundled with DopaJ");
        // one side gone: the default falls back to DopaJ's own pair
        JsonObject q = CliRun.of("nigrosome-sbr", f, "--left", lv[0] + "," + lv[1] + "," + lv[2], "--right",
                rv[0] + "," + rv[1] + "," + rv[2], "--json").json();
        assertEquals("nigrosome-vgg3d-left", q.get("model_left").getAsString());
    }

    private static void write(Path f, float[] xyz) {
        org.dopaj.io.Nifti.write(org.dopaj.image.Volume.of(org.dopaj.image.Grid.of(60, 60, 30, 0.5, 0.5, 1), xyz), f,
                new org.dopaj.io.NiftiHeader());
    }

    @Test
    void badVolumesAreRefusedInOneLine() {
        Path zero = dir.resolve("zero.nii.gz");
        write(zero, new float[60 * 60 * 30]);
        CliRun.of("nigrosome-sbr", zero, "--left", "20,30,15", "--right", "40,30,15").failure("empty");
        float[] neg = new float[60 * 60 * 30];
        java.util.Arrays.fill(neg, 100);
        neg[5] = -2;
        Path n = dir.resolve("neg.nii.gz");
        write(n, neg);
        CliRun.of("nigrosome-sbr", n, "--left", "20,30,15", "--right", "40,30,15").failure("negative");
        CliRun.of("models", "install", dir.resolve("nothing")).failure("no such file");
    }
}
