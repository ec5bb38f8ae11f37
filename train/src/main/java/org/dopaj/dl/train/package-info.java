/**
 * Training in Java: datasets and sample generators, augmentation, the training loop with checkpoints and early
 * stopping, configs ({@code train.yaml}) and evaluation of a trained model.
 */
package org.dopaj.dl.train;
