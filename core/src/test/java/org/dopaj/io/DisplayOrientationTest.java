package org.dopaj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.dopaj.io.DisplayOrientation.Convention;
import org.dopaj.io.Nifti;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.dopaj.image.Volume;
import org.dopaj.image.Grid;

/**
 * The axial reading view (anterior up, a documented left-right convention) for files of any orientation, and the
 * promises that come with it: open → reorient → save is bit-exact, voxel indices keep the file's meaning, ImageJ's
 * calibration wins once the user changes it.
 */
class DisplayOrientationTest {
    @TempDir
    Path dir;

    /** A 5×4×3 file of {@code type} whose affine's axes point as {@code code} says (2, 3, 4 mm voxels). */
    static NiftiImage file(String code, NiftiDatatype type, long seed) {
        double[][] a = new double[4][4];
        a[3][3] = 1;
        double[] size = {2, 3, 4};
        for (int c = 0; c < 3; c++) {
            char l = code.charAt(c);
            int row = "RLAPSI".indexOf(l) / 2;
            double sign = "RAS".indexOf(l) >= 0 ? 1 : -1;
            a[row][c] = sign * size[c];
            a[row][3] = -10 * sign;
        }
        NiftiHeader h = new NiftiHeader();
        h.dim = new long[]{3, 5, 4, 3, 1, 1, 1, 1};
        h.datatype = type.code();
        h.bitpix = type.bitpix();
        h.setSform(a, 2);
        h.setQform(a, 2);
        byte[] d = new byte[60 * type.bytes()];
        Random r = new Random(seed);
        ByteBuffer bb = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 60; i++) {
            if (type == NiftiDatatype.FLOAT32) {
                bb.putFloat(4 * i, (float) r.nextGaussian() * 100);
            } else if (type == NiftiDatatype.INT16) {
                bb.putShort(2 * i, (short) r.nextInt());
            } else {
                for (int k = 0; k < type.bytes(); k++) {
                    d[i * type.bytes() + k] = (byte) r.nextInt();
                }
            }
        }
        return new NiftiImage(h, d);
    }

    @Test
    void everyOrientationShowsAnteriorUpAndSavesBitExact() throws Exception {
        String[] codes = {"RAS", "LAS", "LPS", "LPI", "ASL", "PIR", "SRA"};
        for (String code : codes) {
            for (NiftiDatatype t : new NiftiDatatype[]{NiftiDatatype.INT16, NiftiDatatype.UINT8, NiftiDatatype.FLOAT32,
                NiftiDatatype.UINT16}) {
                NiftiImage in = file(code, t, code.hashCode());
                for (Convention c : Convention.values()) {
                    ImagePlus imp = ImagePlusBridge.toImagePlus(in, "x");
                    DisplayOrientation.reorient(imp, c);
                    String what = code + " " + t + " " + c;
                    DisplayOrientation m = DisplayOrientation.of(imp);
                    Grid fg = ImagePlusBridge.gridOf(imp);
                    assertEquals(code, fg.orientation(), "the image's grid stays the file's: " + what);
                    if (c != Convention.FILE) {
                        String shown = m.displayGrid(fg).orientation();
                        assertEquals(c == Convention.RADIOLOGICAL ? "LPS" : "RPS", shown, what);
                        assertArrayEquals(c == Convention.RADIOLOGICAL ? new String[]{"R", "L", "A", "P"}
                                : new String[]{"L", "R", "A", "P"}, m.edgeLetters(fg), what);
                    } else {
                        assertTrue(m.isIdentity(), what);
                    }
                    // the shown voxel (x, y, z) is the file's voxel toFile(x, y, z)
                    Volume file = in.toVolume();
                    int[] fd = fg.dims();
                    for (int z = 0; z < imp.getNSlices(); z++) {
                        for (int y = 0; y < imp.getHeight(); y++) {
                            for (int x = 0; x < imp.getWidth(); x++) {
                                double[] ijk = m.toFile(fd, x, y, z);
                                double shown = imp.getCalibration().getCValue(
                                        imp.getStack().getProcessor(z + 1).getf(x, y));
                                assertEquals(file.get((int) ijk[0], (int) ijk[1], (int) ijk[2]), shown, 1e-6, what);
                                assertArrayEquals(new double[]{x, y, z}, m.toDisplay(fd, ijk), what);
                            }
                        }
                    }
                    // the volume handed to the algorithms is the file's, voxel for voxel
                    assertArrayEquals(file.toArray(), ImagePlusBridge.toVolume(imp).toArray(), what);
                    // and saving writes the file's bytes again
                    Path a = dir.resolve("a.nii");
                    Path b = dir.resolve("b.nii");
                    Nifti.write(in, a);
                    Nifti.write(ImagePlusBridge.toNifti(imp), b);
                    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "file bytes: " + what);
                }
            }
        }
    }

    @Test
    void theCalibrationShownFollowsTheDisplayAxes() {
        ImagePlus imp = ImagePlusBridge.toImagePlus(file("PIR", NiftiDatatype.FLOAT32, 3), "pir");
        DisplayOrientation.reorient(imp, Convention.RADIOLOGICAL);
        // PIR: i→P (3rd file size... i is 2 mm), j→I (3 mm), k→R (4 mm); display x = L-R = k, y = A-P = i, z = S-I = j
        assertEquals("-k +i -j", DisplayOrientation.of(imp).toString());
        assertEquals(3, imp.getWidth());
        assertEquals(5, imp.getHeight());
        assertEquals(4, imp.getNSlices());
        assertEquals(4, imp.getCalibration().pixelWidth, 1e-12);
        assertEquals(2, imp.getCalibration().pixelHeight, 1e-12);
        assertEquals(3, imp.getCalibration().pixelDepth, 1e-12);
        assertTrue(ImagePlusBridge.isCalibrated(imp));
        assertNull(ImagePlusBridge.calibrationNote(imp));
    }

    @Test
    void imageJsCalibrationWinsOnceTheUserChangesIt() {
        ImagePlus imp = ImagePlusBridge.toImagePlus(file("RAS", NiftiDatatype.FLOAT32, 5), "ras");
        DisplayOrientation.reorient(imp, Convention.RADIOLOGICAL);
        assertEquals("RAS", ImagePlusBridge.gridOf(imp).orientation());
        // Image>Properties: the user resets the unit to pixels
        imp.getCalibration().setUnit("pixel");
        imp.getCalibration().pixelWidth = 1;
        imp.getCalibration().pixelHeight = 1;
        imp.getCalibration().pixelDepth = 1;
        assertTrue(ImagePlusBridge.calibrationChanged(imp));
        assertFalse(ImagePlusBridge.isCalibrated(imp), "no stale affine makes it look calibrated");
        assertNotNull(ImagePlusBridge.calibrationNote(imp));
        assertArrayEquals(new double[]{1, 1, 1}, ImagePlusBridge.gridOf(imp).voxelMm());
        // the voxels are taken as shown
        assertEquals(imp.getStack().getProcessor(1).getf(0, 0), ImagePlusBridge.toVolume(imp).get(0, 0, 0));
        // or sets another size in mm: that size is used
        imp.getCalibration().setUnit("mm");
        imp.getCalibration().pixelWidth = 0.7;
        assertTrue(ImagePlusBridge.isCalibrated(imp));
        assertEquals(0.7, ImagePlusBridge.gridOf(imp).voxelMm()[0], 1e-12);
    }

    @Test
    void mappingsParseAndRefuseNonsense() {
        assertEquals("-k +i -j", DisplayOrientation.parse("-k +i -j").toString());
        assertNull(DisplayOrientation.parse("+i +i +k"));
        assertNull(DisplayOrientation.parse("+i +j"));
        assertEquals(Convention.NEUROLOGICAL, Convention.parse("Neurological"));
        assertEquals(Convention.RADIOLOGICAL, Convention.parse(""));
    }
}
