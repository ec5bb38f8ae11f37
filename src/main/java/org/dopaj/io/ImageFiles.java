package org.dopaj.io;

import ij.ImagePlus;
import ij.ImageStack;
import ij.Prefs;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.measure.Calibration;
import ij.plugin.FolderOpener;
import ij.util.DicomTools;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.ImagePlusBridge;
import org.dopaj.image.Volume;

/**
 * One entry point to read and write the image files DopaJ meets, without any UI. Reading dispatches on the
 * content (and the name where content is ambiguous): NIfTI-1/2 (.nii, .nii.gz, .hdr/.img) through {@link Nifti};
 * TIFF and DICOM (a single file or a folder of slices) through ImageJ 1's own readers; anything else through
 * Bio-Formats when Fiji provides it at run time (found by reflection, never a build dependency), else a clear
 * "unsupported format" error. DICOM geometry is converted from the patient LPS system to NIfTI's RAS.
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
        if (isDicom(head) || name.endsWith(".dcm")) {
            ImagePlus imp = withRawDicom(() -> openWithImageJ(file, "DICOM"));
            return dicom(imp, file, "dicom");
        }
        ImagePlus bf = openWithBioFormats(file);
        if (bf != null) {
            return fromImagePlus(bf, file, "bioformats");
        }
        throw new DopajException(file + ": unsupported format (DopaJ reads NIfTI, TIFF and DICOM; other formats need "
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

    private static boolean isDicom(byte[] h) {
        return h.length >= 132 && h[128] == 'D' && h[129] == 'I' && h[130] == 'C' && h[131] == 'M';
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

    private static LoadedImage loadDicomFolder(Path dir) {
        boolean any;
        try (Stream<Path> s = Files.list(dir)) {
            any = s.filter(Files::isRegularFile).anyMatch(p -> isDicom(head(p, 132)) || p.toString().toLowerCase(Locale.ROOT).endsWith(".dcm"));
        } catch (IOException e) {
            throw new DopajException(dir + ": cannot list the folder (" + e.getMessage() + ")", e);
        }
        if (!any) {
            throw new DopajException(dir + ": is a folder without DICOM files (give a DICOM series folder or an image file)");
        }
        ImagePlus imp;
        try {
            imp = withRawDicom(() -> FolderOpener.open(dir.toAbsolutePath().toString()));
        } catch (RuntimeException e) {
            throw new DopajException(dir + ": ImageJ cannot open this DICOM series (" + e.getMessage() + ")", e);
        }
        if (imp == null || imp.getStackSize() == 0) {
            throw new DopajException(dir + ": ImageJ could not open a DICOM series from this folder (mixed sizes or damaged files?)");
        }
        return dicom(imp, dir, "dicom-series");
    }

    /**
     * Runs an ImageJ DICOM opener with rescaling left to DopaJ: ImageJ 1 applies a rescale slope ≠ 1 through
     * {@code IJ.run("Multiply...")}, which throws when headless, and it uses the first slice's slope/intercept for
     * all. So the raw pixels are read and {@link #dicom} applies each slice's own RescaleSlope/Intercept.
     */
    private static synchronized ImagePlus withRawDicom(java.util.function.Supplier<ImagePlus> opener) {
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
     * The voxel values of a DICOM stack: stored values (ImageJ's unsigned view of signed pixels undone when
     * PixelRepresentation is 1) times each slice's RescaleSlope plus its RescaleIntercept.
     */
    private static Volume dicomValues(ImagePlus imp, Path file) {
        int bd = imp.getBitDepth();
        if (bd != 8 && bd != 16) {
            try {
                return ImagePlusBridge.toVolume(imp);
            } catch (DopajException e) {
                throw new DopajException(file + ": " + e.getMessage(), e);
            }
        }
        int n = imp.getStackSize();
        Volume v = Volume.allocate(Grid.of(imp.getWidth(), imp.getHeight(), n, 1, 1, 1), 1);
        ImageStack stack = imp.getStack();
        for (int k = 0; k < n; k++) {
            String info = sliceInfo(imp, k + 1);
            double[] slope = numbers(tag(info, "0028,1053"), 1);
            double[] inter = numbers(tag(info, "0028,1052"), 1);
            double[] rep = numbers(tag(info, "0028,0103"), 1);
            double s = slope != null && slope[0] != 0 ? slope[0] : 1;
            double b = inter != null ? inter[0] : 0;
            int offset = bd == 16 && rep != null && rep[0] == 1 ? 32768 : 0;
            Object px = stack.getPixels(k + 1);
            float[] out = v.plane(k);
            if (px instanceof byte[]) {
                byte[] p = (byte[]) px;
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) ((p[i] & 0xff) * s + b);
                }
            } else {
                short[] p = (short[]) px;
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (((p[i] & 0xffff) - offset) * s + b);
                }
            }
        }
        return v;
    }

    /** A DICOM image with its geometry converted to a NIfTI RAS affine from the patient position tags. */
    private static LoadedImage dicom(ImagePlus imp, Path file, String format) {
        if (imp.getNChannels() > 1 || imp.getNFrames() > 1) {
            imp.setDimensions(1, imp.getStackSize(), 1); // a DICOM stack is a stack of slices
        }
        Volume v = dicomValues(imp, file);
        DicomGeometry geo = dicomGeometry(imp);
        if (geo == null) {
            boolean cal = ImagePlusBridge.isCalibrated(imp);
            return new LoadedImage(v.withGrid(ImagePlusBridge.gridOf(imp)), format, dicomDatatype(imp), null, cal,
                    "DICOM without ImagePositionPatient/ImageOrientationPatient/PixelSpacing: "
                            + (cal ? "orientation unknown, diagonal affine from the ImageJ calibration"
                            : "voxels taken as 1 mm"));
        }
        Grid g = new Grid(v.nx(), v.ny(), v.nz(), geo.voxelMm, geo.affine);
        return new LoadedImage(v.withGrid(g), format, dicomDatatype(imp), null, true, geo.warning);
    }

    /** The stored DICOM datatype: from BitsAllocated and PixelRepresentation (e.g. "int16"). */
    private static String dicomDatatype(ImagePlus imp) {
        String info = sliceInfo(imp, 1);
        double[] bits = numbers(tag(info, "0028,0100"), 1);
        double[] rep = numbers(tag(info, "0028,0103"), 1);
        if (bits == null || imp.getBitDepth() == 24 || imp.getBitDepth() == 32) {
            return datatypeOf(imp);
        }
        return (rep != null && rep[0] == 1 ? "int" : "uint") + (int) bits[0];
    }

    /** Affine (RAS), voxel size and an optional warning built from DICOM tags. */
    record DicomGeometry(double[][] affine, double[] voxelMm, String warning) {
    }

    /** Null when a needed tag is missing. */
    static DicomGeometry dicomGeometry(ImagePlus imp) {
        ImageStack stack = imp.getStack();
        int n = stack.getSize();
        String first = sliceInfo(imp, 1);
        double[] iop = numbers(tag(first, "0020,0037"), 6);
        double[] ps = numbers(tag(first, "0028,0030"), 2);
        double[] p0 = numbers(tag(first, "0020,0032"), 3);
        if (iop == null || ps == null || p0 == null) {
            return null;
        }
        double[] row = {iop[0], iop[1], iop[2]};
        double[] col = {iop[3], iop[4], iop[5]};
        double[] normal = {row[1] * col[2] - row[2] * col[1], row[2] * col[0] - row[0] * col[2], row[0] * col[1] - row[1] * col[0]};
        double dx = ps[1]; // PixelSpacing = row spacing (between rows, along j), column spacing (along i)
        double dy = ps[0];
        double[] step = null;
        String warning = null;
        if (n > 1) {
            double[] pn = numbers(tag(sliceInfo(imp, n), "0020,0032"), 3);
            if (pn != null) {
                step = new double[3];
                for (int i = 0; i < 3; i++) {
                    step[i] = (pn[i] - p0[i]) / (n - 1);
                }
                warning = checkSpacing(imp, p0, step, n);
            }
        }
        if (step == null) {
            double dz = Double.NaN;
            double[] sbs = numbers(tag(first, "0018,0088"), 1);
            double[] th = numbers(tag(first, "0018,0050"), 1);
            if (n > 1) {
                dz = DicomTools.getVoxelDepth(stack);
            }
            if (!(dz > 0) && sbs != null) {
                dz = sbs[0];
            }
            if (!(dz > 0) && th != null) {
                dz = th[0];
            }
            if (!(dz > 0)) {
                dz = 1;
                warning = "DICOM slice spacing unknown: 1 mm assumed";
            }
            step = new double[]{normal[0] * dz, normal[1] * dz, normal[2] * dz};
        }
        double dz = Math.sqrt(step[0] * step[0] + step[1] * step[1] + step[2] * step[2]);
        if (!(dz > 0)) {
            return null;
        }
        double[][] lps = {
                {row[0] * dx, col[0] * dy, step[0], p0[0]},
                {row[1] * dx, col[1] * dy, step[1], p0[1]},
                {row[2] * dx, col[2] * dy, step[2], p0[2]},
                {0, 0, 0, 1}};
        // DICOM patient space is LPS; NIfTI scanner space is RAS: negate x and y
        for (int c = 0; c < 4; c++) {
            lps[0][c] = -lps[0][c];
            lps[1][c] = -lps[1][c];
        }
        return new DicomGeometry(lps, new double[]{dx, dy, dz}, warning);
    }

    private static String checkSpacing(ImagePlus imp, double[] p0, double[] step, int n) {
        double len = Math.sqrt(step[0] * step[0] + step[1] * step[1] + step[2] * step[2]);
        for (int k = 1; k < n - 1; k++) {
            double[] pk = numbers(tag(sliceInfo(imp, k + 1), "0020,0032"), 3);
            if (pk == null) {
                continue;
            }
            double err = 0;
            for (int i = 0; i < 3; i++) {
                err = Math.max(err, Math.abs(pk[i] - (p0[i] + k * step[i])));
            }
            if (err > 0.01 * len + 1e-3) {
                return String.format(Locale.ROOT, "DICOM slices are not evenly spaced (slice %d is %.3f mm off): the affine uses the mean spacing", k + 1, err);
            }
        }
        return null;
    }

    /** The DICOM header text of slice i (1-based): its slice label, or the image's Info for single images. */
    private static String sliceInfo(ImagePlus imp, int i) {
        String label = imp.getStack().getSliceLabel(i);
        if (label != null && label.contains("0020,0032")) {
            return label;
        }
        Object info = imp.getProperty("Info");
        return info instanceof String ? (String) info : label;
    }

    /** The value of tag "gggg,eeee" in ImageJ's DICOM header text ("gggg,eeee  Name: value"), or null. */
    static String tag(String info, String id) {
        if (info == null) {
            return null;
        }
        for (String line : info.split("\n")) {
            if (line.startsWith(id)) {
                int c = line.indexOf(':');
                return c < 0 ? null : line.substring(c + 1).trim();
            }
        }
        return null;
    }

    /** Backslash-separated numbers; null when missing or fewer than {@code n}. */
    static double[] numbers(String s, int n) {
        if (s == null) {
            return null;
        }
        String[] t = s.trim().split("\\\\");
        if (t.length < n) {
            return null;
        }
        double[] r = new double[n];
        try {
            for (int i = 0; i < n; i++) {
                r[i] = Double.parseDouble(t[i].trim());
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return r;
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
