package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiHeader;
import org.dopaj.phantom.HeadPhantom;
import org.dopaj.spect.SpectPhantom;

/**
 * {@code dopaj phantom KIND ...}: writes deterministic digital phantoms (samples and test objects with known
 * ground truth). A dispatcher on its first positional: each kind is a {@link CliCommand} in {@link #kinds()}
 * ({@code head}, {@code spect}; SMWI phantoms join the map as their package arrives).
 */
final class PhantomCli extends DispatchCli {
    @Override
    Map<String, CliCommand> kinds() {
        Map<String, CliCommand> m = new LinkedHashMap<>();
        CliCommand head = new Head();
        m.put(head.name(), head);
        CliCommand smwi = new SmwiPhantomCli();
        m.put(smwi.name(), smwi);
        CliCommand spect = new Spect();
        m.put(spect.name(), spect);
        return m;
    }

    @Override
    public String name() {
        return "phantom";
    }

    /**
     * {@code head OUT [--seed N] [--noise SD] [--mask MASKOUT] [--force] [--json]}: the T1-like
     * {@link HeadPhantom} on the FSL MNI152 2 mm grid, written as int16 NIfTI (sform/qform code "mni"), and
     * optionally its brain mask as uint8. Same seed and noise, same bytes.
     */
    static final class Head implements CliCommand {
        /**
         * Default noise SD in phantom intensity units (grey matter 75, white matter 110: SNR about 100). Kept low
         * because noise is what makes the gzip file large: 1 gives a 281 kB sample, 2 gives 342 kB (measured).
         */
        static final double DEFAULT_NOISE = 1.0;

        @Override
        public String name() {
            return "head";
        }

        @Override
        public String usage() {
            return "head OUT [--seed N] [--noise SD] [--mask MASKOUT] [--force] [--json]";
        }

        @Override
        public int run(List<String> argv, PrintStream out, PrintStream err) {
            Args a = Args.parse(argv, Set.of("seed", "noise", "mask"), Set.of("force", "json"));
            Path t1Path = Path.of(a.positional(0, "OUT (the phantom's .nii or .nii.gz file)"));
            CliSupport.maxPositionals(a, 1, "phantom " + usage());
            long seed = CliSupport.longOption(a, "seed", 1);
            double noise = a.number("noise", DEFAULT_NOISE);
            if (!(noise >= 0) || !Double.isFinite(noise)) {
                throw new DopajException("option --noise must be a finite SD ≥ 0, got " + a.option("noise"));
            }
            Path maskPath = a.has("mask") ? Path.of(a.option("mask")) : null;
            requireNiftiName(t1Path);
            CliSupport.checkOutput(t1Path, a.flag("force"));
            if (maskPath != null) {
                requireNiftiName(maskPath);
                if (CliSupport.sameFile(maskPath, t1Path)) {
                    throw new DopajException(maskPath + ": --mask must name another file than OUT");
                }
                CliSupport.checkOutput(maskPath, a.flag("force"));
            }
            HeadPhantom.Head head = HeadPhantom.generate(HeadPhantom.mni2mm(), noise, seed);
            String what = String.format(java.util.Locale.ROOT, "DopaJ head phantom seed=%d noise=%s", seed, noise);
            write(head.t1(), t1Path, what, NiftiDatatype.INT16);
            if (maskPath != null) {
                write(head.brainMask(), maskPath, what + " brain mask", NiftiDatatype.UINT8);
            }
            long brain = 0;
            for (float[] p : head.brainMask().planes()) {
                for (float v : p) {
                    if (v != 0) {
                        brain++;
                    }
                }
            }
            if (a.flag("json")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("output", t1Path.toString());
                m.put("mask", maskPath == null ? null : maskPath.toString());
                m.put("kind", "head");
                m.put("seed", seed);
                m.put("noise", noise);
                m.put("dims", head.t1().grid().dims());
                m.put("voxel_mm", head.t1().grid().voxelMm());
                m.put("orientation", head.t1().grid().orientation());
                m.put("datatype", NiftiDatatype.INT16.label());
                m.put("brain_voxels", brain);
                m.put("brain_ml", brain * head.t1().grid().voxelVolumeMm3() / 1000.0);
                m.put("notice", CliSupport.NOTICE + " Synthetic phantom, not anatomy.");
                CliSupport.printJson(out, m);
            } else {
                out.println("wrote " + t1Path + (maskPath != null ? " and " + maskPath : "") + " (head phantom, seed "
                        + seed + ", noise " + noise + ", " + head.t1().grid() + ")");
            }
            return 0;
        }

        static void requireNiftiNamePublic(Path p) {
            requireNiftiName(p);
        }

        private static void requireNiftiName(Path p) {
            if (!CliSupport.isNiftiOutput(p)) {
                throw new DopajException(p + ": phantom output must be named .nii or .nii.gz");
            }
        }

        private static void write(Volume v, Path file, String descrip, NiftiDatatype type) {
            NiftiHeader t = new NiftiHeader();
            t.sformCode = NiftiHeader.XFORM_MNI;
            t.qformCode = NiftiHeader.XFORM_MNI;
            t.setDescrip(descrip);
            Nifti.write(v, file, t, type);
        }
    }

    /**
     * {@code spect OUT [--stage S] [--side left|right] [--age A] [--fwhm MM] [--counts N] [--no-noise] [--shift X,Y,Z]
     * [--rotation X,Y,Z] [--scale G] [--decline F] [--seed N] [--truth FILE.json] [--force] [--json]}: a
     * {@link SpectPhantom} DaT-SPECT volume on the MNI152 2 mm grid (float32 NIfTI, sform "mni") with a sidecar JSON
     * of its ground truth (default: OUT with {@code .json} in place of {@code .nii[.gz]}). Both files are written
     * atomically and checked before anything is generated. Needs nothing outside the jar.
     */
    static final class Spect implements CliCommand {
        @Override
        public String name() {
            return "spect";
        }

        @Override
        public String usage() {
            return "spect OUT [--stage 0..4] [--side left|right] [--age YEARS] [--fwhm MM] [--counts N] [--no-noise]"
                    + " [--shift X,Y,Z] [--rotation X,Y,Z] [--scale G] [--decline F] [--seed N] [--truth FILE.json]"
                    + " [--force] [--json]";
        }

        @Override
        public int run(List<String> argv, PrintStream out, PrintStream err) {
            Args a = Args.parse(argv, Set.of("stage", "side", "age", "fwhm", "counts", "shift", "rotation", "scale",
                    "decline", "seed", "truth"), Set.of("no-noise", "force", "json"));
            Path img = Path.of(a.positional(0, "OUT (the phantom's .nii or .nii.gz file)"));
            CliSupport.maxPositionals(a, 1, "phantom " + usage());
            Head.requireNiftiNamePublic(img);
            Path truth = a.has("truth") ? Path.of(a.option("truth")) : sidecar(img);
            if (!truth.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
                throw new DopajException(truth + ": --truth must be named .json");
            }
            if (CliSupport.sameFile(truth, img)) {
                throw new DopajException(truth + ": --truth must name another file than OUT");
            }
            CliSupport.checkOutput(img, a.flag("force"));
            CliSupport.checkOutput(truth, a.flag("force"));
            SpectPhantom.Params.Builder b = SpectPhantom.Params.builder()
                    .stage(a.number("stage", 0)).age(a.number("age", 60)).fwhmMm(a.number("fwhm", 10))
                    .totalCounts(a.number("counts", 2e6)).poissonNoise(!a.flag("no-noise"))
                    .globalScale(a.number("scale", 1)).ageDeclinePerDecade(a.number("decline", 0.05))
                    .seed(CliSupport.longOption(a, "seed", 1));
            String side = a.option("side", "left").toLowerCase(java.util.Locale.ROOT);
            switch (side) {
                case "left" -> b.moreAffected(SpectPhantom.Side.LEFT);
                case "right" -> b.moreAffected(SpectPhantom.Side.RIGHT);
                default -> throw new DopajException("option --side must be left or right, got " + a.option("side"));
            }
            double[] sh = triple(a, "shift");
            double[] ro = triple(a, "rotation");
            b.shiftMm(sh[0], sh[1], sh[2]).rotationDeg(ro[0], ro[1], ro[2]);
            SpectPhantom.Phantom ph = SpectPhantom.generate(b.build());
            Map<String, Object> t = new LinkedHashMap<>(ph.truth().toMap());
            t.put("image", img.getFileName().toString());
            t.put("grid", "MNI152 2 mm 91x109x91 LAS");
            t.put("notice", CliSupport.NOTICE + " Synthetic phantom, not patient data.");
            String json = new com.google.gson.GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(t);
            NiftiHeader h = new NiftiHeader();
            h.sformCode = NiftiHeader.XFORM_MNI;
            h.qformCode = NiftiHeader.XFORM_MNI;
            h.setDescrip(String.format(java.util.Locale.ROOT, "DopaJ DaT-SPECT phantom stage=%s seed=%d",
                    ph.truth().params().stage(), ph.truth().params().seed()));
            Nifti.write(ph.image(), img, h, NiftiDatatype.FLOAT32);
            org.dopaj.io.AtomicFiles.write(truth, false, o -> o.write((json + "\n").getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
            if (a.flag("json")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("output", img.toString());
                m.put("truth", truth.toString());
                m.put("kind", "spect");
                m.put("true_sbr", ph.truth().sbr());
                m.put("parameters", ph.truth().params().toMap());
                m.put("notice", CliSupport.NOTICE + " Synthetic phantom, not patient data.");
                CliSupport.printJson(out, m);
            } else {
                out.println("wrote " + img + " and " + truth + " (DaT-SPECT phantom, stage "
                        + ph.truth().params().stage() + ", seed " + ph.truth().params().seed() + ")");
            }
            return 0;
        }

        static Path sidecar(Path img) {
            String n = img.getFileName().toString();
            String base = n.replaceFirst("(?i)\\.nii(\\.gz)?$", "");
            return img.resolveSibling(base + ".json");
        }

        private static double[] triple(Args a, String name) {
            if (!a.has(name)) {
                return new double[3];
            }
            String[] p = a.option(name).split(",");
            if (p.length != 3) {
                throw new DopajException("option --" + name + " needs 3 comma-separated numbers, got " + a.option(name));
            }
            double[] v = new double[3];
            for (int i = 0; i < 3; i++) {
                try {
                    v[i] = Double.parseDouble(p[i].trim());
                } catch (NumberFormatException e) {
                    throw new DopajException("option --" + name + ": '" + p[i] + "' is not a number");
                }
                if (!Double.isFinite(v[i])) {
                    throw new DopajException("option --" + name + ": values must be finite");
                }
            }
            return v;
        }
    }
}
