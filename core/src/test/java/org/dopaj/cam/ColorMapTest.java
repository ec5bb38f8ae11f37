package org.dopaj.cam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.process.LUT;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;

class ColorMapTest {

    @Test
    void publishedEndPoints() {
        // viridis #440154 → #FDE725, inferno #000004 → #FCFFA4 (the hex values quoted by their authors)
        assertEquals(0x440154, ColorMap.of("viridis").rgb(0));
        assertEquals(0xFDE725, ColorMap.of("viridis").rgb(255));
        assertEquals(0x000004, ColorMap.of("inferno").rgb(0));
        assertEquals(0xFCFFA4, ColorMap.of("inferno").rgb(255));
        // jet: dark blue (0,0,0.5) → dark red (0.5,0,0); round(127.5) = 128
        assertEquals(0x000080, ColorMap.of("jet").rgb(0));
        assertEquals(0x800000, ColorMap.of("jet").rgb(255));
        // hot: (0.0416,0,0) → white
        assertEquals(11 << 16, ColorMap.of("hot").rgb(0));
        assertEquals(0xFFFFFF, ColorMap.of("hot").rgb(255));
        assertEquals(0x808080, ColorMap.of("Gray").rgb(128));
    }

    @Test
    void jetMiddleByHandFromAnchors() {
        // i = 128, x = 128/255 = 0.501961
        // red: between (0.35,0) and (0.66,1): (0.501961−0.35)/0.31 = 0.490196 → 125
        // green: 1 between 0.375 and 0.64 → 255
        // blue: between (0.34,1) and (0.65,0): 1 − (0.501961−0.34)/0.31 = 0.477545 → 121.8 → 122
        int c = ColorMap.of("jet").rgb(128);
        assertEquals(125, c >> 16);
        assertEquals(255, (c >> 8) & 0xff);
        assertEquals(122, c & 0xff);
        // hot at i = 200, x = 0.784314: red 1, green 1 (past 0.746032), blue (0.784314−0.746032)/0.253968 = 0.150735 → 38
        int h = ColorMap.of("hot").rgb(200);
        assertEquals(0xFFFF00 | 38, h);
    }

    @Test
    void listedMapsAreSmoothAndLutMatches() {
        for (String n : ColorMap.NAMES) {
            ColorMap m = ColorMap.of(n);
            LUT lut = m.toLut();
            assertEquals(256, lut.getMapSize());
            for (int i = 0; i < 256; i++) {
                assertEquals(m.rgb(i), lut.getRGB(i) & 0xffffff, n + " entry " + i);
                if (i > 0 && !n.equals("jet")) {
                    // no transcription error in the tables: neighbours differ by a few levels at most
                    int a = m.rgb(i - 1);
                    int b = m.rgb(i);
                    for (int s = 0; s <= 16; s += 8) {
                        assertTrue(Math.abs(((a >> s) & 0xff) - ((b >> s) & 0xff)) <= 6, n + " jump at " + i);
                    }
                }
            }
        }
        assertEquals(255, ColorMap.index(1.7));
        assertEquals(0, ColorMap.index(Double.NaN));
        assertEquals(128, ColorMap.index(0.5));
    }

    @Test
    void unknownNameIsRefused() {
        DopajException e = assertThrows(DopajException.class, () -> ColorMap.of("rainbow"));
        assertTrue(e.getMessage().contains("viridis"), e.getMessage());
    }
}
