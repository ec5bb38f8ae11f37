package org.dopaj.io;

import ij.ImagePlus;
import ij.Prefs;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.measure.Calibration;
import ij.plugin.DICOM;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.dopaj.io.DicomHeader.Dataset;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * One entry point to read and write the image files DopaJ meets, without any UI. Reading dispatches on the
 * content (and the name where content is ambiguous): NIfTI-1/2 (.nii, .nii.gz, .hdr/.img) through {@link Nifti};
 * Interfile 3.3 reconstructed volumes (a header starting with {@code !INTERFILE}) through {@link Interfile};
 * TIFF and DICOM (a single file, single- or multi-frame, or a folder of slices) through ImageJ 1's own readers;
 * anything else through Bio-Formats when Fiji provides it at run time (found by reflection, never a build
 * dependency), else a clear "unsupported format" error. DICOM headers are read by {@link DicomHeader} (ImageJ
 * flattens sequences, where multi-frame geometry lives) and their geometry, from the patient LPS system, is
 * converted to NIfTI's RAS by {@link DicomGeometry}.
 * Writing: .nii, .nii.gz (float32) and .tif/.tiff (32-bit stack with mm calibration and the affine property),
 * always atomically.
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /** The float volume of an image file (see {@link #load}). */
    public static Volume read(Path file) {
        return load(file).volume();
    }

    /** Reads an image file or a DICOM folder; every problem is one {@link DopajException} line naming the file. */
    public static LoadedImage load(Path file) {
        if (Files.isDirectory(file)) {
            return loadDicomFolder(file);
        }
        if (!Files.exists(file)) {
            throw new DopajException(file + ": file not found");
        }
        if (!Files.isReadable(file)) {
            throw new DopajException(file + ": file is not readable (permission denied)");
        }
        byte[] head = head(file, 132);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (DicomHeader.hasMagic(head)) {
            // first: a DICOM preamble is free bytes and may look like TIFF, gzip or a NIfTI header
            return loadDicomFile(file);
        }
        if (Interfile.hasMagic(head)) {
            // before NIfTI: an Interfile header is often named .hdr, like the header of a NIfTI/ANALYZE pair
            return Interfile.load(file);
        }
        Path interfileHeader = isGzip(head) ? null : Interfile.headerBeside(file);
        if (interfileHeader != null) {
            // the raw data file of an Interfile pair was given: read it through its header
            return Interfile.load(interfileHeader);
        }
        if (isGzip(head) || (head.length >= 4 && NiftiHeader.detectOrder(head) != null) || Nifti.isNiftiName(file)) {
            NiftiImage img = Nifti.read(file);
            Volume v;
            try {
                v = img.toVolume();
            } catch (DopajException e) {
                throw new DopajException(file + ": " + e.getMessage(), e);
            }
            String warning = img.header().affineSource().equals("base")
                    ? "no sform or qform in the header: orientation assumed (LAS, centred) as nibabel does" : null;
            return new LoadedImage(v, "nifti" + img.header().version, img.datatypeName(), img, true, warning);
        }
        if (isTiff(head) || name.endsWith(".tif") || name.endsWith(".tiff")) {
            return fromImagePlus(openWithImageJ(file, "TIFF"), file, "tiff");
        }
        if (name.endsWith(".dcm")) {
            return loadDicomFile(file);
        }
        ImagePlus bf = openWithBioFormats(file);
        if (bf != null) {
            return fromImagePlus(bf, file, "bioformats");
        }
        throw new DopajException(file + ": unsupported format (DopaJ reads NIfTI, Interfile, TIFF and DICOM; other formats need "
                + "Bio-Formats, which is not installed here)");
    }

    private static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new DopajException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isGzip(byte[] h) {
        return h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b;
    }

    private static boolean isTiff(byte[] h) {
        return h.length >= 4 && ((h[0] == 'I' && h[1] == 'I' && h[2] == 42 && h[3] == 0)
                || (h[0] == 'M' && h[1] == 'M' && h[2] == 0 && h[3] == 42));
    }

    private static ImagePlus openWithImageJ(Path file, String what) {
        ImagePlus imp;
        try {
            imp = new Opener().openImage(file.toAbsolutePath().toString());
        } catch (RuntimeException e) {
            throw new DopajException(file + ": ImageJ cannot read this " + what + " file (" + e.getMessage() + ")", e);
        }
        if (imp == null || imp.getStackSize() == 0) {
            throw new DopajException(file + ": ImageJ cannot read this " + what + " file (damaged or an unsupported variant)");
        }
        return imp;
    }

    /** Bio-Formats' {@code loci.plugins.BF.openImagePlus(String)} by reflection; null when Bio-Formats is absent. */
    private static ImagePlus openWithBioFormats(Path file) {
        Class<?> bf;
        try {
            bf = Class.forName("loci.plugins.BF");
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        try {
            Method m = bf.getMethod("openImagePlus", String.class);
            Object r = m.invoke(null, file.toAbsolutePath().toString());
            if (r instanceof ImagePlus[] && ((ImagePlus[]) r).length > 0) {
                ImagePlus[] all = (ImagePlus[]) r;
                return all[0];
            }
            throw new DopajException(file + ": Bio-Formats found no image in the file");
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new DopajException(file + ": Bio-Formats cannot read it (" + c.getMessage() + ")", c);
        } catch (ReflectiveOperationException e) {
            throw new DopajException(file + ": this Bio-Formats version has no BF.openImagePlus(String)", e);
        }
    }

    private static String datatypeOf(ImagePlus imp) {
        switch (imp.getBitDepth()) {
            case 8: return "uint8";
            case 16: return imp.getCalibration().isSigned16Bit() ? "int16" : "uint16";
            case 24: return "rgb24";
            default: return "float32";
        }
    }

    private static LoadedImage fromImagePlus(ImagePlus imp, Path file, String format) {
        Volume v;
        try {
            v = ImagePlusBridge.toVolume(imp);
        } catch (DopajException e) {
            throw new DopajException(file + ": " + e.getMessage(), e);
        }
        boolean cal = ImagePlusBridge.isCalibrated(imp);
        String warning = null;
        if (!cal) {
            Calibration c = imp.getCalibration();
            warning = "no spatial calibration in a length unit (unit '" + c.getUnit() + "'): voxels taken as 1 mm";
        }
        return new LoadedImage(v, format, datatypeOf(imp), null, cal, warning);
    }

    // ---------------------------------------------------------------- DICOM

    private static final int SERIES_UID = 0x0020000E;
    private static final int SAMPLES_PER_PIXEL = 0x00280002;
    private static final int ROWS = 0x00280010;
    private static final int COLUMNS = 0x00280011;
    private static final int BITS_ALLOCATED = 0x00280100;
    private static final int PIXEL_REPRESENTATION = 0x00280103;
    private static final int RESCALE_INTERCEPT = 0x00281052;
    private static final int RESCALE_SLOPE = 0x00281053;
    private static final int PIXEL_VALUE_TRANSFORMATION = 0x00289145;
    private static final int DOSE_GRID_SCALING = 0x3004000E;

    /** One DICOM file: a single slice, a multi-frame NM/SPECT or enhanced object, RT Dose... */
    private static LoadedImage loadDicomFile(Path file) {
        DicomHeader h = DicomHeader.read(file);
        Dataset ds = h.dataset;
        int n = frameCount(ds);
        checkPixels(file, h, n);
        String why = DicomGeometry.notOneVolume(ds, n);
        if (why != null) {
            throw new DopajException(file + ": " + why);
        }
        ImagePlus imp = withRawDicom(() -> openDicomPixels(file, ds, n));
        Object[] pixels = new Object[n];
        double[][] rescale = new double[n][];
        for (int k = 0; k < n; k++) {
            pixels[k] = imp.getStack().getPixels(k + 1);
            rescale[k] = rescale(ds, k);
        }
        DicomGeometry.Slices geo;
        try {
            geo = DicomGeometry.ofFile(ds, n);
        } catch (DopajException e) {
            throw new DopajException(file + ": " + e.getMessage(), e);
        }
        return dicomVolume(ds, imp.getBitDepth(), pixels, rescale, geo, "dicom");
    }

    /**
     * A folder of DICOM slices: every file with "DICM" at offset 128 (or named .dcm) is read; files without pixel
     * data (DICOMDIR, reports) are skipped; one series only, of single-frame files of one size (a folder holding one
     * multi-frame file reads that file). Slices are ordered along the slice normal, whatever the file names and
     * instance numbers say.
     */
    private static LoadedImage loadDicomFolder(Path dir) {
        List<Path> candidates;
        try (Stream<Path> s = Files.list(dir)) {
            candidates = s.filter(Files::isRegularFile).sorted()
                    .filter(p -> DicomHeader.hasMagic(head(p, 132)) || p.toString().toLowerCase(Locale.ROOT).endsWith(".dcm"))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new DopajException(dir + ": cannot list the folder (" + e.getMessage() + ")", e);
        }
        if (candidates.isEmpty()) {
            throw new DopajException(dir + ": is a folder without DICOM files (give a DICOM series folder or an image file)");
        }
        List<Path> files = new ArrayList<>();
        List<Dataset> headers = new ArrayList<>();
        for (Path p : candidates) {
            DicomHeader h = DicomHeader.read(p);
            if (h.hasPixels()) {
                files.add(p);
                headers.add(h.dataset);
                checkPixels(p, h, frameCount(h.dataset));
            }
        }
        if (files.isEmpty()) {
            throw new DopajException(dir + ": holds DICOM files but no image (only a DICOMDIR, reports or plans?)");
        }
        if (files.size() == 1 && frameCount(headers.get(0)) > 1) {
            return loadDicomFile(files.get(0));
        }
        Set<String> series = new TreeSet<>();
        for (int k = 0; k < files.size(); k++) {
            String uid = headers.get(k).text(SERIES_UID);
            series.add(uid == null ? "(none)" : uid);
            if (frameCount(headers.get(k)) > 1) {
                throw new DopajException(dir + ": " + files.get(k).getFileName() + " is a multi-frame file among "
                        + files.size() + " files: open the file itself, or give a folder of single slices");
            }
            int[] size0 = {(int) headers.get(0).number(COLUMNS, 0), (int) headers.get(0).number(ROWS, 0), (int) headers.get(0).number(BITS_ALLOCATED, 0)};
            int[] size = {(int) headers.get(k).number(COLUMNS, 0), (int) headers.get(k).number(ROWS, 0), (int) headers.get(k).number(BITS_ALLOCATED, 0)};
            if (!Arrays.equals(size0, size)) {
                throw new DopajException(String.format(Locale.ROOT, "%s: slices differ in size (%s: %d×%d, %d bits; %s: %d×%d, %d bits): "
                        + "give a folder with one series", dir, files.get(0).getFileName(), size0[0], size0[1], size0[2],
                        files.get(k).getFileName(), size[0], size[1], size[2]));
            }
        }
        if (series.size() > 1) {
            throw new DopajException(dir + ": holds " + series.size() + " DICOM series (Series Instance UIDs " + String.join(", ", series)
                    + "): give a folder with one series");
        }
        // instance number, then file name, before the geometry orders the slices along the normal
        Integer[] idx = new Integer[files.size()];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = k;
        }
        Arrays.sort(idx, Comparator.comparingDouble((Integer k) -> headers.get(k).number(DicomGeometry.INSTANCE_NUMBER, Double.MAX_VALUE))
                .thenComparing(k -> files.get(k).getFileName().toString()));
        List<Path> sortedFiles = new ArrayList<>();
        List<Dataset> sortedHeaders = new ArrayList<>();
        for (int k : idx) {
            sortedFiles.add(files.get(k));
            sortedHeaders.add(headers.get(k));
        }
        DicomGeometry.Slices geo;
        try {
            geo = DicomGeometry.ofSeries(sortedHeaders);
        } catch (DopajException e) {
            throw new DopajException(dir + ": " + e.getMessage(), e);
        }
        int n = sortedFiles.size();
        Object[] pixels = new Object[n];
        double[][] rescale = new double[n][];
        int[] bitDepth = new int[1];
        withRawDicom(() -> {
            for (int k = 0; k < n; k++) {
                ImagePlus imp = openDicomPixels(sortedFiles.get(k), sortedHeaders.get(k), 1);
                if (k > 0 && imp.getBitDepth() != bitDepth[0]) {
                    throw new DopajException(sortedFiles.get(k) + ": ImageJ read it as " + imp.getBitDepth() + "-bit, the other slices as "
                            + bitDepth[0] + "-bit: give a folder with one series");
                }
                bitDepth[0] = imp.getBitDepth();
                pixels[k] = imp.getProcessor().getPixels();
                rescale[k] = rescale(sortedHeaders.get(k), 0);
            }
            return null;
        });
        return dicomVolume(sortedHeaders.get(0), bitDepth[0], pixels, rescale, geo, "dicom-series");
    }

    /** Number of Frames (0028,0008), at least 1. */
    private static int frameCount(Dataset ds) {
        double f = ds.number(DicomGeometry.NUMBER_OF_FRAMES, 1);
        return f >= 1 && f < Integer.MAX_VALUE ? (int) f : 1;
    }

    /**
     * Refuses, in one line, what ImageJ would misread or report in a multi-line dialog text: no pixel data,
     * encapsulated (compressed) pixels, truncated pixel data, colour, and bit depths ImageJ does not read.
     */
    private static void checkPixels(Path file, DicomHeader h, int frames) {
        Dataset ds = h.dataset;
        if (!h.hasPixels() && (ds.has(ROWS) || ds.has(COLUMNS) || ds.has(BITS_ALLOCATED))) {
            throw new DopajException(file + ": truncated DICOM file: it describes an image but ends after " + h.fileSize
                    + " bytes, before its pixel data: the file is incomplete; copy or export it again");
        }
        if (!h.hasPixels()) {
            String modality = ds.text(DicomGeometry.MODALITY);
            throw new DopajException(file + ": DICOM file without pixel data" + (modality == null ? "" : " (modality " + modality + ")")
                    + ": not an image");
        }
        if (h.pixelLength < 0) {
            throw new DopajException(file + ": pixel data is encapsulated (compressed) although the transfer syntax is '"
                    + h.transferSyntax + "': convert with dcm2niix, or open it with Bio-Formats in Fiji");
        }
        int rows = (int) ds.number(ROWS, 0);
        int cols = (int) ds.number(COLUMNS, 0);
        int bits = (int) ds.number(BITS_ALLOCATED, 0);
        int samples = (int) ds.number(SAMPLES_PER_PIXEL, 1);
        if (rows <= 0 || cols <= 0) {
            throw new DopajException(file + ": DICOM image without Rows/Columns (damaged header)");
        }
        if (samples != 1) {
            throw new DopajException(file + ": colour DICOM (" + samples + " samples per pixel): DopaJ reads greyscale volumes; "
                    + "convert it to greyscale first");
        }
        if (bits != 8 && bits != 16 && bits != 32 || ds.has(0x7FE00009)) {
            throw new DopajException(file + ": " + (ds.has(0x7FE00009) ? "64-bit float" : bits + "-bit") + " DICOM pixels "
                    + (bits == 1 ? "(a binary segmentation) " : "") + "are not read by ImageJ's DICOM reader (8, 16 or 32 bits): "
                    + "convert with dcm2niix, or open it with Bio-Formats in Fiji");
        }
        long expected = (long) rows * cols * frames * (bits / 8);
        long available = h.fileSize - h.pixelOffset;
        if (available < Math.min(expected, h.pixelLength)) {
            throw new DopajException(String.format(Locale.ROOT, "%s: truncated DICOM file: the pixel data ends after %d of its %d bytes "
                    + "(%d×%d×%d frames): the file is incomplete; copy or export it again", file, available, expected, cols, rows, frames));
        }
        if (h.pixelLength < expected) {
            throw new DopajException(String.format(Locale.ROOT, "%s: the pixel data holds %d bytes but %d×%d pixels × %d frames × %d bits "
                    + "need %d (damaged or inconsistent header)", file, h.pixelLength, cols, rows, frames, bits, expected));
        }
    }

    /** The frames of one DICOM file as ImageJ reads them (raw values), checked against the header's matrix. */
    private static ImagePlus openDicomPixels(Path file, Dataset ds, int frames) {
        DICOM dcm = new DICOM();
        try {
            dcm.open(file.toAbsolutePath().toString());
        } catch (RuntimeException e) {
            String m = String.valueOf(e.getMessage()).split("\n")[0].trim();
            throw new DopajException(file + ": ImageJ's DICOM reader failed (" + e.getClass().getSimpleName() + ": " + m
                    + "): convert with dcm2niix, or open it with Bio-Formats in Fiji", e);
        }
        int rows = (int) ds.number(ROWS, 0);
        int cols = (int) ds.number(COLUMNS, 0);
        if (dcm.getWidth() != cols || dcm.getHeight() != rows || dcm.getStackSize() != frames) {
            throw new DopajException(String.format(Locale.ROOT, "%s: ImageJ's DICOM reader read %d×%d×%d pixels where the header says "
                    + "%d×%d×%d: convert with dcm2niix, or open it with Bio-Formats in Fiji", file, dcm.getWidth(), dcm.getHeight(),
                    dcm.getWidth() == 0 ? 0 : dcm.getStackSize(), cols, rows, frames));
        }
        return dcm;
    }

    /**
     * Runs ImageJ DICOM reading with rescaling left to DopaJ: ImageJ 1 applies a rescale slope ≠ 1 through
     * {@code IJ.run("Multiply...")}, which throws when headless, and it uses one slope/intercept for all slices
     * and frames. So the raw pixels are read and {@link #dicomVolume} applies each frame's own rescale.
     */
    private static synchronized <T> T withRawDicom(java.util.function.Supplier<T> opener) {
        boolean ignore = Prefs.ignoreRescaleSlope;
        boolean asFloat = Prefs.openDicomsAsFloat;
        boolean fixed = Prefs.fixedDicomScaling;
        Prefs.ignoreRescaleSlope = true;
        Prefs.openDicomsAsFloat = false;
        Prefs.fixedDicomScaling = false;
        try {
            return opener.get();
        } finally {
            Prefs.ignoreRescaleSlope = ignore;
            Prefs.openDicomsAsFloat = asFloat;
            Prefs.fixedDicomScaling = fixed;
        }
    }

    /**
     * Slope and intercept of frame {@code k}: the per-frame Pixel Value Transformation Sequence, else the shared
     * one (enhanced objects), else the top-level Rescale Slope/Intercept; times the Dose Grid Scaling (RT Dose).
     */
    private static double[] rescale(Dataset ds, int k) {
        List<Dataset> perFrame = ds.items(DicomGeometry.PER_FRAME_GROUPS);
        Dataset shared = ds.item(DicomGeometry.SHARED_GROUPS);
        Dataset src = ds;
        Dataset pf = k < perFrame.size() ? perFrame.get(k).item(PIXEL_VALUE_TRANSFORMATION) : null;
        Dataset sh = shared == null ? null : shared.item(PIXEL_VALUE_TRANSFORMATION);
        if (pf != null && (pf.has(RESCALE_SLOPE) || pf.has(RESCALE_INTERCEPT))) {
            src = pf;
        } else if (sh != null && (sh.has(RESCALE_SLOPE) || sh.has(RESCALE_INTERCEPT))) {
            src = sh;
        }
        double slope = src.number(RESCALE_SLOPE, 1);
        double inter = src.number(RESCALE_INTERCEPT, 0);
        if (slope == 0 || !Double.isFinite(slope)) {
            slope = 1;
        }
        if (!Double.isFinite(inter)) {
            inter = 0;
        }
        double dose = ds.number(DOSE_GRID_SCALING, 1);
        if (dose != 0 && Double.isFinite(dose)) {
            slope *= dose;
            inter *= dose;
        }
        return new double[]{slope, inter};
    }

    /**
     * The volume of DICOM frames (stored order, raw ImageJ pixels) placed as {@code geo} orders them, with values
     * = stored value (ImageJ's unsigned view of signed 16-bit pixels undone) × slope + intercept.
     */
    private static LoadedImage dicomVolume(Dataset ds, int bitDepth, Object[] pixels, double[][] rescale,
                                           DicomGeometry.Slices geo, String format) {
        int nx = (int) ds.number(COLUMNS, 0);
        int ny = (int) ds.number(ROWS, 0);
        int n = pixels.length;
        int offset = bitDepth == 16 && ds.number(PIXEL_REPRESENTATION, 0) == 1 ? 32768 : 0;
        Volume v = Volume.allocate(Grid.of(nx, ny, n, 1, 1, 1), 1);
        for (int k = 0; k < n; k++) {
            int src = geo == null ? k : geo.order()[k];
            double s = rescale[src][0];
            double b = rescale[src][1];
            Object px = pixels[src];
            float[] out = v.plane(k);
            if (px instanceof byte[]) {
                byte[] p = (byte[]) px;
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) ((p[i] & 0xff) * s + b);
                }
            } else if (px instanceof short[]) {
                short[] p = (short[]) px;
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (((p[i] & 0xffff) - offset) * s + b);
                }
            } else if (px instanceof float[]) {
                float[] p = (float[]) px;
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (p[i] * s + b);
                }
            } else {
                throw new DopajException("DICOM frame " + (src + 1) + ": ImageJ returned " + bitDepth + "-bit colour pixels: "
                        + "convert it to greyscale first");
            }
        }
        String datatype = dicomDatatype(ds, bitDepth);
        if (geo == null) {
            double[] ps = ds.numbers(DicomGeometry.PIXEL_SPACING, 2);
            double[] th = ds.numbers(DicomGeometry.SPACING_BETWEEN_SLICES, 1);
            if (th == null || th[0] == 0) {
                th = ds.numbers(DicomGeometry.SLICE_THICKNESS, 1);
            }
            boolean cal = ps != null && ps[0] > 0 && ps[1] > 0;
            double dz = th != null && th[0] != 0 ? Math.abs(th[0]) : 1;
            Grid g = cal ? Grid.of(nx, ny, n, ps[1], ps[0], dz) : Grid.of(nx, ny, n, 1, 1, 1);
            return new LoadedImage(v.withGrid(g), format, datatype, null, cal,
                    "DICOM without ImagePositionPatient/ImageOrientationPatient/PixelSpacing: "
                            + (cal ? "orientation unknown, diagonal affine from the pixel spacing" : "voxels taken as 1 mm"));
        }
        Grid g = new Grid(nx, ny, n, geo.voxelMm(), geo.affine());
        return new LoadedImage(v.withGrid(g), format, datatype, null, true, geo.warning());
    }

    /** The stored DICOM datatype: from BitsAllocated and PixelRepresentation (e.g. "int16"), float32 for float pixels. */
    private static String dicomDatatype(Dataset ds, int bitDepth) {
        if (ds.has(0x7FE00008)) {
            return "float32";
        }
        int bits = (int) ds.number(BITS_ALLOCATED, bitDepth);
        return (ds.number(PIXEL_REPRESENTATION, 0) == 1 ? "int" : "uint") + bits;
    }

    // ---------------------------------------------------------------- writing

    /** Writes a volume as .nii / .nii.gz (float32) or .tif / .tiff (32-bit, mm calibration), atomically. */
    public static void write(Volume v, Path file) {
        write(v, file, null);
    }

    /** As {@link #write(Volume, Path)}, with a NIfTI header template for NIfTI outputs (may be null). */
    public static void write(Volume v, Path file, NiftiHeader template) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".nii") || name.endsWith(".nii.gz")) {
            Nifti.write(v, file, template);
        } else if (name.endsWith(".tif") || name.endsWith(".tiff")) {
            ImagePlus imp = ImagePlusBridge.toImagePlus(v, file.getFileName().toString());
            AtomicFiles.writeVia(file, tmp -> {
                FileSaver fs = new FileSaver(imp);
                boolean ok = imp.getStackSize() > 1 ? fs.saveAsTiffStack(tmp.toString()) : fs.saveAsTiff(tmp.toString());
                if (!ok) {
                    throw new IOException("ImageJ could not write the TIFF file");
                }
            });
        } else {
            throw new DopajException(file + ": cannot write this format: name the output .nii, .nii.gz, .tif or .tiff");
        }
    }
}
