package org.dopaj.spect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DatReliabilityFigureTest {
    @Test
    void drawsOneDotPerFilledBinInTheFamilysColour() {
        Map<String, Object> bin = Map.of("bin", "0.9-1.0", "n", 20, "mean_probability", 0.95,
                "fraction_parkinsonian", 0.5);
        Map<String, Object> setting = Map.of("reliability", List.of(bin), "cnn_accuracy", 0.9, "ece", 0.45);
        BufferedImage img = DatReliabilityFigure.draw(Map.of("aicha", Map.of("original", setting, "smoothed",
                setting)), "left out");
        assertEquals(2 * (360 + 2 * 56), img.getWidth());
        // the dot's centre: x = margin + 0.95 of the panel, y = half-way up
        int cx = 56 + (int) Math.round(0.95 * 360);
        int cy = 56 + 360 - 180;
        assertEquals(0xd62728, img.getRGB(cx, cy) & 0xffffff, "aicha's red at (0.95, 0.5)");
        assertTrue((img.getRGB(56 + 36, 56 + 360 - 36) & 0xffffff) != 0xd62728, "nothing at (0.1, 0.1)");
    }
}
