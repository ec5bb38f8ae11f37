/**
 * Progress and cancel for long operations, free of any UI: {@link org.dopaj.progress.ProgressListener}. The
 * ImageJ, SciJava and command-line adapters live with the UIs that show them.
 */
package org.dopaj.progress;
