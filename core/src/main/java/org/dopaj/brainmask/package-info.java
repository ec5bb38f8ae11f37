/**
 * Brain extraction: the DeepLabv3+ segmentation of head MRI of any contrast, its synthesis-based training data,
 * post-processing into one mask, pseudo-colour, and evaluation against reference masks.
 */
package org.dopaj.brainmask;
