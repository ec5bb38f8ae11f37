/**
 * Building TensorFlow graphs in Java: layers and networks (VGG-style 3D CNNs, DeepLabv3+), losses, optimiser and
 * the Grad-CAM/CAM outputs exported with every model.
 */
package org.dopaj.dl.graph;
