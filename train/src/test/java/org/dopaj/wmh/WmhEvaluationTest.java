package org.dopaj.wmh;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

/** The evaluation's lesioned heads: never an empty truth for a requested load. */
class WmhEvaluationTest {

    @Test
    void aRequestedLoadIsNeverDrawnEmpty() {
        Path shared = WmhData.shared();
        assumeTrue(Files.isRegularFile(Path.of(LesionSynthesis.COLIN)), "Colin 27 (Debian mricron-data) absent");
        // Colin 27, 1 mL, seed 5000: the fourth of its rescaled draws lands outside the white matter; the last draw
        // used to be kept, an empty truth scored as a lesioned image
        LesionSynthesis.Head h = LesionSynthesis.head(shared, "colin27");
        LesionSynthesis synth = new LesionSynthesis(List.of(h), LesionLibrary.build(shared));
        WmhEvaluation.Lesioned les = WmhEvaluation.lesioned(h, synth, 1, 5000);
        double ml = count(les.truth()) * h.t1().grid().voxelVolumeMm3() / 1000;
        assertTrue(ml > 0.5 && ml < 2, "drawn " + ml + " mL for 1 mL");
        // and blended into the T1
        assertTrue(changed(h.t1(), les.t1()) >= count(les.truth()), "lesions blended into the T1");
    }

    private static long count(Volume v) {
        long n = 0;
        for (float[] p : v.planes()) {
            for (float x : p) {
                n += x > 0 ? 1 : 0;
            }
        }
        return n;
    }

    private static long changed(Volume a, Volume b) {
        long n = 0;
        for (int z = 0; z < a.nz(); z++) {
            float[] p = a.plane(z);
            float[] q = b.plane(z);
            for (int i = 0; i < p.length; i++) {
                n += p[i] != q[i] ? 1 : 0;
            }
        }
        return n;
    }
}
