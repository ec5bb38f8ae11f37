/**
 * DopaJ's root: what every package shares — {@link org.dopaj.DopajException} (a user-facing problem, one line naming
 * it), {@link org.dopaj.Version}, {@link org.dopaj.FileTrees}. The capabilities live in sub-packages (one per
 * capability), the ImageJ face in {@code commands}, the command line in {@code cli}; docs/contributing.md is the map.
 */
package org.dopaj;
