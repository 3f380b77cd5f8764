package io.pglogs.cli.term;

import io.pglogs.cli.error.PreconditionException;
import java.io.PrintWriter;

/**
 * The consent a command needs before it deletes data or risks an outage, after it has printed its plan: --yes in
 * scripts, else "yes" typed at a terminal. Without either it refuses with exit 3 and nothing changed, whether nobody
 * could answer or the answer was not "yes": a consent not given is a precondition not met, never a failure.
 */
public final class Consent {
    private final Prompt prompt;
    private final boolean yes;

    public Consent(Terminal ctx, PrintWriter out, boolean yes) {
        this.prompt = new Prompt(ctx, out);
        this.yes = yes;
    }

    /**
     * @param question        what is asked, e.g. "Lower the retention of 3 log groups?"
     * @param withoutTerminal the error without a terminal and without --yes: what needs confirming
     */
    public void require(String question, String withoutTerminal) {
        if (yes) {
            return;
        }
        if (!prompt.typed(question + " Type 'yes' to go ahead: ", "yes",
                withoutTerminal + ": confirm at a terminal, or pass --yes; nothing was changed")) {
            throw new PreconditionException("not confirmed: nothing was changed");
        }
    }
}
