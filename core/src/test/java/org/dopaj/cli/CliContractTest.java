package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiHeader;
import org.dopaj.io.NiftiImage;
import org.dopaj.phantom.HeadPhantom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line contract of docs/cli.md, across commands: a missing option value is not filled with the next
 * option, usage goes where it is asked for, every error is one stderr line (engine chatter included, in a real
 * process too), outputs are checked before an engine starts, absurd geometry, constant/empty images and uncalibrated
 * DaT-SPECT are refused by every analysis naming the real cause, and a huge DaT-SPECT file is refused from its
 * header without reading its voxels.
 */
class CliContractTest {
    @TempDir
    static Path dir;
    static Path head;
    static Path spect;

    @BeforeAll
    static void inputs() {
        head = dir.resolve("head.nii.gz");
        CliRun.of("phantom", "head", head).ok();
        spect = dir.resolve("spect.nii.gz");
        CliRun.of("phantom", "spect", spect, "--stage", 2, "--seed", 3).ok();
    }

    /** Counts the records that DopaJ's engine logger publishes (device choice: the engine was used). */
    static final class EngineRecords extends Handler implements AutoCloseable {
        final Logger logger = Logger.getLogger("org.dopaj.dl.runtime");
        final List<LogRecord> records = new ArrayList<>();

        EngineRecords() {
            logger.addHandler(this);
        }

        @Override
        public synchronized void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    @Test
    void aMissingOptionValueDoesNotSwallowTheNextOption() {
        Path out = dir.resolve("crops-never");
        CliRun.of("nigrosome-crop", head, "--left", "40,50,40", "--right", "50,50,40", "-o", "--json")
                .failure("option -o needs a value");
        assertFalse(Files.exists(Path.of("--json")), "no folder named --json");
        CliRun.of("spect-sbr", spect, "--qc", "--json").failure("option --qc needs a value");
        CliRun.of("nigrosome-crop", head, "--left", "--right", "50,50,40", "-o", out).failure("--left needs a value");
        // values that start with '-' and are numbers (or lists of them) are still values
        Args a = Args.parse(List.of("--shift", "-1,-2,0.5", "--scale", "-3", "--x=-y"), Set.of("shift", "scale", "x"),
                Set.of("json"));
        assertEquals("-1,-2,0.5", a.option("shift"));
        assertEquals(-3, a.number("scale", 0));
        assertEquals("-y", a.option("x"));
        assertThrows(DopajException.class, () -> Args.parse(List.of("--shift", "--json"), Set.of("shift"), Set.of("json")));
    }

    @Test
    void usageGoesToStderrForABareDopajAndToStdoutWhenAskedFor() {
        CliRun bare = CliRun.of();
        assertEquals(2, bare.code());
        assertEquals("", bare.out(), "a bare dopaj is a mistake: nothing on stdout");
        assertTrue(bare.err().startsWith("usage: dopaj <command>"), bare.err());
        CliRun help = CliRun.of("--help");
        assertEquals(0, help.code());
        assertEquals("", help.err());
        assertTrue(help.out().startsWith("usage: dopaj <command>"), help.out());
        for (CliCommand c : Main.commands()) {
            for (String h : new String[]{"--help", "-h"}) {
                CliRun r = CliRun.of(c.name(), h);
                assertEquals(0, r.code(), c.name() + " " + h + ": " + r.err());
                assertEquals("", r.err(), c.name());
                assertTrue(r.out().startsWith("usage: dopaj " + c.name()), r.out());
            }
        }
    }

    @Test
    void anErrorAfterTheEngineStartedIsOneLineAndNoLogRecordReachesTheConsole() {
        List<LogRecord> escaped = new ArrayList<>();
        Handler console = new Handler() {
            @Override
            public synchronized void publish(LogRecord r) {
                if (r.getLoggerName() != null && r.getLoggerName().startsWith("org.dopaj")) {
                    escaped.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(console);
        try (EngineRecords engine = new EngineRecords()) {
            // the brain-mask network refuses a classifier's package only once the engine is up
            CliRun.of("brain-mask", head, "-o", dir.resolve("bm-wrong-model"), "--model", "spect-dat-cnn")
                    .failure("spect-dat-cnn", "rank 4 instead of 5");
            assertFalse(engine.records.isEmpty(), "the engine did start (the error comes after it)");
        } finally {
            root.removeHandler(console);
        }
        assertTrue(escaped.isEmpty(), "records reached the console: " + escaped.stream().map(LogRecord::getMessage).toList());
    }

    /** A real {@code dopaj} process (bundled models, no TF_CPP_MIN_LOG_LEVEL in its environment): exit, out, err. */
    static CliRun process(String name, String... args) throws Exception {
        Path models = Path.of("models").toAbsolutePath();
        assumeTrue(Files.isDirectory(models.resolve("spect-dat-cnn")), "bundled models not found from " + Path.of("")
                .toAbsolutePath());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Ddopaj.models=" + models, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
        File stdout = dir.resolve(name + ".out").toFile();
        File stderr = dir.resolve(name + ".err").toFile();
        pb.redirectOutput(stdout).redirectError(stderr);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        return new CliRun(p.exitValue(), Files.readString(stdout.toPath(), StandardCharsets.UTF_8),
                Files.readString(stderr.toPath(), StandardCharsets.UTF_8));
    }

    /**
     * Real processes whose error comes from an engine: TensorFlow's native start-up lines and DopaJ's log lines
     * (after the engine started), ImageJ's headless error text on stdout (a damaged TIFF) would surround the reason.
     */
    @Test
    void aRealProcessPrintsOnlyTheReasonWhenAnEngineFails() throws Exception {
        CliRun r = process("tf", "brain-mask", head.toString(), "-o", dir.resolve("bm-process").toString(), "--model",
                "spect-dat-cnn");
        assertTrue(r.failure("rank 4 instead of 5").startsWith("dopaj brain-mask: "), r.err());
        // a TIFF header whose first image has no width or height
        Path tif = Files.write(dir.resolve("damaged.tif"), new byte[]{'I', 'I', 42, 0, 8, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        process("ij", "info", tif.toString(), "--json").failure("damaged.tif", "cannot read this TIFF");
    }

    @Test
    void brainMaskChecksItsOutputsAndOptionsBeforeTheEngineStarts() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        try (EngineRecords engine = new EngineRecords()) {
            CliRun.of("brain-mask", head, "-o", file).failure("a-file", "must name a folder");
            assertEquals("not a folder", Files.readString(file), "the file is left alone");
            CliRun.of("brain-mask", head, "-o", dir.resolve("bm"), "--intervals", 1, "--pseudocolour")
                    .failure("--intervals", "2..255");
            CliRun.of("brain-mask", head, "-o", dir.resolve("bm"), "--border", 50).failure("--border");
            CliRun.of("brain-mask", head, "-o", dir.resolve("bm"), "--closing", -1).failure("--closing");
            if (Files.isDirectory(Path.of("/proc"))) {
                // no file can be created in /proc, whoever runs the test (root included)
                CliRun.of("brain-mask", head, "-o", "/proc/dopaj-never").failure("/proc", "cannot write");
            }
            assertEquals(List.of(), engine.records.stream().map(LogRecord::getMessage).toList(), "engine untouched");
        }
        assertFalse(Files.exists(dir.resolve("bm")), "nothing created for a refused run");
    }

    @Test
    void brainMaskNeverOverwritesWithoutForce() throws Exception {
        Path out = Files.createDirectory(dir.resolve("bm-force"));
        Path mask = out.resolve("head_brainmask.nii.gz");
        Files.write(mask, new byte[]{1, 2, 3});
        try (EngineRecords engine = new EngineRecords()) {
            CliRun.of("brain-mask", head, "-o", out).failure(mask.toString(), "exists", "--force");
            assertEquals(List.of(), engine.records.stream().map(LogRecord::getMessage).toList(), "engine untouched");
        }
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(mask), "an existing output is left alone");
        assertFalse(Files.exists(out.resolve("head_brain.nii.gz")), "nothing half-written");
        CliRun.of("brain-mask", head, "-o", out, "--force", "--json").json();
        assertEquals("uint8", Nifti.read(mask).datatypeName(), "replaced with --force");
    }

    /**
     * pydicom's MR_small with a preamble that reads as a NIfTI sizeof_hdr (348) and a .nii name: "DICM" at byte 128
     * decides, in info and convert as in the reader.
     */
    @Test
    void aDicomFileIsDicomWhateverItsPreambleAndName() throws Exception {
        Path src = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm");
        assumeTrue(Files.isReadable(src), src + " absent (apt-get install python3-pydicom)");
        byte[] b = Files.readAllBytes(src);
        b[0] = 0x5c;
        b[1] = 1;
        b[2] = 0;
        b[3] = 0;
        Path f = Files.write(dir.resolve("mr-preamble.nii"), b);
        assertEquals("dicom", CliRun.of("info", f, "--json").json().get("format").getAsString());
        Path out = dir.resolve("mr-from-dicom.nii.gz");
        CliRun.of("convert", f, out, "--json").json();
        assertEquals(905, Nifti.readVolume(out).get(0, 0, 0), "pydicom's first pixel");
    }

    /** A TIFF without calibration and with a NaN voxel, converted to int16: one line, the refusal, no warning first. */
    @Test
    void aRefusedConversionPrintsOnlyItsReason() {
        ImageStack st = new ImageStack(8, 8);
        for (int z = 0; z < 3; z++) {
            FloatProcessor fp = new FloatProcessor(8, 8);
            fp.setValue(z + 1);
            fp.fill();
            st.addSlice(fp);
        }
        st.getProcessor(2).putPixelValue(3, 3, Float.NaN);
        Path tif = dir.resolve("nan-uncalibrated.tif");
        new FileSaver(new ImagePlus("n", st)).saveAsTiffStack(tif.toString());
        CliRun.of("convert", tif, dir.resolve("never.nii"), "--datatype", "int16").failure("non-finite");
        assertFalse(Files.exists(dir.resolve("never.nii")));
    }

    /** A NIfTI file without sform or qform whose pixdim says 1e30 mm: nibabel's base affine scales by pixdim. */
    static Path absurdGeometry(Path src, String name) {
        NiftiImage img = Nifti.read(src);
        NiftiHeader h = img.header().copy();
        h.sformCode = 0;
        h.qformCode = 0;
        h.pixdim[1] = 1e30;
        h.pixdim[2] = 1e30;
        h.pixdim[3] = 1e30;
        Path f = dir.resolve(name);
        Nifti.write(new NiftiImage(h, img.data()), f);
        return f;
    }

    @Test
    void absurdGeometryIsRefusedByEveryAnalysis() {
        Path s = absurdGeometry(spect, "absurd-spect.nii");
        Path m = absurdGeometry(head, "absurd-head.nii");
        CliRun.of("spect-sbr", s, "--json").failure("absurd-spect.nii", "no usable geometry");
        CliRun.of("spect-classify", s, "--json").failure("absurd-spect.nii", "no usable geometry");
        CliRun.of("brain-mask", m, "-o", dir.resolve("bm-absurd")).failure("absurd-head.nii", "no usable geometry");
        Path crops = dir.resolve("crops-absurd");
        CliRun.of("nigrosome-crop", m, "--left", "40,50,40", "--right", "50,50,40", "-o", crops)
                .failure("absurd-head.nii", "no usable geometry");
        CliRun.of("nigrosome-sbr", m, "--left", "40,50,40", "--right", "50,50,40").failure("absurd-head.nii",
                "no usable geometry");
        assertFalse(Files.exists(crops) || Files.exists(dir.resolve("bm-absurd")), "nothing written");
    }

    @Test
    void constantImagesAreRefusedByEveryAnalysisAsConstant() {
        Volume c = Volume.allocate(Grid.of(91, 109, 91, 2, 2, 2));
        for (float[] p : c.planes()) {
            java.util.Arrays.fill(p, 5f);
        }
        Path f = dir.resolve("flat5.nii.gz"); // a name without the word the messages must contain
        Nifti.write(c, f, null);
        CliRun.of("spect-sbr", f).failure("flat5.nii.gz", "constant");
        CliRun.of("spect-classify", f).failure("flat5.nii.gz", "constant");
        CliRun.of("brain-mask", f, "-o", dir.resolve("bm-constant")).failure("flat5.nii.gz", "constant");
        CliRun.of("nigrosome-crop", f, "--left", "40,50,40", "--right", "50,50,40", "-o", dir.resolve("crops-constant"))
                .failure("flat5.nii.gz", "constant");
        CliRun.of("nigrosome-sbr", f, "--left", "40,50,40", "--right", "50,50,40").failure("flat5.nii.gz", "constant");
        assertFalse(Files.exists(dir.resolve("bm-constant")) || Files.exists(dir.resolve("crops-constant")));
    }

    @Test
    void constantPatchesAreRefusedBeforeTheEngineStarts() {
        float[] five = new float[50 * 50 * 20];
        java.util.Arrays.fill(five, 5f);
        Path npy = dir.resolve("flat5-patch.npy");
        org.dopaj.dl.model.Npy.write(npy, org.dopaj.dl.model.Tensor.of(five, 50, 50, 20));
        Volume v = Volume.allocate(Grid.of(50, 50, 20, 0.5, 0.5, 1));
        Path zero = dir.resolve("zero-patch.nii");
        Nifti.write(v, zero, null);
        try (EngineRecords engine = new EngineRecords()) {
            CliRun.of("nigrosome-sbr", "--left-patch", npy, "--right-patch", npy).failure("flat5-patch.npy", "constant");
            CliRun.of("nigrosome-sbr", "--left-patch", zero, "--right-patch", npy).failure("zero-patch.nii", "empty");
            assertEquals(List.of(), engine.records.stream().map(LogRecord::getMessage).toList(), "engine untouched");
        }
    }

    @Test
    void uncalibratedSpectNamesTheMissingCalibration() {
        Volume v = Nifti.readVolume(spect);
        ImageStack st = new ImageStack(v.nx(), v.ny());
        for (int z = 0; z < v.nz(); z++) {
            st.addSlice(new FloatProcessor(v.nx(), v.ny(), v.plane(z).clone()));
        }
        Path tif = dir.resolve("uncalibrated.tif");
        new FileSaver(new ImagePlus("u", st)).saveAsTiffStack(tif.toString());
        String line = CliRun.of("spect-sbr", tif, "--json").failure("uncalibrated.tif", "no voxel size in mm");
        assertFalse(line.contains("reference"), "the cause is the calibration, not a VOI: " + line);
        CliRun.of("spect-classify", tif, "--json").failure("uncalibrated.tif", "no voxel size in mm");
    }

    /**
     * A DaT-SPECT input larger than any reconstruction (257×256×256 voxels of uint8, an MRI-sized file) is refused
     * from its header: the thread allocates far less than the 67 MB its float voxels would take.
     */
    @Test
    void aHugeSpectFileIsRefusedBeforeItsVoxelsAreRead() {
        NiftiHeader h = CliRun.header(NiftiDatatype.UINT8, CliRun.diag(0.8, 0.8, 0.8, -100, -100, -100), 257, 256, 256);
        Path f = dir.resolve("huge.nii.gz");
        byte[] data = new byte[257 * 256 * 256];
        for (int i = 0; i < data.length; i += 7) {
            data[i] = (byte) (i % 251);
        }
        Nifti.write(new NiftiImage(h, data), f);
        data = null;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        CliRun.of("spect-sbr", f).failure("huge.nii.gz", "16,842,752 voxels", "more than a DaT-SPECT reconstruction");
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 16L << 20, "allocated " + (allocated >> 20) + " MB to refuse it");
        CliRun.of("spect-classify", f).failure("huge.nii.gz", "more than a DaT-SPECT reconstruction");
    }
}
