/**
 * Digital head phantoms shared by the capabilities' tests and examples.
 */
package org.dopaj.phantom;
