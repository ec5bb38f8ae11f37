package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import com.google.gson.GsonBuilder;
import org.dopaj.DopajException;
import org.dopaj.io.AtomicFiles;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiHeader;
import org.dopaj.nigrosome.SmwiPhantom;

/**
 * {@code dopaj phantom smwi OUT [--seed N] [--sbr-left L --sbr-right R] [--labels FILE] [--force] [--json]}: a synthetic
 * SMWI-like midbrain patch ({@link SmwiPhantom}, 120×100×40 voxels of 0.5×0.5×1 mm, RAS) as float32 NIfTI, with the
 * ground truth in a JSON sidecar next to it ({@code OUT} with {@code .json} for {@code .nii[.gz]}): SBRs, nigrosome
 * centroids (voxel and mm) and every drawn parameter. Without {@code --sbr-left/--sbr-right} the SBRs are drawn from the
 * seed too ({@link SmwiPhantom#random}). {@code --generator physics}: the realistic SMWI formation
 * ({@link org.dopaj.nigrosome.SmwiPhysicsPhantom}: 3 T or 1.5 T, voxel size and slab tilt drawn from the seed, texture
 * from the real GRE data in ../shared). Same arguments, same bytes.
 */
final class SmwiPhantomCli implements CliCommand {
    @Override
    public String name() {
        return "smwi";
    }

    @Override
    public String usage() {
        return "smwi OUT [--seed N] [--sbr-left L --sbr-right R] [--generator box|physics] [--labels FILE] [--force]"
                + " [--json]";
    }

    /** The sidecar of a .nii or .nii.gz name. */
    static Path sidecar(Path nifti) {
        String n = nifti.getFileName().toString();
        String base = n.replaceFirst("(?i)\\.nii(\\.gz)?$", "");
        return nifti.resolveSibling(base + ".json");
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, Set.of("seed", "sbr-left", "sbr-right", "labels", "generator"), Set.of("force", "json"));
        org.dopaj.nigrosome.PhantomGenerator gen = org.dopaj.nigrosome.PhantomGenerator.parse(a.option("generator", "box"));
        Path file = Path.of(a.positional(0, "OUT (the phantom's .nii or .nii.gz file)"));
        CliSupport.maxPositionals(a, 1, "phantom " + usage());
        if (!CliSupport.isNiftiOutput(file)) {
            throw new DopajException(file + ": phantom output must be named .nii or .nii.gz");
        }
        long seed = CliSupport.longOption(a, "seed", 1);
        if (a.has("sbr-left") != a.has("sbr-right")) {
            throw new DopajException("give both --sbr-left and --sbr-right, or neither (then both are drawn from the seed)");
        }
        Path json = sidecar(file);
        Path labels = a.has("labels") ? Path.of(a.option("labels")) : null;
        CliSupport.checkOutput(file, a.flag("force"));
        CliSupport.checkOutput(json, a.flag("force"));
        if (labels != null) {
            if (!CliSupport.isNiftiOutput(labels)) {
                throw new DopajException(labels + ": --labels must be named .nii or .nii.gz");
            }
            if (CliSupport.sameFile(labels, file)) {
                throw new DopajException(labels + ": --labels must name another file than OUT");
            }
            CliSupport.checkOutput(labels, a.flag("force"));
        }
        SmwiPhantom.Result r = a.has("sbr-left")
                ? gen.generate(a.number("sbr-left", 0), a.number("sbr-right", 0), seed)
                : gen.random(seed);
        NiftiHeader h = new NiftiHeader();
        h.sformCode = NiftiHeader.XFORM_SCANNER;
        h.qformCode = NiftiHeader.XFORM_SCANNER;
        h.setDescrip(String.format(Locale.ROOT, "DopaJ SMWI phantom seed=%d L=%.3f R=%.3f", seed, r.sbrLeft(),
                r.sbrRight()));
        Map<String, Object> truth = new LinkedHashMap<>(r.toMap());
        truth.put("image", file.getFileName().toString());
        String text = new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(truth);
        Nifti.write(r.smwi(), file, h, NiftiDatatype.FLOAT32);
        if (labels != null) {
            NiftiHeader hl = new NiftiHeader();
            hl.sformCode = NiftiHeader.XFORM_SCANNER;
            hl.qformCode = NiftiHeader.XFORM_SCANNER;
            hl.setDescrip("DopaJ SMWI phantom labels seed=" + seed);
            Nifti.write(r.labels(), labels, hl, NiftiDatatype.UINT8);
        }
        AtomicFiles.write(json, false, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        if (a.flag("json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("output", file.toString());
            m.put("truth", json.toString());
            m.put("labels", labels == null ? null : labels.toString());
            m.put("kind", "smwi");
            m.put("seed", seed);
            m.put("sbr_left", r.sbrLeft());
            m.put("sbr_right", r.sbrRight());
            m.put("target_sbr", r.targetSbr());
            m.put("centroids", r.nigrosomes().toMap());
            m.put("notice", CliSupport.NOTICE + " Synthetic phantom, not anatomy.");
            CliSupport.printJson(out, m);
        } else {
            int[] lv = r.nigrosomes().left().nearestVoxel();
            int[] rv = r.nigrosomes().right().nearestVoxel();
            out.println(String.format(Locale.ROOT, "wrote %s and %s (SMWI phantom, seed %d, SBR left %.3f right %.3f;"
                    + " nigrosome voxels left=%d,%d,%d right=%d,%d,%d)", file, json, seed, r.sbrLeft(), r.sbrRight(),
                    lv[0], lv[1], lv[2], rv[0], rv[1], rv[2]));
        }
        return 0;
    }
}
