package org.dopaj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dopaj.DopajException;
import org.dopaj.image.Volume;
import org.dopaj.io.DicomWriter.Data;
import org.dopaj.io.DicomWriter.Lengths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * DICOM multi-frame objects (NM reconstructed SPECT, enhanced multi-frame, RT Dose-style offsets) and folders of
 * slices, written by {@link DicomWriter}; the expected RAS affine is computed here by hand from the LPS tags:
 * columns row·Δcol, column·Δrow, slice step, origin = first voxel position, then RAS = diag(-1,-1,1)·LPS.
 */
class DicomMultiFrameTest {
    @TempDir
    Path dir;

    // a head tilted 12° (yaw) and pitched −25°: row and column direction cosines rounded as a DS holds them
    static final double YAW = Math.toRadians(12);
    static final double PITCH = Math.toRadians(-25);
    static final double[] ROW = DicomWriter.dsValues(Math.cos(YAW), Math.sin(YAW), 0);
    static final double[] COL = DicomWriter.dsValues(-Math.sin(YAW) * Math.cos(PITCH), Math.cos(YAW) * Math.cos(PITCH), Math.sin(PITCH));
    static final double[] IOP = {ROW[0], ROW[1], ROW[2], COL[0], COL[1], COL[2]};

    static double[] cross(double[] a, double[] b) {
        return new double[]{a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double[] unit(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[]{v[0] / n, v[1] / n, v[2] / n};
    }

    static final double[] NORMAL = unit(cross(ROW, COL));

    /** The RAS affine of an LPS grid: columns row·dx, col·dy, step; origin p0; x and y negated. */
    static double[][] rasAffine(double[] row, double[] col, double dx, double dy, double[] step, double[] p0) {
        double[][] a = new double[4][4];
        for (int r = 0; r < 3; r++) {
            double sign = r < 2 ? -1 : 1;
            a[r][0] = sign * row[r] * dx;
            a[r][1] = sign * col[r] * dy;
            a[r][2] = sign * step[r];
            a[r][3] = sign * p0[r];
        }
        a[3][3] = 1;
        return a;
    }

    static double[] lpsToRas(double[] p) {
        return new double[]{-p[0], -p[1], p[2]};
    }

    static void assertAffine(double[][] expected, double[][] actual) {
        for (int r = 0; r < 4; r++) {
            assertArrayEquals(expected[r], actual[r], 1e-3, "affine row " + r + ": " + Arrays.deepToString(actual));
        }
    }

    static DopajException assertRefused(Path file, String... words) {
        DopajException e = assertThrows(DopajException.class, () -> ImageFiles.load(file));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.startsWith(file.toString()), "names the file: " + m);
        for (String w : words) {
            assertTrue(m.contains(w), "'" + w + "' in: " + m);
        }
        return e;
    }

    // ---------------------------------------------------------------- (a) NM multi-frame reconstructed SPECT

    static final int NX = 32;
    static final int NY = 32;
    static final int NZ = 24;
    static final double DX = 3.5; // column spacing (along a row, i)
    static final double DY = 2.5; // row spacing (j)
    static final double[] NM_IPP = {-60.5, -80.25, 95.75};
    static final double NM_SLOPE = 0.75;
    static final double NM_INTERCEPT = -2.5;

    /** Raw value of column i, row j of the slice with number s (1-based, from the Slice Vector). */
    static int nmRaw(int s, int i, int j) {
        return 2048 * s + NX * j + i;
    }

    /**
     * A 32×32×24 NM SPECT: geometry only in the Detector Information Sequence, slice step from Spacing Between
     * Slices, frames indexed by the Slice Vector (frame f holds slice {@code sliceVector[f]}).
     */
    static Data nmSpect(double spacing, int[] sliceVector) {
        short[] px = new short[NX * NY * NZ];
        for (int f = 0; f < NZ; f++) {
            for (int j = 0; j < NY; j++) {
                for (int i = 0; i < NX; i++) {
                    px[f * NX * NY + j * NX + i] = (short) nmRaw(sliceVector[f], i, j);
                }
            }
        }
        Data detector = new Data().ds(0x00200032, NM_IPP).ds(0x00200037, IOP).text(0x00181180, "SH", "LEHR");
        return new Data()
                .text(0x00080008, "CS", "ORIGINAL\\PRIMARY\\RECON TOMO\\EMISSION")
                .text(0x00080060, "CS", "NM")
                .text(0x0020000E, "UI", "1.2.3.4.77")
                .ds(0x00180050, Math.abs(spacing))
                .ds(0x00180088, spacing)
                .us(0x00280002, 1)
                .text(0x00280004, "CS", "MONOCHROME2")
                .is(0x00280008, NZ)
                .at(0x00280009, 0x00540080)
                .us(0x00280010, NY)
                .us(0x00280011, NX)
                .ds(0x00280030, DY, DX)
                .us(0x00280100, 16)
                .us(0x00280101, 16)
                .us(0x00280102, 15)
                .us(0x00280103, 0)
                .ds(0x00281052, NM_INTERCEPT)
                .ds(0x00281053, NM_SLOPE)
                .us(0x00540011, 1)
                .seq(0x00540012, new Data().ds(0x00540014, 126).ds(0x00540015, 154))
                .us(0x00540021, 1)
                .seq(0x00540022, detector)
                .us(0x00540080, sliceVector)
                .us(0x00540081, NZ)
                .pixels16(px);
    }

    static int[] slices(boolean reversed) {
        int[] sv = new int[NZ];
        for (int f = 0; f < NZ; f++) {
            sv[f] = reversed ? NZ - f : f + 1;
        }
        return sv;
    }

    /**
     * Every voxel holds the slice its value encodes, and sits where that slice is: affine·(i,j,k) = RAS of
     * IPP + (s−1)·spacing·normal + i·DX·row + j·DY·col.
     */
    static void assertNmVolume(Volume v, double spacing) {
        assertArrayEquals(new int[]{NX, NY, NZ}, v.grid().dims());
        for (int k = 0; k < NZ; k++) {
            for (int j = 0; j < NY; j++) {
                for (int i = 0; i < NX; i++) {
                    double raw = (v.get(i, j, k) - NM_INTERCEPT) / NM_SLOPE;
                    int s = (int) Math.round(raw) / 2048;
                    assertEquals(nmRaw(s, i, j) * NM_SLOPE + NM_INTERCEPT, v.get(i, j, k), 1e-3, "voxel " + i + "," + j + "," + k);
                    if ((i == 0 || i == NX - 1) && (j == 0 || j == NY - 1)) {
                        double[] lps = new double[3];
                        for (int r = 0; r < 3; r++) {
                            lps[r] = NM_IPP[r] + (s - 1) * spacing * NORMAL[r] + i * DX * ROW[r] + j * DY * COL[r];
                        }
                        assertArrayEquals(lpsToRas(lps), v.grid().toMm(i, j, k), 1e-3, "position of voxel " + i + "," + j + "," + k);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Lengths.class)
    void nmSpectGeometryComesFromTheDetectorInformationSequence(Lengths lengths) throws IOException {
        Path f = dir.resolve("spect.dcm");
        Files.write(f, DicomWriter.file(nmSpect(3.0, slices(false)), DicomWriter.NM_IMAGE, DicomWriter.EXPLICIT_LE, lengths, null));
        LoadedImage li = ImageFiles.load(f);
        assertEquals("dicom", li.format());
        assertEquals("uint16", li.datatype());
        assertTrue(li.calibrated());
        assertNull(li.warning(), li.warning());
        Volume v = li.volume();
        assertArrayEquals(new double[]{DX, DY, 3.0}, v.grid().voxelMm(), 1e-6);
        double[] step = {3.0 * NORMAL[0], 3.0 * NORMAL[1], 3.0 * NORMAL[2]};
        assertAffine(rasAffine(ROW, COL, DX, DY, step, NM_IPP), v.grid().affine());
        assertNmVolume(v, 3.0);
    }

    @Test
    void nmSpectImplicitVrReadsTheSame() throws IOException {
        Path f = dir.resolve("spect-implicit.dcm");
        Files.write(f, DicomWriter.file(nmSpect(3.0, slices(false)), DicomWriter.NM_IMAGE, DicomWriter.IMPLICIT_LE, Lengths.UNDEFINED, null));
        Volume v = ImageFiles.load(f).volume();
        double[] step = {3.0 * NORMAL[0], 3.0 * NORMAL[1], 3.0 * NORMAL[2]};
        assertAffine(rasAffine(ROW, COL, DX, DY, step, NM_IPP), v.grid().affine());
        assertNmVolume(v, 3.0);
    }

    /** A negative Spacing Between Slices stacks slices in front of the first one (against row × column). */
    @Test
    void negativeSpacingStacksAgainstTheNormal() throws IOException {
        Path f = dir.resolve("spect-neg.dcm");
        Files.write(f, DicomWriter.file(nmSpect(-3.0, slices(false)), DicomWriter.NM_IMAGE));
        Volume v = ImageFiles.load(f).volume();
        double[] step = {-3.0 * NORMAL[0], -3.0 * NORMAL[1], -3.0 * NORMAL[2]};
        assertAffine(rasAffine(ROW, COL, DX, DY, step, NM_IPP), v.grid().affine());
        assertArrayEquals(new double[]{DX, DY, 3.0}, v.grid().voxelMm(), 1e-6);
        assertNmVolume(v, -3.0);
    }

    /** Frames stored last slice first (Slice Vector 24..1) still land where their slice is. */
    @Test
    void sliceVectorOrdersTheFrames() throws IOException {
        Path f = dir.resolve("spect-rev.dcm");
        Files.write(f, DicomWriter.file(nmSpect(3.0, slices(true)), DicomWriter.NM_IMAGE));
        Volume v = ImageFiles.load(f).volume();
        assertNmVolume(v, 3.0);
        assertArrayEquals(new double[]{DX, DY, 3.0}, v.grid().voxelMm(), 1e-6);
    }

    /** A DICOM whose free 128-byte preamble looks like a TIFF header (or a NIfTI one) is still DICOM. */
    @Test
    void dicmAtOffset128WinsOverATiffLookingPreamble() throws IOException {
        byte[] tiffLike = {'I', 'I', 42, 0, 8, 0, 0, 0};
        Path f = dir.resolve("scan.tif");
        Files.write(f, DicomWriter.file(nmSpect(3.0, slices(false)), DicomWriter.NM_IMAGE, DicomWriter.EXPLICIT_LE, Lengths.DEFINED, tiffLike));
        LoadedImage li = ImageFiles.load(f);
        assertEquals("dicom", li.format());
        assertNmVolume(li.volume(), 3.0);
        byte[] niftiLike = {0x5c, 1, 0, 0}; // sizeof_hdr = 348
        Path g = dir.resolve("scan.nii");
        Files.write(g, DicomWriter.file(nmSpect(3.0, slices(false)), DicomWriter.NM_IMAGE, DicomWriter.EXPLICIT_LE, Lengths.DEFINED, niftiLike));
        assertEquals("dicom", ImageFiles.load(g).format());
    }

    @Test
    void nmProjectionsAndGatedFramesAreRefused() throws IOException {
        Data proj = nmSpect(3.0, slices(false)).text(0x00080008, "CS", "ORIGINAL\\PRIMARY\\TOMO\\EMISSION")
                .at(0x00280009, 0x00540010, 0x00540020, 0x00540050, 0x00540090)
                .us(0x00540010, new int[NZ]).us(0x00540020, new int[NZ]).us(0x00540050, new int[NZ]).us(0x00540090, slices(false));
        Path f = dir.resolve("projections.dcm");
        Files.write(f, DicomWriter.file(proj, DicomWriter.NM_IMAGE));
        assertRefused(f, "Angular View Vector", "projections", "reconstruct");
        int[] gates = new int[NZ];
        for (int k = 0; k < NZ; k++) {
            gates[k] = 1 + k / 12;
        }
        Data gated = nmSpect(3.0, slices(false)).at(0x00280009, 0x00540070, 0x00540080).us(0x00540070, gates);
        Path g = dir.resolve("gated.dcm");
        Files.write(g, DicomWriter.file(gated, DicomWriter.NM_IMAGE));
        assertRefused(g, "Time Slot Vector (2 values)", "one gate");
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void truncatedPixelDataIsRefusedInOneLine() throws IOException {
        byte[] full = DicomWriter.file(nmSpect(3.0, slices(false)), DicomWriter.NM_IMAGE);
        Path f = dir.resolve("cut.dcm");
        Files.write(f, Arrays.copyOf(full, full.length - 1000));
        assertRefused(f, "truncated", "of its " + NX * NY * NZ * 2 + " bytes", "copy or export it again");
        // cut inside the header, inside an element or between two: still one line
        Path g = dir.resolve("cut-header.dcm");
        Files.write(g, Arrays.copyOf(full, 310));
        assertRefused(g, "damaged DICOM file", "ends inside");
        Files.write(g, DicomWriter.file(nmSpect(3.0, slices(false)).without(DicomHeader.PIXEL_DATA), DicomWriter.NM_IMAGE));
        assertRefused(g, "truncated", "before its pixel data");
    }

    @Test
    void compressedTransferSyntaxesAreRefusedWithTheWayOut() throws IOException {
        String[][] cases = {{"1.2.840.10008.1.2.4.90", "JPEG 2000"}, {"1.2.840.10008.1.2.5", "RLE"},
                {"1.2.840.10008.1.2.4.70", "JPEG"}, {"1.2.840.10008.1.2.4.80", "JPEG-LS"}};
        for (String[] c : cases) {
            Data d = nmSpect(3.0, slices(false)).encapsulated(new byte[]{(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51, 1, 2, 3});
            Path f = dir.resolve("compressed-" + c[1].replace(' ', '_') + ".dcm");
            Files.write(f, DicomWriter.file(d, DicomWriter.NM_IMAGE, c[0], Lengths.DEFINED, null));
            DopajException e = assertRefused(f, c[1], c[0], "convert with dcm2niix, or open it with Bio-Formats in Fiji");
            assertFalse(e.getMessage().contains("ImageJ cannot open compressed"), e.getMessage());
        }
        // encapsulated pixels under an uncompressed transfer syntax: refused too, not misread
        Data d = nmSpect(3.0, slices(false)).encapsulated(new byte[]{1, 2, 3, 4});
        Path f = dir.resolve("mislabelled.dcm");
        Files.write(f, DicomWriter.file(d, DicomWriter.NM_IMAGE));
        assertRefused(f, "encapsulated", "dcm2niix");
    }

    // ---------------------------------------------------------------- (b) enhanced multi-frame

    static final int[] ENH_ORDER = {3, 0, 7, 1, 9, 2, 5, 8, 4, 6}; // frame f holds slice ENH_ORDER[f]
    static final double[] ENH_P0 = {-100.5, 40.25, -20.125};
    static final double ENH_STEP = 1.25;

    static double[] enhancedPosition(int slice) {
        return new double[]{ENH_P0[0] + slice * ENH_STEP * NORMAL[0], ENH_P0[1] + slice * ENH_STEP * NORMAL[1],
                ENH_P0[2] + slice * ENH_STEP * NORMAL[2]};
    }

    /** Per-frame intercept: even frames carry their own Pixel Value Transformation, odd ones use the shared one. */
    static double enhancedIntercept(int frame) {
        return frame % 2 == 0 ? -1000 + frame : -1024;
    }

    @ParameterizedTest
    @EnumSource(Lengths.class)
    void enhancedMultiFrameUsesPerFramePlanePositions(Lengths lengths) throws IOException {
        int nx = 16;
        int ny = 12;
        int n = ENH_ORDER.length;
        short[] px = new short[nx * ny * n];
        List<Data> perFrame = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            for (int p = 0; p < nx * ny; p++) {
                px[f * nx * ny + p] = (short) (-500 + 100 * ENH_ORDER[f] + p);
            }
            double[] ipp = enhancedPosition(ENH_ORDER[f]);
            Data item = new Data().seq(0x00209113, new Data().ds(0x00200032, ipp))
                    .seq(0x00209111, new Data().is(0x00209157, 1, ENH_ORDER[f] + 1));
            if (f % 2 == 0) {
                item.seq(0x00289145, new Data().ds(0x00281052, enhancedIntercept(f)).ds(0x00281053, 1).text(0x00281054, "LO", "HU"));
            }
            perFrame.add(item);
        }
        Data shared = new Data()
                .seq(0x00289110, new Data().ds(0x00280030, 0.6, 0.8).ds(0x00180050, ENH_STEP))
                .seq(0x00209116, new Data().ds(0x00200037, IOP))
                .seq(0x00289145, new Data().ds(0x00281052, -1024).ds(0x00281053, 1).text(0x00281054, "LO", "HU"));
        Data d = new Data()
                .text(0x00080008, "CS", "ORIGINAL\\PRIMARY\\AXIAL")
                .text(0x00080060, "CS", "CT")
                .us(0x00280002, 1)
                .text(0x00280004, "CS", "MONOCHROME2")
                .is(0x00280008, n)
                .at(0x00280009, 0x52009230)
                .us(0x00280010, ny)
                .us(0x00280011, nx)
                .us(0x00280100, 16)
                .us(0x00280101, 16)
                .us(0x00280102, 15)
                .us(0x00280103, 1)
                .seq(0x52009229, shared)
                .seq(0x52009230, DicomWriter.items(perFrame))
                .pixels16(px);
        Path f = dir.resolve("enhanced.dcm");
        Files.write(f, DicomWriter.file(d, DicomWriter.ENHANCED_CT, DicomWriter.EXPLICIT_LE, lengths, null));
        LoadedImage li = ImageFiles.load(f);
        assertEquals("int16", li.datatype());
        assertNull(li.warning(), li.warning());
        Volume v = li.volume();
        assertArrayEquals(new int[]{nx, ny, n}, v.grid().dims());
        assertArrayEquals(new double[]{0.8, 0.6, ENH_STEP}, v.grid().voxelMm(), 1e-6);
        // frames are shuffled: the volume is sorted along the normal, slice 0 first
        double[] step = {ENH_STEP * NORMAL[0], ENH_STEP * NORMAL[1], ENH_STEP * NORMAL[2]};
        assertAffine(rasAffine(ROW, COL, 0.8, 0.6, step, DicomWriter.dsValues(ENH_P0)), v.grid().affine());
        for (int k = 0; k < n; k++) {
            int frame = 0;
            while (ENH_ORDER[frame] != k) {
                frame++;
            }
            for (int p = 0; p < nx * ny; p += 7) {
                double expected = (-500 + 100 * k + p) + enhancedIntercept(frame);
                assertEquals(expected, v.get(p % nx, p / nx, k), 1e-3, "slice " + k + " pixel " + p);
            }
        }
    }

    // ---------------------------------------------------------------- RT Dose-style Grid Frame Offset Vector

    @Test
    void gridFrameOffsetVectorGivesTheSliceStep() throws IOException {
        int nx = 8;
        int ny = 6;
        int n = 5;
        double[] ipp = {12.5, -30.5, -40};
        for (boolean absolute : new boolean[]{false, true}) {
            int[] px = new int[nx * ny * n];
            for (int i = 0; i < px.length; i++) {
                px[i] = 100000 + 37 * i;
            }
            double[] offsets = new double[n];
            for (int k = 0; k < n; k++) {
                offsets[k] = (absolute ? ipp[2] : 0) + 2.5 * k; // absolute form: z positions (axial only)
            }
            Data d = new Data()
                    .text(0x00080060, "CS", "RTDOSE")
                    .ds(0x00200032, ipp)
                    .ds(0x00200037, 1, 0, 0, 0, 1, 0)
                    .us(0x00280002, 1)
                    .text(0x00280004, "CS", "MONOCHROME2")
                    .is(0x00280008, n)
                    .at(0x00280009, 0x3004000C)
                    .us(0x00280010, ny)
                    .us(0x00280011, nx)
                    .ds(0x00280030, 4, 3)
                    .us(0x00280100, 32)
                    .us(0x00280101, 32)
                    .us(0x00280102, 31)
                    .us(0x00280103, 0)
                    .ds(0x3004000C, offsets)
                    .ds(0x3004000E, 0.001)
                    .pixels32(px);
            Path f = dir.resolve("dose" + absolute + ".dcm");
            Files.write(f, DicomWriter.file(d, DicomWriter.RT_DOSE));
            LoadedImage li = ImageFiles.load(f);
            assertEquals("uint32", li.datatype());
            Volume v = li.volume();
            assertAffine(rasAffine(new double[]{1, 0, 0}, new double[]{0, 1, 0}, 3, 4, new double[]{0, 0, 2.5}, ipp), v.grid().affine());
            assertEquals((100000 + 37 * (2 * nx * ny + 3 * nx + 5)) * 0.001, v.get(5, 3, 2), 1e-3);
        }
    }

    // ---------------------------------------------------------------- (c) a folder of single slices out of order

    static Data slice(int instance, double[] ipp, short[] px, double slope, String seriesUid) {
        return new Data()
                .text(0x00080060, "CS", "NM")
                .text(0x0020000E, "UI", seriesUid)
                .ds(0x00180050, 4)
                .is(0x00200013, instance)
                .ds(0x00200032, ipp)
                .ds(0x00200037, IOP)
                .us(0x00280002, 1)
                .text(0x00280004, "CS", "MONOCHROME2")
                .us(0x00280010, 5)
                .us(0x00280011, 7)
                .ds(0x00280030, 2, 1.5)
                .us(0x00280100, 16)
                .us(0x00280101, 16)
                .us(0x00280102, 15)
                .us(0x00280103, 0)
                .ds(0x00281053, slope)
                .pixels16(px);
    }

    static final double[] FOLDER_P0 = {30, -12.5, 7};

    /** Six slices 4 mm apart: file names and instance numbers in an order unrelated to their positions. */
    Path sliceFolder(String name) throws IOException {
        Path series = dir.resolve(name);
        Files.createDirectories(series);
        int[] fileOf = {4, 1, 5, 0, 3, 2};      // slice s is written as file "IM" + fileOf[s]
        int[] instanceOf = {2, 6, 1, 5, 3, 4};  // and carries this instance number
        for (int s = 0; s < 6; s++) {
            short[] px = new short[35];
            for (int p = 0; p < 35; p++) {
                px[p] = (short) (100 * s + p);
            }
            double[] ipp = {FOLDER_P0[0] + 4 * s * NORMAL[0], FOLDER_P0[1] + 4 * s * NORMAL[1], FOLDER_P0[2] + 4 * s * NORMAL[2]};
            Files.write(series.resolve("IM" + fileOf[s]), DicomWriter.file(slice(instanceOf[s], ipp, px, 1 + s, "1.2.3.9"), DicomWriter.NM_IMAGE));
        }
        Files.writeString(series.resolve("notes.txt"), "not an image");
        // a DICOM file without pixel data (like a DICOMDIR) is skipped
        Files.write(series.resolve("DICOMDIR"), DicomWriter.file(new Data().text(0x00041130, "CS", "DOPAJ"), "1.2.840.10008.1.3.10"));
        return series;
    }

    @Test
    void folderOfSlicesIsOrderedAlongTheNormal() throws IOException {
        Path series = sliceFolder("series");
        LoadedImage li = ImageFiles.load(series);
        assertEquals("dicom-series", li.format());
        assertNull(li.warning(), li.warning());
        Volume v = li.volume();
        assertArrayEquals(new int[]{7, 5, 6}, v.grid().dims());
        double[] step = {4 * NORMAL[0], 4 * NORMAL[1], 4 * NORMAL[2]};
        double[] p0 = DicomWriter.dsValues(FOLDER_P0[0], FOLDER_P0[1], FOLDER_P0[2]);
        assertAffine(rasAffine(ROW, COL, 1.5, 2, step, p0), v.grid().affine());
        for (int s = 0; s < 6; s++) {
            for (int p = 0; p < 35; p++) {
                assertEquals((100 * s + p) * (1 + s), v.get(p % 7, p / 7, s), 1e-3, "slice " + s + " pixel " + p);
            }
        }
    }

    @Test
    void folderWithABrokenSliceOrTwoSeriesIsRefused() throws IOException {
        Path series = sliceFolder("broken");
        byte[] b = Files.readAllBytes(series.resolve("IM3"));
        Files.write(series.resolve("IM3"), Arrays.copyOf(b, b.length - 20));
        assertRefused(series.resolve("IM3"), "truncated");
        DopajException e = assertThrows(DopajException.class, () -> ImageFiles.load(series));
        assertTrue(e.getMessage().contains("IM3") && e.getMessage().contains("truncated") && !e.getMessage().contains("\n"), e.getMessage());

        Path two = sliceFolder("two");
        short[] px = new short[35];
        Files.write(two.resolve("other"), DicomWriter.file(slice(1, new double[]{0, 0, 0}, px, 1, "1.2.3.10"), DicomWriter.NM_IMAGE));
        e = assertThrows(DopajException.class, () -> ImageFiles.load(two));
        assertTrue(e.getMessage().contains("2 DICOM series") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void headerParserKeepsNesting() throws IOException {
        for (Lengths l : Lengths.values()) {
            Path f = dir.resolve("nest-" + l + ".dcm");
            Files.write(f, DicomWriter.file(nmSpect(3.0, slices(false)), DicomWriter.NM_IMAGE, DicomWriter.EXPLICIT_LE, l, null));
            DicomHeader h = DicomHeader.read(f);
            assertFalse(h.dataset.has(0x00200032), "position only inside the detector sequence (" + l + ")");
            assertArrayEquals(DicomWriter.dsValues(NM_IPP), h.dataset.item(0x00540022).numbers(0x00200032), 1e-12);
            assertEquals(154, h.dataset.item(0x00540012).number(0x00540015, 0), l.toString());
            assertArrayEquals(new int[]{0x00540080}, h.dataset.tags(0x00280009));
            assertEquals(NX * NY * NZ * 2, h.pixelLength);
            assertEquals("OW", new String(Files.readAllBytes(f), (int) h.pixelOffset - 8, 2, StandardCharsets.ISO_8859_1));
        }
    }
}
