package org.dopaj.cli;

import java.nio.file.Path;
import org.dopaj.DopajException;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.io.LoadedImage;
import org.dopaj.nigrosome.Centroids;
import org.dopaj.nigrosome.SbrRegressor;
import org.dopaj.nigrosome.SmwiInput;
import org.dopaj.nigrosome.Units;

/**
 * What {@code nigrosome-crop}, {@code nigrosome-sbr} share: reading the SMWI image (3D, with a voxel size in mm or
 * {@code --voxel-size}), the centroids from {@code --left x,y,z --right x,y,z [--mm]}, and the model pair from
 * {@code --model} or {@code --model-left/--model-right}.
 */
final class NigrosomeCli {
    private NigrosomeCli() {
    }

    /** The image, checked: 3D, calibrated (or given {@code --voxel-size}). */
    static Volume image(Path file, Args a) {
        CliSupport.requireFile(file);
        LoadedImage img = ImageFiles.load(file);
        Volume v = SmwiInput.require3d(img.volume(), file.toString());
        if (a.has("voxel-size")) {
            v = SmwiInput.withVoxelSize(v, SmwiInput.parseVoxelSize(a.option("voxel-size")), file.toString());
        } else if (!img.calibrated()) {
            throw new DopajException(file + ": no voxel size in mm (" + img.format() + " without calibration; 1 mm was"
                    + " only assumed): give --voxel-size X,Y,Z (mm); batch mode never guesses it");
        }
        // an absurd geometry (pixdim 1e30 without sform/qform) would otherwise crop "successfully" from nowhere
        CliSupport.requireAnalysable(v, file);
        return v;
    }

    /** The centroids from {@code --left} and {@code --right} (voxels, 0-based; mm with {@code --mm}). */
    static Centroids centroids(Args a, Volume v) {
        if (!a.has("left") || !a.has("right")) {
            throw new DopajException("need --left x,y,z and --right x,y,z (0-based voxels, or scanner mm with --mm)");
        }
        Units u = a.flag("mm") ? Units.MM : Units.VOXEL;
        return Centroids.parse("left=" + a.option("left") + " right=" + a.option("right"), u, v.grid());
    }

    /** Left and right package folders: --model-left/--model-right, --model, or the default by evidence. */
    static Path[] models(Args a) {
        if (a.has("model-left") || a.has("model-right")) {
            if (!a.has("model-left") || !a.has("model-right") || a.has("model")) {
                throw new DopajException("give both --model-left and --model-right (and no --model), or --model alone");
            }
            return new Path[]{org.dopaj.dl.model.ModelRegistry.find(a.option("model-left")),
                    org.dopaj.dl.model.ModelRegistry.find(a.option("model-right"))};
        }
        if (a.has("model")) {
            return SbrRegressor.resolvePair(a.option("model"));
        }
        return SbrRegressor.defaultChoice().pair();
    }
}
