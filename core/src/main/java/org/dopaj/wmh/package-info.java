/**
 * White-matter hypointensities (WMH) on 3D T1, after Thyreau et al. (Human Brain Mapping 2022, deep-T1-WMH), at a
 * scale one CPU core trains: {@link org.dopaj.wmh.WmhSegmenter} (brain mask by {@code brainmask.BrainMasker},
 * affine registration to MNI152 by {@code registration}, the T1 in a 2 mm MNI-affine box, a small 3D U-Net
 * ({@link org.dopaj.wmh.WmhModel}) or the classical baseline ({@link org.dopaj.wmh.ThresholdBaseline}), probabilities
 * back on the input grid, volumes by region from {@link org.dopaj.wmh.WmhAtlas}) returning a
 * {@link org.dopaj.wmh.WmhResult}. Training data are lesions synthesised into real lesion-free T1 heads
 * ({@link org.dopaj.wmh.LesionSynthesis}, shapes partly from real hand-drawn FLAIR lesions:
 * {@link org.dopaj.wmh.LesionLibrary}); {@link org.dopaj.wmh.TrainWmh} trains and packages the model,
 * {@link org.dopaj.wmh.WmhEvaluation} measures it.
 *
 * <p>Knows nothing of ImageJ's UI, the command line or batches: {@code commands.WmhCommand}, {@code cli.WmhCli} and
 * {@code batch.WmhTask} call it.
 */
package org.dopaj.wmh;
