package org.dopaj.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One {@code dopaj <name> ...} sub-command. Implementations parse their own arguments (see {@link Args}),
 * print results on {@code out} (exactly one JSON object when {@code --json} is given) and return the exit
 * code: 0 success, 2 bad input. A {@link org.dopaj.DopajException} thrown from {@link #run} is printed by
 * {@link Main} as one line on stderr with exit code 2.
 */
public interface CliCommand {
    /** The word after {@code dopaj}, e.g. {@code info}. */
    String name();

    /** One-line synopsis shown by {@code dopaj help}, e.g. {@code info FILE [--json]}. */
    String usage();

    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
