/**
 * A physics-based DaT-SPECT (123I-FP-CIT, DaTscan) camera and workstation, with no user interface: it turns an
 * activity distribution of a head into the projections a dual-head gamma camera would record, then reconstructs them
 * as a camera workstation does, so that training and validation phantoms look like clinical reconstructions in scanner
 * space (rather than an activity map blurred and made noisy on the MNI grid). Entry point:
 * {@link org.dopaj.spect.camera.SpectCamera}; protocol: {@link org.dopaj.spect.camera.CameraParameters}.
 *
 * <h2>Model</h2>
 * <ol>
 *   <li><b>Placement.</b> Activity and μ map (same patient grid) are moved into the scanner by a rigid
 *   {@code patientToScanner} and averaged into cubic voxels of the reconstruction size (ss³ trilinear samples per voxel),
 *   on a transaxial crop around the rotation axis that holds the head plus a margin, and only on the detector rows
 *   that hold the head (plus a margin).</li>
 *   <li><b>Projection</b> (one angle at a time, 360°, parallel holes, circular orbit): the crop is rotated (bilinear)
 *   so the detector normal runs along one axis; each voxel is attenuated by exp(−∫μ) toward the detector (central
 *   ray); the depth-dependent collimator response FWHM(d) = √(Rint² + (g0 + g1·d)²) is applied by incremental blurring
 *   (McCarthy &amp; Miller 1991): planes summed from far to near, the running sum convolved with small separable kernels
 *   whose variances are the differences of σ²(d) between planes (bins and rows alike).</li>
 *   <li><b>Scatter and penetration.</b> Compton scatter in the 159 keV window is the primary projection convolved
 *   with a wide Gaussian (FWHM 40–80 mm) times a scatter fraction (0.2–0.45 for brain; Monte Carlo studies of
 *   123I-FP-CIT, e.g. Cot et al. 2005, find scatter plus high-energy contamination 30–50 % of window counts with
 *   LEHR). 123I also emits ≈ 3 % high-energy photons (440–625 keV, 529 keV the largest) that cross the thin septa of
 *   low-energy collimators and down-scatter into the window: a very broad component (FWHM 100–250 mm), 10–30 % of
 *   the primary with LEHR, a few % with medium-energy collimators (Dobbeleir et al. 1999).</li>
 *   <li><b>Counts.</b> The expected projections are scaled to the protocol's total counts (clinical 1–4 million;
 *   the EANM guideline asks for at least 1.5 million) and drawn as exact Poisson counts from a seed.</li>
 *   <li><b>Reconstruction.</b> FBP: per slice, ramp × Butterworth window 1/√(1 + (f/fc)^2n) (order 5–10, cut-off
 *   0.3–0.7 cycles/cm), the Butterworth also applied axially as the usual 2D pre-filter; over the whole matrix.
 *   OSEM (Hudson &amp; Larkin 1994): 2×10 … 8×8 iterations × subsets with the camera's own projector, with or without
 *   the collimator model (resolution recovery) and the μ map (attenuation modelled, as with a CT μ map); over the
 *   head plus 40 mm. Attenuation correction otherwise by Chang's first-order method (Chang 1978) with a uniform μ
 *   (broad beam, ≈ 0.11 /cm usual for 123I) inside an outline found by thresholding the uncorrected image (as
 *   workstations do) or the true body outline. Optional 3D Gaussian post-filter (0–18 mm).</li>
 * </ol>
 *
 * <h2>Output and units</h2>
 * A scanner-space volume: z along the rotation axis, x = y = 0 on the axis at the centre of the N×N matrix
 * (N = 128 clinically), cubic voxels of 2.2–4.7 mm (EANM/SNMMI guidelines: 128 matrix, 3.5–4.5 mm pixels, 120
 * projections over 360°), only the slices that hold the head (the affine says where). Values are counts-like
 * (proportional to activity where the corrections hold), as a workstation's images; negative FBP values are clipped
 * to 0 as in unsigned DICOM images.
 *
 * <h2>Literature values used</h2>
 * <ul>
 *   <li>Attenuation at 159 keV: water ≈ 0.148 /cm narrow beam (NIST XCOM), brain ≈ 0.15, cortical bone ≈ 0.27, skull
 *   with diploë 0.20–0.25; the broad-beam value 0.10–0.12 /cm folds scatter in and is what Chang's correction uses
 *   in DaTscan protocols (EANM procedure guidelines, Darcourt et al. 2010; Morbelli et al. 2020).</li>
 *   <li>System resolution at 10 cm: LEHR ≈ 7.4 mm, medium-energy ≈ 10–12.5 mm (vendor data sheets); intrinsic
 *   ≈ 3.6 mm.</li>
 *   <li>FBP ramp: band-limited, sampled in space (Kak &amp; Slaney 1988). Box-filter Gaussians: Wells 1986,
 *   Kovesi 2010. Poisson draws: inversion below a mean of 10, Hörmann's PTRS (1993) above.</li>
 * </ul>
 *
 * <h2>Simplifications</h2>
 * Collimator response Gaussian (no septal hole pattern, no star artefact); penetration a Gaussian pedestal of the
 * attenuated primary (no separate 529 keV attenuation or energy spectrum); scatter a depth-independent convolution of
 * the primary, and no scatter correction (no dual/triple energy window) in any reconstruction; attenuation along
 * the central ray; circular orbit; no detector non-uniformity, energy resolution, dead time, decay, patient motion or
 * centre-of-rotation error; FBP slice by slice (2D) with a separable Butterworth pre-filter; counts scattered beyond
 * the recorded rows are lost. Synthetic data for research, not a validated dosimetric or clinical simulator.
 */
package org.dopaj.spect.camera;
