package org.dopaj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DopaJ's DICOM geometry against the reference converter: every DICOM test file of Debian's python3-pydicom that
 * DopaJ (ImageJ) decodes, and DopaJ's synthetic oblique NM SPECT (Detector Information Sequence) and out-of-order
 * oblique series folder, converted by Debian's {@code dcm2niix}: each voxel lands at the same RAS position (within
 * 1e-3 mm; dcm2niix flips the rows, so positions are matched, not indices) and holds the same value. Skipped when
 * dcm2niix or the pydicom files are absent ({@code .ci/run} installs both).
 *
 * <p>Where DopaJ follows the standard and dcm2niix 1.0.20220720 does not, the difference is asserted exactly: for RT
 * Dose files dcm2niix ignores the Dose Grid Scaling (its values are the stored integers, DopaJ's are dose, as
 * pydicom) and the Grid Frame Offset Vector (its slices are 1 mm apart, DopaJ's 5 mm as the vector says); slice 0
 * lands at the same place.
 */
class DicomDcm2niixTest {
    static final String PYDICOM = DicomRealFilesTest.DIR;
    /** RT Dose files (badVR is an rtdose copy with one damaged VR), DoseGridScaling 1e-6. */
    static final Set<String> RT_DOSE = Set.of("rtdose.dcm", "rtdose_1frame.dcm", "rtdose_expb.dcm",
            "rtdose_expb_1frame.dcm", "badVR.dcm");
    static final double TOL_MM = 1e-3;

    @TempDir
    Path tmp;

    static Path dcm2niix() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "dcm2niix");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** dcm2niix's NIfTI of {@code input} (a file with -s y, or a folder). */
    Path convert(Path input, String name) throws IOException, InterruptedException {
        Path tool = dcm2niix();
        Path out = Files.createDirectories(tmp.resolve("d2n-" + name));
        List<String> cmd = new ArrayList<>(List.of(tool.toString(), "-z", "n", "-b", "n", "-v", "0", "-f", "out", "-o",
                out.toString()));
        if (!Files.isDirectory(input)) {
            cmd.addAll(List.of("-s", "y"));
        }
        cmd.add(input.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile())
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "dcm2niix finished");
        try (Stream<Path> s = Files.list(out)) {
            List<Path> nii = s.filter(f -> f.toString().endsWith(".nii")).toList();
            assertEquals(1, nii.size(), name + ": one NIfTI from dcm2niix: " + nii + "\n"
                    + Files.readString(tmp.resolve(name + ".log")));
            return nii.get(0);
        }
    }

    /** What a comparison found: the largest position and value differences over the voxels compared. */
    record Match(double maxMm, double maxValueDiff, long voxels) {
    }

    /**
     * Each voxel (i, j, k ≤ {@code lastSlice}) of {@code ours} mapped into {@code theirs} through both affines: it must
     * land on a voxel centre of theirs (within {@link #TOL_MM}); values are compared as {@code ours = theirs × scale}.
     */
    static Match match(Volume ours, Volume theirs, int lastSlice, double scale, String what) {
        Grid g = ours.grid();
        Grid t = theirs.grid();
        double maxMm = 0;
        double maxDiff = 0;
        long n = 0;
        for (int k = 0; k <= lastSlice; k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    double[] p = g.toMm(i, j, k);
                    double[] q = t.toVoxel(p[0], p[1], p[2]);
                    int qi = (int) Math.round(q[0]);
                    int qj = (int) Math.round(q[1]);
                    int qk = (int) Math.round(q[2]);
                    assertTrue(qi >= 0 && qj >= 0 && qk >= 0 && qi < t.nx() && qj < t.ny() && qk < t.nz(),
                            what + ": voxel " + i + "," + j + "," + k + " lies outside dcm2niix's volume");
                    double[] r = t.toMm(qi, qj, qk);
                    maxMm = Math.max(maxMm, Math.hypot(Math.hypot(r[0] - p[0], r[1] - p[1]), r[2] - p[2]));
                    double a = ours.get(i, j, k);
                    double b = theirs.get(qi, qj, qk) * scale;
                    maxDiff = Math.max(maxDiff, Math.abs(a - b) / Math.max(1, Math.abs(a)));
                    n++;
                }
            }
        }
        assertTrue(maxMm <= TOL_MM, what + ": a voxel lands " + maxMm + " mm from dcm2niix's");
        assertTrue(maxDiff <= 1e-5, what + ": values differ (relative " + maxDiff + ")");
        return new Match(maxMm, maxDiff, n);
    }

    @Test
    void everyPydicomFileDopajReadsMatchesDcm2niix() throws Exception {
        assumeTrue(dcm2niix() != null, "dcm2niix not on PATH (apt-get install dcm2niix to run this test)");
        Path dir = Path.of(PYDICOM);
        assumeTrue(Files.isDirectory(dir), dir + " absent (apt-get install python3-pydicom to run this test)");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(".dcm")).sorted().toList();
        }
        List<String> compared = new ArrayList<>();
        for (Path f : files) {
            LoadedImage li;
            try {
                li = ImageFiles.load(f);
            } catch (DopajException e) {
                continue; // refused in one line (compressed, colour, no pixels...): DicomRealFilesTest covers those
            }
            String name = f.getFileName().toString();
            Volume ours = li.volume();
            Volume theirs = ImageFiles.read(convert(f, name));
            assertArrayEquals(ours.grid().dims(), theirs.grid().dims(), name + ": dims");
            Match m;
            if (RT_DOSE.contains(name)) {
                // dcm2niix: stored values (no Dose Grid Scaling), slices 1 mm apart (no Grid Frame Offset Vector)
                m = match(ours, theirs, 0, 1e-6, name);
                if (ours.nz() > 1) {
                    assertEquals(5.0, ours.grid().voxelMm()[2], 1e-9, name + ": DopaJ's step from the offset vector");
                    assertEquals(1.0, theirs.grid().voxelMm()[2], 1e-6, name + ": dcm2niix's step");
                }
            } else {
                m = match(ours, theirs, ours.nz() - 1, 1, name);
            }
            compared.add(String.format(java.util.Locale.ROOT, "%s %.1e mm (%d voxels)", name, m.maxMm(), m.voxels()));
        }
        // the files ImageJ decodes today: MR_small in 5 encodings, CT_small, and the RT Dose family
        assertTrue(compared.size() >= 11, "compared " + compared);
    }

    @Test
    void obliqueNmSpectAndAnOutOfOrderSeriesFolderMatchDcm2niix() throws Exception {
        assumeTrue(dcm2niix() != null, "dcm2niix not on PATH (apt-get install dcm2niix to run this test)");
        // NM SPECT, geometry only in the Detector Information Sequence, positive Spacing Between Slices; dcm2niix
        // ignores a negative spacing's sign and the Slice Vector (DicomMultiFrameTest checks those against the tags)
        Path nm = tmp.resolve("spect.dcm");
        Files.write(nm, DicomWriter.file(DicomMultiFrameTest.nmSpect(3.0, DicomMultiFrameTest.slices(false)),
                DicomWriter.NM_IMAGE, DicomWriter.EXPLICIT_LE, DicomWriter.Lengths.DEFINED, null));
        Volume ours = ImageFiles.read(nm);
        Volume theirs = ImageFiles.read(convert(nm, "spect"));
        match(ours, theirs, ours.nz() - 1, 1, "NM SPECT");

        // six oblique slices, file names and instance numbers unrelated to their positions
        Path series = Files.createDirectories(tmp.resolve("series"));
        int[] fileOf = {4, 1, 5, 0, 3, 2};
        int[] instanceOf = {2, 6, 1, 5, 3, 4};
        double[] n = DicomMultiFrameTest.NORMAL;
        double[] p0 = DicomMultiFrameTest.FOLDER_P0;
        for (int s = 0; s < 6; s++) {
            short[] px = new short[35];
            for (int p = 0; p < 35; p++) {
                px[p] = (short) (100 * s + p);
            }
            double[] ipp = {p0[0] + 4 * s * n[0], p0[1] + 4 * s * n[1], p0[2] + 4 * s * n[2]};
            Files.write(series.resolve("IM" + fileOf[s]), DicomWriter.file(DicomMultiFrameTest.slice(instanceOf[s], ipp,
                    px, 1, "1.2.3.9"), DicomWriter.NM_IMAGE));
        }
        ours = ImageFiles.read(series);
        theirs = ImageFiles.read(convert(series, "series"));
        match(ours, theirs, ours.nz() - 1, 1, "series folder");
    }
}
