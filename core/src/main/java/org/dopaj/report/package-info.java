/**
 * Pages a reader can look at: per-case reports (HTML and PDF) and a batch's cohort summary, with pictures drawn
 * without any window (axial montages in the reading convention, overlays with titled colour bars, ImageJ plots).
 */
package org.dopaj.report;
