package org.dopaj.spect;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.dopaj.image.Volume;
import org.dopaj.spect.camera.CameraParameters;
import org.dopaj.spect.camera.SpectCamera;

/**
 * The physics camera of the {@link DatFamily#ICBM} and {@link DatFamily#AICHA} families: a phantom's activity and
 * attenuation ({@link AtlasDatSampler.Phantom}) placed in the camera with its head turned by up to ±15° about each
 * axis and moved by up to ±25 mm, imaged and reconstructed by {@link SpectCamera} with a clinical protocol drawn by
 * {@link CameraParameters#random} (LEHR or ME collimator, 120/128 angles, scatter and septal penetration, Poisson
 * counts, FBP + Butterworth or OSEM, Chang or modelled attenuation correction or none, post-filter, 2.2–4.7 mm voxels),
 * negative voxels of the reconstruction set to 0 (as workstations export), a calibration factor ×0.5…50 — and then
 * <b>spatially normalised by DopaJ</b> ({@link DatNormaliser}) exactly as a real scan would be. A subject whose
 * normalisation fails its quality check is recorded as a failure by {@link DatData}.
 */
final class PhysicsCamera implements DatFamily.SubjectCamera {
    /** Version of camera + normalisation, part of the cache names of the physics families. */
    static final String VERSION = "c1";
    private static final PhysicsCamera INSTANCE = new PhysicsCamera();

    private PhysicsCamera() {
    }

    static DatFamily.SubjectCamera load() {
        return INSTANCE;
    }

    @Override
    public DatSubjectSampler.Subject image(AtlasDatSampler.Phantom p, SplittableRandom r, Map<String, Object> par) {
        CameraParameters cp = CameraParameters.random(r);
        double[] rot = {u(r, -15, 15), u(r, -15, 15), u(r, -15, 15)};
        double[] shift = {u(r, -25, 25), u(r, -25, 25), u(r, -25, 25)};
        // the head's centre (MNI (0, -17, 10) mm) near the rotation axis, then turned and moved
        double[] c = {0, -17, 10};
        double[][] pose = org.dopaj.image.Affines.multiply(SpectPhantom.rigid(shift, rot),
                new double[][] {{1, 0, 0, -c[0]}, {0, 1, 0, -c[1]}, {0, 0, 1, -c[2]}, {0, 0, 0, 1}});
        // the technologist brings the heads as close as the head allows: radius ≥ the head's reach + 15 mm
        double reach = 0;
        org.dopaj.image.Grid g = p.mu().grid();
        for (int z = 0; z < g.nz(); z++) {
            float[] m = p.mu().plane(z);
            for (int i = 0; i < m.length; i++) {
                if (m[i] > 0) {
                    double[] mm = g.toMm(i % g.nx(), i / g.nx(), z);
                    double x = pose[0][0] * mm[0] + pose[0][1] * mm[1] + pose[0][2] * mm[2] + pose[0][3];
                    double y = pose[1][0] * mm[0] + pose[1][1] * mm[1] + pose[1][2] * mm[2] + pose[1][3];
                    reach = Math.max(reach, Math.hypot(x, y));
                }
            }
        }
        if (cp.radiusMm() < reach + 15) {
            cp = cp.toBuilder().radiusMm(reach + 15).build();
        }
        Volume head = Volume.allocate(p.mu().grid());
        Volume bone = Volume.allocate(p.mu().grid());
        for (int z = 0; z < head.nz(); z++) {
            float[] m = p.mu().plane(z);
            float[] h = head.plane(z);
            float[] b = bone.plane(z);
            for (int i = 0; i < m.length; i++) {
                h[i] = m[i] > 0 ? 1 : 0;
                b[i] = m[i] > 1 ? 1 : 0;
            }
        }
        Volume mu = SpectCamera.muMap(head, bone, cp);
        SpectCamera.Result res = SpectCamera.acquireAndReconstruct(p.activity(), mu, pose, cp, r.nextLong());
        double scale = Math.exp(Math.log(0.5) + (Math.log(50) - Math.log(0.5)) * r.nextDouble());
        Volume img = res.image().copy();
        for (float[] pl : img.planes()) {
            for (int i = 0; i < pl.length; i++) {
                pl[i] = (float) (Math.max(0, pl[i]) * scale);
            }
        }
        DatNormaliser.Normalised n = DatNormaliser.normalise(img, true, null); // throws when it fails its check
        par.put("camera", "physics");
        par.put("camera_parameters", cp.toMap());
        par.put("head_rotation_deg", List.of(rot[0], rot[1], rot[2]));
        par.put("head_shift_mm", List.of(shift[0], shift[1], shift[2]));
        par.put("registration_ncc", n.ncc());
        return new DatSubjectSampler.Subject(p.seed(), p.label(), p.severity(), p.age(),
                cp.collimator().fwhmMm(cp.radiusMm()), cp.totalCounts(), par, n.mni());
    }

    private static double u(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }
}
