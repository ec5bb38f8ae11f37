package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.image.Volume;
import org.dopaj.io.AtomicFiles;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiHeader;
import org.dopaj.nigrosome.Centroids;
import org.dopaj.nigrosome.NigrosomeCrop;
import org.dopaj.nigrosome.NigrosomeCropper;

/**
 * {@code dopaj nigrosome-crop FILE --left x,y,z --right x,y,z [--mm] -o DIR [--voxel-size X,Y,Z] [--force] [--json]}:
 * writes {@code DIR/nigrosome_left.nii.gz} and {@code nigrosome_right.nii.gz} (50×50×20 voxels of 0.5×0.5×1 mm, float32,
 * the centroid at 0-based voxel 25,25,10, whose sform maps that voxel to the centroid in scanner mm) and
 * {@code nigrosome_crops.json} (centroids, inside fraction, pad value). Both crops are computed before anything is
 * written, and each file is written to a temporary name and moved into place.
 */
final class NigrosomeCropCli implements CliCommand {
    static final String[] NAMES = {"nigrosome_left.nii.gz", "nigrosome_right.nii.gz"};
    static final String SIDECAR = "nigrosome_crops.json";

    @Override
    public String name() {
        return "nigrosome-crop";
    }

    @Override
    public String usage() {
        return "nigrosome-crop FILE --left x,y,z --right x,y,z [--mm] -o DIR [--voxel-size X,Y,Z] [--force] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, DeclaredOptions.valued(name(), "left", "right", "o", "out"),
                DeclaredOptions.flags(name(), "mm", "force", "json"));
        Path file = Path.of(a.positional(0, "FILE (the SMWI image)"));
        CliSupport.maxPositionals(a, 1, usage());
        String o = a.option("o", a.option("out"));
        if (o == null) {
            throw new DopajException("missing -o DIR (the folder for the two crops)");
        }
        Path dir = Path.of(o);
        List<Path> outs = CliSupport.checkOutputsIn(dir, "-o", a.flag("force"),
                List.of(NAMES[0], NAMES[1], SIDECAR), file);
        Volume v = NigrosomeCli.image(file, a);
        Centroids c = NigrosomeCli.centroids(a, v);
        NigrosomeCropper cropper = new NigrosomeCropper();
        List<NigrosomeCrop> crops = cropper.crop(v, c);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new DopajException(dir + ": cannot create the output folder: " + e.getMessage());
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("input", file.toString());
        res.put("units", a.flag("mm") ? "mm" : "voxel");
        res.put("centroids", c.toMap());
        res.put("crop_convention", "centroid at 0-based crop voxel 25,25,10; sform maps it to the centroid (scanner mm)");
        for (int s = 0; s < 2; s++) {
            NigrosomeCrop k = crops.get(s);
            NiftiHeader h = new NiftiHeader();
            h.setDescrip("DopaJ nigrosome-1 crop " + k.side().label());
            Nifti.write(k.volume(), outs.get(s), h);
            Map<String, Object> m = new LinkedHashMap<>(k.toMap());
            m.put("file", outs.get(s).toString());
            res.put(k.side().label(), m);
        }
        res.put("notice", CliSupport.NOTICE);
        String json = new com.google.gson.GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(res);
        AtomicFiles.write(outs.get(2), false, os -> os.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (a.flag("json")) {
            CliSupport.printJson(out, res);
        } else {
            out.println("wrote " + outs.get(0) + " and " + outs.get(1) + " (50×50×20 voxels of 0.5×0.5×1 mm)");
        }
        return 0;
    }
}
