/**
 * Export of a trained graph as a SavedModel with its Grad-CAM, and packaging as a DopaJ model package whose DJL
 * outputs are checked against TensorFlow Java's.
 */
package org.dopaj.dl.export;
