/**
 * One capability over many scans in one process ({@code dopaj batch}, Fiji's Batch..., the Spark runner): inputs and
 * manifests, tasks per capability, the runner with its per-case commit journal, resume, shards and merge.
 */
package org.dopaj.batch;
