/**
 * The inference engine: DJL on TensorFlow, brought up offline from the native jar, CPU or GPU; {@code DopajModel}
 * is a loaded, thread-safe model whose native memory is released on {@code close()}.
 */
package org.dopaj.dl.runtime;
