package org.dopaj.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CamOverlayTest {
    static final int GRAY = 100;

    private static ImagePlus grayImage(int w, int h, int slices) {
        ImageStack st = new ImageStack(w, h);
        for (int z = 0; z < slices; z++) {
            ByteProcessor bp = new ByteProcessor(w, h);
            bp.setValue(GRAY);
            bp.fill();
            st.addSlice(bp);
        }
        return new ImagePlus("gray", st);
    }

    private static int[] rgbAt(ImagePlus flat, int x, int y) {
        int c = flat.getProcessor().getPixel(x, y);
        return new int[]{(c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff};
    }

    private static int[] blend(int rgb, double alpha, int gray) {
        return new int[]{
                (int) Math.round(((rgb >> 16) & 0xff) * alpha + gray * (1 - alpha)),
                (int) Math.round(((rgb >> 8) & 0xff) * alpha + gray * (1 - alpha)),
                (int) Math.round((rgb & 0xff) * alpha + gray * (1 - alpha))};
    }

    private static void assertRgb(int[] expected, int[] actual) {
        for (int k = 0; k < 3; k++) {
            assertEquals(expected[k], actual[k], 1, "channel " + k + ": expected " + java.util.Arrays.toString(expected)
                    + " got " + java.util.Arrays.toString(actual));
        }
    }

    @Test
    void flattenBlendsTopColourByOpacityAndLeavesCamZeroUntouched(@TempDir Path dir) throws Exception {
        ImagePlus imp = grayImage(8, 6, 1);
        byte[] before = ((byte[]) imp.getProcessor().getPixels()).clone();
        float[] cam = new float[48];
        cam[2 + 8 * 3] = 1f;   // pixel (2,3): CAM 1
        cam[5 + 8 * 1] = 0.5f; // pixel (5,1): CAM 0.5
        ColorMap jet = ColorMap.of("jet");
        imp.setOverlay(CamOverlay.overlay(imp, new float[][]{cam}, jet, 0.6, true));
        ImagePlus flat = imp.flatten();
        // CAM 1: top colour of the map, alpha = round(255·0.6) = 153
        assertRgb(blend(jet.rgb(255), 153 / 255.0, GRAY), rgbAt(flat, 2, 3));
        // CAM 0.5: entry 128, alpha = round(255·0.6·0.5) = 77
        assertRgb(blend(jet.rgb(128), 77 / 255.0, GRAY), rgbAt(flat, 5, 1));
        // CAM 0: unchanged gray
        assertArrayEquals(new int[]{GRAY, GRAY, GRAY}, rgbAt(flat, 0, 0));
        // the same through a PNG file written by ImageJ
        Path png = dir.resolve("cam.png");
        assertTrue(new FileSaver(flat).saveAsPng(png.toString()));
        BufferedImage bi = ImageIO.read(png.toFile());
        int c = bi.getRGB(2, 3);
        assertRgb(blend(jet.rgb(255), 153 / 255.0, GRAY), new int[]{(c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff});
        assertEquals(0xff000000 | GRAY << 16 | GRAY << 8 | GRAY, bi.getRGB(7, 5));
        // input pixels untouched
        assertArrayEquals(before, (byte[]) imp.getProcessor().getPixels());
        assertEquals(ImagePlus.GRAY8, imp.getType());
    }

    @Test
    void uniformAlphaTintsEverywhere() {
        ImagePlus imp = grayImage(4, 4, 1);
        float[] cam = new float[16];
        ColorMap hot = ColorMap.of("hot");
        imp.setOverlay(CamOverlay.overlay(imp, new float[][]{cam}, hot, 0.5, false));
        ImagePlus flat = imp.flatten();
        // CAM 0 with uniform alpha round(127.5) = 128: bottom colour of "hot" blended in
        assertRgb(blend(hot.rgb(0), 128 / 255.0, GRAY), rgbAt(flat, 1, 1));
    }

    @Test
    void opacityZeroLeavesImageUnchanged() {
        ImagePlus imp = grayImage(5, 5, 1);
        float[] cam = new float[25];
        java.util.Arrays.fill(cam, 1f);
        imp.setOverlay(CamOverlay.overlay(imp, new float[][]{cam}, ColorMap.of("viridis"), 0, false));
        ImagePlus flat = imp.flatten();
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                assertArrayEquals(new int[]{GRAY, GRAY, GRAY}, rgbAt(flat, x, y));
            }
        }
    }

    @Test
    void eachSliceShowsItsOwnCam() {
        ImagePlus imp = grayImage(6, 6, 3);
        Grid g = Grid.of(6, 6, 3, 1, 1, 2);
        Volume cam = Volume.allocate(g);
        cam.set(1, 1, 0, 1f); // slice 1
        cam.set(4, 4, 2, 1f); // slice 3
        ColorMap inferno = ColorMap.of("inferno");
        imp.setOverlay(CamOverlay.overlay(imp, cam, inferno, 1.0, true));
        assertEquals(3, imp.getOverlay().size());
        int[] top = blend(inferno.rgb(255), 1.0, GRAY);
        imp.setSlice(1);
        ImagePlus f1 = imp.flatten();
        assertRgb(top, rgbAt(f1, 1, 1));
        assertArrayEquals(new int[]{GRAY, GRAY, GRAY}, rgbAt(f1, 4, 4));
        imp.setSlice(3);
        ImagePlus f3 = imp.flatten();
        assertRgb(top, rgbAt(f3, 4, 4));
        assertArrayEquals(new int[]{GRAY, GRAY, GRAY}, rgbAt(f3, 1, 1));
        imp.setSlice(2);
        ImagePlus f2 = imp.flatten();
        assertArrayEquals(new int[]{GRAY, GRAY, GRAY}, rgbAt(f2, 4, 4));
        assertArrayEquals(new int[]{GRAY, GRAY, GRAY}, rgbAt(f2, 1, 1));
    }

    @Test
    void hyperstackRoisAreTiedToZOnly() {
        // 2 channels × 3 slices × 1 frame: the CAM of slice z shows on both channels of that slice
        ImagePlus imp = grayImage(4, 4, 6);
        imp.setDimensions(2, 3, 1);
        imp.setOpenAsHyperStack(true);
        float[][] cam = {new float[16], new float[16], new float[16]};
        ij.gui.Overlay ov = CamOverlay.overlay(imp, cam, ColorMap.of("jet"), 0.5, true);
        assertEquals(3, ov.size());
        for (int z = 0; z < 3; z++) {
            assertEquals(0, ov.get(z).getCPosition());
            assertEquals(z + 1, ov.get(z).getZPosition());
            assertEquals(0, ov.get(z).getTPosition());
        }
    }

    @Test
    void sizeMismatchIsRefused() {
        ImagePlus imp = grayImage(6, 6, 3);
        Volume cam = Volume.allocate(Grid.of(6, 6, 2, 1, 1, 1));
        DopajException e = assertThrows(DopajException.class,
                () -> CamOverlay.overlay(imp, cam, ColorMap.of("jet"), 0.5, true));
        assertTrue(e.getMessage().contains("upsample"), e.getMessage());
        assertThrows(DopajException.class,
                () -> CamOverlay.overlay(imp, new float[][]{new float[36], new float[36], new float[36]}, ColorMap.of("jet"), 1.5, true));
    }

    @Test
    void colourBarHasMapColoursAndLabels() {
        ColorMap v = ColorMap.of("viridis");
        ImagePlus bar = CamOverlay.colourBar(v, 0, 1, 10, 100);
        ImageProcessor ip = bar.getProcessor();
        int pad = (bar.getHeight() - 100) / 2;
        assertEquals(v.rgb(255), ip.getPixel(3, pad) & 0xffffff, "top of the bar = maximum colour");
        assertEquals(v.rgb(0), ip.getPixel(3, pad + 99) & 0xffffff, "bottom of the bar = minimum colour");
        int dark = 0;
        for (int y = 0; y < bar.getHeight(); y++) {
            for (int x = 14; x < bar.getWidth(); x++) {
                if ((ip.getPixel(x, y) & 0xff) < 128) {
                    dark++;
                }
            }
        }
        assertTrue(dark > 5, "min/max labels must be drawn beside the bar, found " + dark + " dark pixels");
    }

    @Test
    void camImageHasLutRangeAndCalibration() {
        ImagePlus ref = grayImage(4, 3, 2);
        Calibration cal = ref.getCalibration();
        cal.pixelWidth = 0.5;
        cal.pixelHeight = 0.75;
        cal.pixelDepth = 2;
        cal.setUnit("mm");
        Volume cam = Volume.allocate(Grid.of(4, 3, 2, 1, 1, 1));
        cam.set(1, 1, 1, 0.8f);
        ImagePlus ci = CamOverlay.camImage(cam, ColorMap.of("hot"), ref, "CAM");
        assertEquals(2, ci.getStackSize());
        assertEquals(0.5, ci.getCalibration().pixelWidth);
        assertEquals(2, ci.getCalibration().pixelDepth);
        assertEquals("mm", ci.getCalibration().getUnit());
        assertEquals(0, ci.getDisplayRangeMin());
        assertEquals(1, ci.getDisplayRangeMax());
        ci.setSlice(2);
        assertEquals(0.8f, ci.getProcessor().getf(1, 1));
        assertEquals(ColorMap.of("hot").rgb(255), ci.getProcessor().getLut().getRGB(255) & 0xffffff);
        // a copy: changing the CAM image does not change the volume
        ci.getProcessor().setf(1, 1, 0);
        assertEquals(0.8f, cam.get(1, 1, 1));
        ImagePlus fromGrid = CamOverlay.camImage(cam, ColorMap.of("grays"), null, "CAM");
        assertNotNull(fromGrid.getCalibration());
        assertEquals(1, fromGrid.getCalibration().pixelDepth);
    }
}
