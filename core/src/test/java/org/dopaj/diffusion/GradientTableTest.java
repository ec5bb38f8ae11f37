package org.dopaj.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientTableTest {
    @TempDir
    Path dir;

    static final String BVAL = "0 1000 1000 1000 1000 1000 1000 0\n";
    static final String BVEC3 = "0 1 0 0 0.7071 0.7071 0 0\n0 0 1 0 0.7071 0 0.7071 0\n0 0 0 1 0 0.7071 0.7071 0\n";

    @Test
    void readsFslRowsAndDipyColumnsAlike() throws Exception {
        Path bval = Files.writeString(dir.resolve("a.bval"), BVAL);
        Path bvec = Files.writeString(dir.resolve("a.bvec"), BVEC3);
        GradientTable t = GradientTable.read(bval, bvec, 8);
        assertEquals(2, t.b0Count());
        assertEquals(6, t.directionCount());
        assertEquals(1.0, t.bvecs()[4][0] * t.bvecs()[4][0] + t.bvecs()[4][1] * t.bvecs()[4][1], 1e-9);
        StringBuilder cols = new StringBuilder("nan nan nan\n");
        String[] r = BVEC3.split("\n");
        String[][] v = {r[0].split(" "), r[1].split(" "), r[2].split(" ")};
        for (int i = 1; i < 8; i++) {
            cols.append(v[0][i]).append(' ').append(v[1][i]).append(' ').append(v[2][i]).append('\n');
        }
        GradientTable c = GradientTable.read(bval, Files.writeString(dir.resolve("c.bvec"), cols), 8);
        assertEquals(6, c.directionCount());
    }

    @Test
    void refusesTablesThatDoNotMatchTheDwiOrCannotGiveATensor() throws Exception {
        Path bval = Files.writeString(dir.resolve("a.bval"), BVAL);
        Path bvec = Files.writeString(dir.resolve("a.bvec"), BVEC3);
        assertTrue(assertThrows(DopajException.class, () -> GradientTable.read(bval, bvec, 9)).getMessage()
                .contains("8 b-values for a DWI of 9 volumes"));
        Path shortVec = Files.writeString(dir.resolve("s.bvec"), "0 1 0\n0 0 1\n0 0 0\n");
        assertTrue(assertThrows(DopajException.class, () -> GradientTable.read(bval, shortVec, 8)).getMessage()
                .contains("to match the 8 b-values"));
        Path noB0 = Files.writeString(dir.resolve("n.bval"), BVAL.replace("0 1000", "1000 1000").replace(" 0\n", " 1000\n"));
        assertTrue(assertThrows(DopajException.class, () -> GradientTable.read(noB0, bvec, 8)).getMessage()
                .contains("no b = 0"));
        Path few = Files.writeString(dir.resolve("f.bvec"), "0 1 1 1 1 1 1 0\n0 0 0 0 0 0 0 0\n0 0 0 0 0 0 0 0\n");
        assertTrue(assertThrows(DopajException.class, () -> GradientTable.read(bval, few, 8)).getMessage()
                .contains("at least 6"));
        Path notUnit = Files.writeString(dir.resolve("u.bvec"), BVEC3.replaceFirst("0 1 0", "0 3 0"));
        assertTrue(assertThrows(DopajException.class, () -> GradientTable.read(bval, notUnit, 8)).getMessage()
                .contains("not a unit vector"));
        Path text = Files.writeString(dir.resolve("t.bval"), "0 x 1000\n");
        assertTrue(assertThrows(DopajException.class, () -> GradientTable.read(text, bvec, 8)).getMessage()
                .contains("not a number"));
        assertTrue(assertThrows(DopajException.class, () -> GradientTable.read(dir.resolve("missing.bval"), bvec, 8))
                .getMessage().contains("no such bval file"));
    }
}
