/**
 * The Fiji/ImageJ face. Each menu action is ONE SciJava command ({@code *Command}, {@code @Plugin(type = Command.class,
 * menuPath = "Plugins>DopaJ>…")}): its {@code @Parameter} inputs are the only declaration of the action's parameters
 * (snake_case names = macro keys; defaults; {@code choices} from the code that owns them; units as the attribute
 * {@code units}, help as {@code description}; older macro keys as {@code aliases}; the matching {@code dopaj} CLI
 * option as {@code cli} where it is not the kebab-case of the name), and its outputs are what it shows (images, a
 * {@code ResultsTable} titled by its label) plus numbers for scripts. {@link org.dopaj.commands.Ij1Adapter}, named in
 * {@code plugins.config} with the command's class as argument, turns any such command into an ImageJ 1 plugin: dialog
 * and macro options from the inputs (headless-safe), the current image, the Recorder line, the outputs shown, errors
 * as one line ({@link org.dopaj.commands.CommandRunner}). Shared display and input helpers: {@code Viewer} (reading
 * view, LUTs, ranges), {@code Overlays} (named overlay groups), {@code Legends} (colour bars), {@code Inputs} (the
 * input's volume, result images shown like the input), {@code NigrosomeFiji} (centroids from points, voxel-size
 * prompt). NIfTI import/export ({@code ImportNifti}, {@code SaveNifti}) and About stay plain ImageJ 1 plugins. Commands
 * hold no algorithm: they call the capability packages.
 */
package org.dopaj.commands;
