/**
 * The {@code dopaj} command line: one class per sub-command, named {@code <Name>Cli} ({@link org.dopaj.cli.CliCommand}), registered in
 * {@link org.dopaj.cli.Main}; the shared contract (exit 2 and one stderr line on bad input, no overwrite without
 * {@code --force}, one JSON object with {@code --json}) lives in {@code CliSupport} and {@code Args}.
 */
package org.dopaj.cli;
