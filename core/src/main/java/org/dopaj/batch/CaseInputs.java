package org.dopaj.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.image.Volume;

/** What every task does first with a case: its input file, and the frame of a 4D image. */
final class CaseInputs {
    private CaseInputs() {
    }

    /** The case's main input, which must exist (a vanished file is this case's error, not the batch's). */
    static Path file(BatchCase c) {
        if (c.input() == null) {
            throw new DopajException("no input file");
        }
        Path p = Path.of(c.input());
        if (!Files.exists(p)) {
            throw new DopajException(p + ": file not found");
        }
        return p;
    }

    /** A 3D volume and the 1-based frame taken from a 4D one (null for 3D input). */
    record Framed(Volume volume, Integer frame) {
    }

    /** The frame of a 4D image from the case's {@code frame} column or the batch's {@code frame} option. */
    static Framed frame(Volume v, BatchCase c, Map<String, String> options) {
        if (v.nt() <= 1) {
            return new Framed(v, null);
        }
        String f = c.option("frame") != null ? c.option("frame") : options.get("frame");
        if (f == null) {
            throw new DopajException("4D image with " + v.nt() + " frames: give a frame (column 'frame' or --frame N, 1.."
                    + v.nt() + ")");
        }
        int frame = Options.integer(Map.of("frame", f), "frame", 1, v.nt());
        return new Framed(v.frame(frame - 1), frame);
    }
}
