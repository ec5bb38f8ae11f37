/**
 * Evaluation figures shared by every capability: classification (accuracy, ROC/AUC, Youden), agreement (Lin's
 * CCC with confidence interval), overlap (Dice, IoU, HD95 in mm), repeated splits.
 */
package org.dopaj.dl.metrics;
