/**
 * Registration of a 3D volume to a template: rigid → affine (12 parameters) → optional low-dimensional smooth
 * warp, with resampling both ways and a quality verdict. No ImageJ UI here; commands and the CLI call
 * {@link org.dopaj.registration.Registration#register}.
 *
 * <p><b>Convention.</b> A result maps <em>fixed (template) mm to moving (input) mm</em>: with T the affine and u
 * the optional displacement (in fixed mm), a fixed point x corresponds to the moving point T·(x + u(x)), so
 * {@code moving(T·(x + u(x))) ≈ fixed(x)}. mm are the scanner/world coordinates of each {@link
 * org.dopaj.image.Grid}'s voxel→mm affine (NIfTI convention), so any grid in the same space can be resampled:
 * {@link org.dopaj.registration.Registration.Result#toFixed} brings an image in moving space onto the fixed grid
 * (e.g. a scan onto the MNI template), {@link org.dopaj.registration.Registration.Result#toMoving} brings a map on
 * the fixed grid back onto the moving image (e.g. template VOIs onto the scan, nearest neighbour for labels).
 * {@link org.dopaj.registration.AffineTransform} documents the parameter order (shear, then scale, then rotation
 * Rz·Ry·Rx in degrees, then translation).
 *
 * <p><b>Quality figure.</b> {@link org.dopaj.registration.Registration.Result#ncc()} is the normalised
 * cross-correlation in [−1, 1] between the fixed image and the registered moving image on the finest pyramid
 * level's points (both smoothed to that level's FWHM, 4 mm by default), weighted by the optional fixed weight
 * volume, over the points inside the moving image. The verdict ({@link
 * org.dopaj.registration.Registration.Quality}) fails when the NCC is below the options' minimum, a scale is outside
 * 0.6…1.6, less than half of the template's content lies inside the image, or the optimiser did not converge;
 * {@link org.dopaj.registration.Registration.Result#requireOk(String, String)} turns a failure into a one-line
 * {@link org.dopaj.DopajException}. With mutual information between different contrasts the NCC may be low or
 * negative for a good fit: set the NCC limit accordingly.
 *
 * <p><b>Cost.</b> A 128×128×90 SPECT volume at 3.3 mm to the 91×109×91 2 mm template takes about 0.1 s of CPU
 * (one core, after JIT warm-up; {@code RegistrationBench} in the tests measures it). Results do not depend on the
 * number of threads.
 */
package org.dopaj.registration;
