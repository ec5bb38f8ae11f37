package org.dopaj.msa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MsaZScoresTest {
    @TempDir
    Path dir;

    static Volume noisy(long seed, double amp) {
        Volume v = MsaInputsTest.gd();
        SplittableRandom r = new SplittableRandom(seed);
        for (int z = 0; z < v.nz(); z++) {
            float[] p = v.plane(z);
            for (int i = 0; i < p.length; i++) {
                if (p[i] > 0) {
                    p[i] += (float) (amp * r.nextGaussian());
                }
            }
        }
        return v;
    }

    @Test
    void atrophyBecomesOneClusterOfTheRightSizeAndTheDatabaseRoundTrips() throws Exception {
        List<Volume> controls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            controls.add(noisy(i, 0.02));
        }
        MsaZScores.Entry e = MsaZScores.build("gd", controls, "20 synthetic controls");
        MsaZScores.write(dir, List.of(e));
        Map<String, MsaZScores.Entry> db = MsaZScores.read(dir);
        assertEquals(20, db.get("gd").n());
        assertEquals("20 synthetic controls", db.get("gd").description());
        Volume subject = noisy(99, 0.02);
        // a 5×5×5-voxel block (1 mL) with GD 0.5 → 0.3: z ≈ −10
        for (int z = 40; z < 45; z++) {
            for (int y = 50; y < 55; y++) {
                for (int x = 40; x < 45; x++) {
                    subject.set(x, y, z, 0.3f);
                }
            }
        }
        MsaZScores.ZMap zm = MsaZScores.zmap(db.get("gd"), subject);
        assertEquals(1, zm.clusters().size(), "one abnormal cluster: " + zm.toMap());
        assertEquals(1.0, zm.extentMl(), 0.05);
        assertTrue(zm.clusters().get(0).peakZ() < -5);
        // a control of the same population has (almost) no cluster of 10 voxels at |z| ≥ 3
        assertTrue(MsaZScores.zmap(db.get("gd"), noisy(123, 0.02)).clusters().isEmpty());
        // higher GD is not atrophy: no cluster
        Volume higher = noisy(98, 0.02);
        for (int z = 40; z < 45; z++) {
            for (int y = 50; y < 55; y++) {
                for (int x = 40; x < 45; x++) {
                    higher.set(x, y, z, 0.7f);
                }
            }
        }
        assertTrue(MsaZScores.zmap(db.get("gd"), higher).clusters().isEmpty());
    }
}
