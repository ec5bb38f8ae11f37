/**
 * The scripting face: capabilities called with imglib2 images and their grid, for Fiji scripts and ImageJ2
 * {@code Dataset}s; thin, it holds no algorithm.
 */
package org.dopaj.api;
