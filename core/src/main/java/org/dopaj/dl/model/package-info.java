/**
 * Model packages (BioImage Model Zoo {@code rdf.yaml} + checksums), their tensors and layouts, installation of
 * third-party models, the registry that finds them, and the applicability checks of network inputs.
 */
package org.dopaj.dl.model;
